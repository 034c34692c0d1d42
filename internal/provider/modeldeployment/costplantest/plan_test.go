// Package costplantest runs `estimated_hourly_cost` of kubefoundry_model_deployment through the
// real terraform CLI without a cluster: the GPU type comes from the configured node selectors
// and the price from the provider's `pricing` or the built-in table, all at plan.
package costplantest

import (
	"math"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/cost"
)

func TestMain(m *testing.M) { acctest.MainNoCluster(m) }

func price(t *testing.T, cloud, gpu string) float64 {
	t.Helper()
	p, ok := cost.Lookup(cloud, gpu)
	if !ok {
		t.Fatalf("table lacks %s/%s", cloud, gpu)
	}
	return p.PerGPUHour()
}

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

// planStep plans config and expects each deployment's estimated_hourly_cost (nil = null).
func planStep(config string, want map[string]*float64) resource.TestStep {
	var checks []plancheck.PlanCheck
	for addr, v := range want {
		var c knownvalue.Check = knownvalue.Null()
		if v != nil {
			c = knownvalue.Float64Exact(round4(*v))
		}
		checks = append(checks, plancheck.ExpectKnownValue(addr, tfjsonpath.New("estimated_hourly_cost"), c))
	}
	return resource.TestStep{
		Config:             config,
		PlanOnly:           true,
		ExpectNonEmptyPlan: true,
		ConfigPlanChecks:   resource.ConfigPlanChecks{PostApplyPostRefresh: checks},
	}
}

func f(v float64) *float64 { return &v }

func TestAccEstimatedHourlyCostAtPlan(t *testing.T) {
	aws := func(gpu string) float64 { return price(t, "aws", gpu) }
	gcp := func(gpu string) float64 { return price(t, "gcp", gpu) }
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			// No provider pricing: an instance type names both the GPU and the cloud; a product label
			// alone names no cloud, so that deployment's cost is null, as is one with no selector.
			planStep(`provider "kubefoundry" {}
resource "kubefoundry_model_deployment" "instance" {
  name     = "by-instance"
  runtime  = "vllm"
  model    = "Qwen/Qwen3-0.6B"
  replicas = 3
  gpus     = 2
  pod      = { node_selector = { "node.kubernetes.io/instance-type" = "p5.48xlarge" } }
}
resource "kubefoundry_model_deployment" "product" {
  name    = "by-product"
  runtime = "vllm"
  model   = "Qwen/Qwen3-0.6B"
  pod     = { node_selector = { "nvidia.com/gpu.product" = "NVIDIA-H100-80GB-HBM3" } }
}
resource "kubefoundry_model_deployment" "unknown" {
  name    = "no-selector"
  runtime = "vllm"
  model   = "Qwen/Qwen3-0.6B"
}
`, map[string]*float64{
				"kubefoundry_model_deployment.instance": f(6 * aws("h100")),
				"kubefoundry_model_deployment.product":  nil,
				"kubefoundry_model_deployment.unknown":  nil,
			}),
			// The provider's cloud prices product labels; each disaggregated role is priced by its own
			// selector (a GKE accelerator label names GCP itself); KubeRay's accelerator type names the GPU.
			planStep(`provider "kubefoundry" {
  pricing = { cloud = "gcp" }
}
resource "kubefoundry_model_deployment" "disagg" {
  name    = "disagg"
  runtime = "dynamo"
  model   = "Qwen/Qwen3-0.6B"
  mode    = "disaggregated"
  disaggregated = { prefill_replicas = 2, prefill_gpus = 1, decode_replicas = 1, decode_gpus = 4 }
  roles = {
    prefill = { node_selector = { "cloud.google.com/gke-accelerator" = "nvidia-l4" } }
    decode  = { node_selector = { "nvidia.com/gpu.product" = "NVIDIA-H100-80GB-HBM3" } }
  }
}
resource "kubefoundry_model_deployment" "ray" {
  name     = "ray"
  runtime  = "kuberay"
  model    = "Qwen/Qwen3-0.6B"
  replicas = 2
  kuberay  = { accelerator_type = "A100-80G" }
}
`, map[string]*float64{
				"kubefoundry_model_deployment.disagg": f(2*gcp("l4") + 4*gcp("h100")),
				"kubefoundry_model_deployment.ray":    f(2 * gcp("a100-80gb")),
			}),
			// The provider's own prices win over the table; Karpenter's GPU labels name AWS.
			planStep(`provider "kubefoundry" {
  pricing = { gpu_hourly_prices = { "aws/h100" = 3.25, "NVIDIA-A100-SXM4-80GB" = 1.5 } }
}
resource "kubefoundry_model_deployment" "override" {
  name     = "override"
  runtime  = "vllm"
  model    = "Qwen/Qwen3-0.6B"
  replicas = 2
  gpus     = 4
  pod      = { node_selector = { "node.kubernetes.io/instance-type" = "p5.48xlarge" } }
}
resource "kubefoundry_model_deployment" "karpenter" {
  name    = "karpenter"
  runtime = "vllm"
  model   = "Qwen/Qwen3-0.6B"
  gpus    = 2
  pod     = { node_selector = { "karpenter.k8s.aws/instance-gpu-name" = "a100", "karpenter.k8s.aws/instance-gpu-memory" = "81920" } }
}
`, map[string]*float64{
				"kubefoundry_model_deployment.override":  f(8 * 3.25),
				"kubefoundry_model_deployment.karpenter": f(2 * 1.5),
			}),
		},
	})
}
