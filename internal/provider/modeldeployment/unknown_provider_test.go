package modeldeployment_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// TestAccModelDeploymentUnknownProviderConfig: the cluster's address is only known after
// another resource is created in the same apply (as with a cluster module). The plan still
// renders the manifest, and apply connects once the values are known.
func TestAccModelDeploymentUnknownProviderConfig(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	cfg := fmt.Sprintf(`
resource "terraform_data" "cluster" {
  input = { host = %q, token = %q, ca = %q }
}

provider "kubefoundry" {
  host                   = terraform_data.cluster.output.host
  token                  = terraform_data.cluster.output.token
  cluster_ca_certificate = terraform_data.cluster.output.ca
}

resource "kubefoundry_model_deployment" "m" {
  name      = "late-cluster"
  namespace = %q
  runtime   = "kuberay"
  model     = "Qwen/Qwen3-0.6B"
}
`, c.Host, c.Token, string(c.CAData), ns)
	resource.Test(t, steps(t, resource.TestStep{
		Config: cfg,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
			plancheck.ExpectKnownValue(addr, tfjsonpath.New("manifest"), knownvalue.NotNull()),
			plancheck.ExpectKnownValue(addr, tfjsonpath.New("endpoint"), knownvalue.StringExact("late-cluster-serve-svc."+ns+".svc.cluster.local:8000")),
		}},
		ConfigStateChecks: []statecheck.StateCheck{exact("phase", knownvalue.StringExact("Running"))},
	}))
}
