package runtimeinstall_test

import (
	"os"
	"path/filepath"
	"testing"

	tfconfig "github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// TestAccRuntimeInstall_Example plans the documented example, so it stays valid against
// the schema (write-only password included).
func TestAccRuntimeInstall_Example(t *testing.T) {
	root, err := testcluster.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile(filepath.Join(root, "examples", "resources", "kubefoundry_runtime_install", "resource.tf"))
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:             acctest.ProviderBlock(t, "") + string(example),
			ConfigVariables:    tfconfig.Variables{"mirror_password": tfconfig.StringVariable("secret")},
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})
}
