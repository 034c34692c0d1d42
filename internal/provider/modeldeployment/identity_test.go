package modeldeployment_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// TestAccModelDeploymentImportByIdentity imports with an import block that names the
// resource identity (namespace, name). Resource identity needs Terraform 1.12+ or
// OpenTofu 1.12+: with terraform 1.11 this test is skipped; `make testacc-tofu` runs it.
func TestAccModelDeploymentImportByIdentity(t *testing.T) {
	ns := testcluster.Get(t).Namespace(t)
	cfg := config(t, fmt.Sprintf(`name = "ident"
namespace = %q
runtime = "kaito"
model = "kaito/phi4-14b"`, ns))
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{
						"namespace": knownvalue.StringExact(ns),
						"name":      knownvalue.StringExact("ident"),
					}),
				},
			},
			{
				Config:          cfg,
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}
