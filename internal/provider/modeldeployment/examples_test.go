package modeldeployment_test

import (
	"os"
	"path/filepath"
	"testing"

	tfconfig "github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// TestAccExamplesPlanOffline plans the examples that combine resources, with no cluster
// configured: attribute names and syntax are checked by terraform, values by the provider.
func TestAccExamplesPlanOffline(t *testing.T) {
	root, err := testcluster.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "none"))
	for _, file := range []string{
		"examples/resources/kubefoundry_gguf_image/resource.tf",
		"examples/resources/kubefoundry_runtime_install/with_model.tf",
		"examples/resources/kubefoundry_model_deployment/vllm.tf",
		"examples/resources/kubefoundry_model_deployment/kserve.tf",
	} {
		t.Run(filepath.Base(filepath.Dir(file)), func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(root, file))
			if err != nil {
				t.Fatal(err)
			}
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:             `provider "kubefoundry" {}` + "\n" + string(body),
					PlanOnly:           true,
					ExpectNonEmptyPlan: true,
				}},
			})
		})
	}
}

// TestAccExamplePlansOffline plans the documented examples with a provider that has no
// cluster at all: planning a model deployment needs neither a cluster nor its CRDs.
func TestAccExamplePlansOffline(t *testing.T) {
	root, err := testcluster.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile(filepath.Join(root, "examples", "resources", "kubefoundry_model_deployment", "resource.tf"))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "none"))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:             `provider "kubefoundry" {}` + "\n" + string(example),
			ConfigVariables:    tfconfig.Variables{"hf_token": tfconfig.StringVariable("hf_example")},
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("kubefoundry_model_deployment.qwen", plancheck.ResourceActionCreate),
				plancheck.ExpectResourceAction("kubefoundry_model_deployment.llama", plancheck.ResourceActionCreate),
				plancheck.ExpectResourceAction("kubefoundry_model_deployment.ray", plancheck.ResourceActionCreate),
				plancheck.ExpectResourceAction("kubefoundry_model_deployment.cpu", plancheck.ResourceActionCreate),
				plancheck.ExpectResourceAction("kubefoundry_model_deployment.gguf", plancheck.ResourceActionCreate),
			}},
		}},
	})
}
