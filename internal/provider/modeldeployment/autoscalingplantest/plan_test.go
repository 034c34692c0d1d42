// Package autoscalingplantest runs the `autoscaling` attribute through the real terraform CLI
// without a cluster: plans and the kubefoundry_manifest data source render offline.
package autoscalingplantest

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
)

func TestMain(m *testing.M) { acctest.MainNoCluster(m) }

func testCase(t *testing.T, steps ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    steps,
	}
}

const provider = "provider \"kubefoundry\" {}\n"

// The plan shows the adapter opt-in in `manifest` and the HPA / ScaledObject per pool in
// `companion_manifests`, one per disaggregated role.
func TestAccAutoscalingPlanRendersAdapterAndScalers(t *testing.T) {
	const addr = "kubefoundry_model_deployment.d"
	resource.Test(t, testCase(t, resource.TestStep{
		Config: provider + `resource "kubefoundry_model_deployment" "d" {
  name          = "qwen"
  namespace     = "llm"
  runtime       = "dynamo"
  model         = "Qwen/Qwen3-0.6B"
  mode          = "disaggregated"
  gpu_fit_check = "off"
  roles = { prefill = { resources = { cpu = "4" } } }
  autoscaling = {
    prefill = { min_replicas = 1, max_replicas = 3, cpu_utilization = 70 }
    decode = { min_replicas = 1, max_replicas = 6, prometheus = {
      server_address = "http://prometheus.monitoring:9090"
      query          = "sum(vllm:num_requests_waiting)"
      threshold      = "5"
    } }
  }
}`,
		PlanOnly:           true,
		ExpectNonEmptyPlan: true,
		ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
			plancheck.ExpectKnownValue(addr, tfjsonpath.New("manifest"),
				knownvalue.StringRegexp(regexp.MustCompile(`(?s)name: VllmPrefillWorker.*scalingAdapter: \{\}`))),
			plancheck.ExpectKnownValue(addr, tfjsonpath.New("companion_manifests"), knownvalue.StringRegexp(regexp.MustCompile(
				`(?s)kind: HorizontalPodAutoscaler\n.*name: qwen-vllmprefillworker.*averageUtilization: 70.*kind: DynamoGraphDeploymentScalingAdapter`+
					`.*---.*kind: ScaledObject\n.*name: qwen-vllmdecodeworker.*maxReplicaCount: 6.*threshold: "5".*type: prometheus`))),
		}},
	}))
}

// The manifest data source renders the same objects for GitOps users.
func TestAccAutoscalingManifestDataSource(t *testing.T) {
	const ds = "data.kubefoundry_manifest.m"
	resource.Test(t, testCase(t, resource.TestStep{
		Config: provider + `data "kubefoundry_manifest" "m" {
  name      = "qwen"
  namespace = "llm"
  runtime   = "dynamo"
  model     = "Qwen/Qwen3-0.6B"
  memory    = "40Gi"
  autoscaling = { worker = { min_replicas = 1, max_replicas = 4, memory_utilization = 80 } }
}`,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(ds, tfjsonpath.New("manifests"), knownvalue.StringRegexp(regexp.MustCompile(
				`(?s)kind: DynamoGraphDeployment.*scalingAdapter: \{\}.*---.*kind: HorizontalPodAutoscaler.*name: memory.*name: qwen-vllmworker`))),
		},
	}))
}

// What cannot be scaled fails at plan, naming the attribute and the fix.
func TestAccAutoscalingPlanErrors(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"kaito workspace", `runtime = "kaito"
  model = "kaito/llama3.2-1b"
  autoscaling = { worker = { min_replicas = 1, max_replicas = 2 } }`, `(?s)autoscaling:.*KAITO\s+Workspace\s+has\s+no\s+scale\s+subresource.*inference_set\s+=\s+true`},
		{"cpu without request", `runtime = "dynamo"
  model = "Qwen/Qwen3-0.6B"
  autoscaling = { worker = { min_replicas = 1, max_replicas = 2, cpu_utilization = 50 } }`, `(?s)autoscaling.worker.cpu_utilization.*request\s+no\s+CPU`},
		{"kuberay with an HPA target", `runtime = "kuberay"
  model = "Qwen/Qwen3-0.6B"
  autoscaling = { worker = { min_replicas = 1, max_replicas = 2, memory_utilization = 50 } }`, `(?s)autoscaling.worker.memory_utilization.*KubeRay\s+scales\s+with\s+Ray\s+Serve`},
		{"starting size outside the range", `runtime = "dynamo"
  model = "Qwen/Qwen3-0.6B"
  memory = "8Gi"
  replicas = 5
  autoscaling = { worker = { min_replicas = 1, max_replicas = 2, memory_utilization = 50 } }`, `(?s)starting\s+size\s+5\s+\(replicas\)\s+is\s+outside`},
		{"scale-down window beyond the HPA's limit", `runtime = "dynamo"
  model = "Qwen/Qwen3-0.6B"
  memory = "8Gi"
  autoscaling = { worker = { min_replicas = 1, max_replicas = 2, memory_utilization = 50, scale_down_stabilization_seconds = 7200 } }`,
			`(?s)autoscaling.worker.scale_down_stabilization_seconds.*between\s+0\s+and\s+3600`},
	} {
		t.Run(c.name, func(t *testing.T) {
			resource.Test(t, testCase(t, resource.TestStep{
				Config: provider + "resource \"kubefoundry_model_deployment\" \"x\" {\n  name = \"x\"\n  namespace = \"llm\"\n  gpu_fit_check = \"off\"\n  " +
					c.body + "\n}\n",
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(c.want),
			}))
		})
	}
}
