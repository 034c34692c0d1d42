package modeldeployment_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// TestAccManifestDataSource renders without any cluster: the provider block is empty.
func TestAccManifestDataSource(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `provider "kubefoundry" {}
data "kubefoundry_manifest" "m" {
  name    = "phi"
  runtime = "kaito"
  model   = "microsoft/Phi-3-mini-4k-instruct"
  kaito   = { model_source = "vllm" }
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.kubefoundry_manifest.m", tfjsonpath.New("namespace"), knownvalue.StringExact("kaito-workspace")),
				statecheck.ExpectKnownValue("data.kubefoundry_manifest.m", tfjsonpath.New("engine"), knownvalue.StringExact("vllm")),
				statecheck.ExpectKnownValue("data.kubefoundry_manifest.m", tfjsonpath.New("manifest"),
					knownvalue.StringRegexp(regexp.MustCompile(`(?s)^apiVersion: kaito.sh/v1beta1\n.*kind: Workspace`))),
				statecheck.ExpectKnownValue("data.kubefoundry_manifest.m", tfjsonpath.New("manifests"),
					knownvalue.StringRegexp(regexp.MustCompile(`(?s)kind: Workspace.*\n---\n.*kind: Service.*name: phi-vllm`))),
				statecheck.ExpectKnownValue("data.kubefoundry_manifest.m", tfjsonpath.New("endpoint"),
					knownvalue.StringExact("phi-vllm.kaito-workspace.svc.cluster.local:8000")),
			},
		}},
	})
}

func TestAccDeploymentDataSourceReadsStatus(t *testing.T) {
	ns := testcluster.Get(t).Namespace(t)
	cfg := config(t, fmt.Sprintf(`name = "ds"
namespace = %q
runtime = "kuberay"
model = "Qwen/Qwen3-0.6B"`, ns)) + fmt.Sprintf(`
data "kubefoundry_model_deployment" "d" {
  namespace  = %q
  name       = "ds"
  depends_on = [kubefoundry_model_deployment.m]
}`, ns)
	check := func(attr string, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue("data.kubefoundry_model_deployment.d", tfjsonpath.New(attr), v)
	}
	resource.Test(t, steps(t, resource.TestStep{
		Config: cfg,
		ConfigStateChecks: []statecheck.StateCheck{
			check("runtime", knownvalue.StringExact("kuberay")),
			check("model", knownvalue.StringExact("Qwen/Qwen3-0.6B")),
			check("phase", knownvalue.StringExact("Running")),
			check("ready", knownvalue.Int64Exact(1)),
			check("endpoint", knownvalue.StringExact("ds-serve-svc."+ns+".svc.cluster.local:8000")),
		},
	}))
}

// TestAccManifestDataSourceDynamoAPIVersions renders both Dynamo API versions offline: the
// default v1beta1 spec.components, and v1alpha1 spec.services when asked for.
func TestAccManifestDataSourceDynamoAPIVersions(t *testing.T) {
	m := func(attr string, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue("data.kubefoundry_manifest.m", tfjsonpath.New(attr), v)
	}
	step := func(block string, checks ...statecheck.StateCheck) resource.TestStep {
		return resource.TestStep{Config: `provider "kubefoundry" {}
data "kubefoundry_manifest" "m" {
  name    = "qwen"
  runtime = "dynamo"
  model   = "Qwen/Qwen3-0.6B"
  ` + block + `
}`, ConfigStateChecks: checks}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step("",
				m("dynamo", knownvalue.ObjectExact(map[string]knownvalue.Check{"api_version": knownvalue.StringExact("v1beta1")})),
				m("manifest", knownvalue.StringRegexp(regexp.MustCompile(`(?s)^apiVersion: nvidia.com/v1beta1\n.*components:.*image: nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0`)))),
			step(`dynamo = { api_version = "v1alpha1" }`,
				m("manifest", knownvalue.StringRegexp(regexp.MustCompile(`(?s)^apiVersion: nvidia.com/v1alpha1\n.*services:.*dynamoNamespace: dynamo-system-qwen.*vllm-runtime:0.7.1`)))),
		},
	})
}
