package deploymentrequest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// The documented example plans with a provider that has no cluster: attribute names and
// syntax are checked by terraform, values by the provider's validation.
func TestAccDeploymentRequestExamplePlansOffline(t *testing.T) {
	root, err := testcluster.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "none"))
	body, err := os.ReadFile(filepath.Join(root, "examples", "resources", "kubefoundry_deployment_request", "resource.tf"))
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
}
