// Package costtest checks `estimated_hourly_cost` of kubefoundry_model_deployment against the
// test cluster: without a GPU selector the GPU type comes from the cluster's GPU nodes, and a
// refresh (and an import) computes the same value, so the plan after apply stays empty.
package costtest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/cost"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) {
	ctx, cancel := context.WithCancel(context.Background())
	acctest.MainWith(m, func(c *testcluster.Cluster) func() {
		// A stand-in for the Dynamo operator's status (no GPUs here to run workers on).
		go testcluster.PlayOperators(ctx, c.Dynamic, func(string, *unstructured.Unstructured) testcluster.Outcome {
			return testcluster.Outcome{Phase: "Running", Delay: 300 * time.Millisecond}
		})
		return cancel
	})
}

func TestAccEstimatedHourlyCostFromClusterGPUs(t *testing.T) {
	c := testcluster.Get(t)
	ctx := context.Background()
	if _, err := c.CreateGPUNode(ctx, testcluster.GPUNode{Name: "cost-l4", GPUs: 4, Product: "NVIDIA-L4", MemoryMiB: 23034}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = c.Clientset.CoreV1().Nodes().Delete(context.Background(), "cost-l4", metav1.DeleteOptions{})
	})
	ns := c.Namespace(t)
	l4, ok := cost.Lookup("gcp", "l4")
	if !ok {
		t.Fatal("table lacks gcp/l4")
	}
	want := knownvalue.Float64Exact(float64(int64(2*l4.PerGPUHour()*1e4+0.5)) / 1e4)
	const addr = "kubefoundry_model_deployment.m"
	config := acctest.ProviderBlock(t, `  pricing = { cloud = "gcp" }`) + fmt.Sprintf(`
resource "kubefoundry_model_deployment" "m" {
  name      = "priced"
  namespace = %q
  runtime   = "dynamo"
  model     = "Qwen/Qwen3-0.6B"
  gpus      = 2
}
`, ns)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("estimated_hourly_cost"), want),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("estimated_hourly_cost"), want),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("phase"), knownvalue.StringExact("Running")),
			},
		}, {
			// Import computes the cost from the live object and the cluster, like the plan did.
			ResourceName:            addr,
			ImportState:             true,
			ImportStateId:           ns + "/priced",
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: []string{"timeouts", "status_message"},
		}, {
			Config:           config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}
