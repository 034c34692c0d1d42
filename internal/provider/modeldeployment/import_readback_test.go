package modeldeployment_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// importThenEmptyPlan imports the deployment the previous step applied, checks the imported
// state equals the applied one, and that the configuration then plans nothing.
func importThenEmptyPlan(ns, body string, t *testing.T) []resource.TestStep {
	return []resource.TestStep{
		{
			ResourceName: addr, ImportState: true, ImportStateId: ns + "/qwen", ImportStateVerify: true,
			ImportStateVerifyIgnore: []string{"timeouts", "status_message"},
		},
		{
			Config:           config(t, body),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
	}
}

// Import reads `pod.resources` (cpu, extra resources, the GPU resource name) back: the
// imported state equals the applied one and the next plan is empty.
func TestAccImportReadsPodResources(t *testing.T) {
	ns := testcluster.Get(t).Namespace(t)
	body := fmt.Sprintf(`name = "qwen"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"
pod = { resources = { cpu = "2", extra = { "rdma/hca" = "1" }, gpu_resource_name = "nvidia.com/mig-3g.20gb" } }`, ns)
	resource.Test(t, steps(t, append([]resource.TestStep{{
		Config: config(t, body),
		ConfigStateChecks: []statecheck.StateCheck{
			exact("phase", knownvalue.StringExact("Running")),
		},
	}}, importThenEmptyPlan(ns, body, t)...)...))
}

// Import reads KubeRay's `autoscaling` back from the RayService (the Ray autoscaler's worker
// group bounds and Serve's target_ongoing_requests).
func TestAccImportReadsKubeRayAutoscaling(t *testing.T) {
	ns := testcluster.Get(t).Namespace(t)
	body := fmt.Sprintf(`name = "qwen"
namespace = %q
runtime = "kuberay"
model = "Qwen/Qwen3-0.6B"
autoscaling = { worker = { min_replicas = 1, max_replicas = 2, target_ongoing_requests = 3 } }`, ns)
	resource.Test(t, steps(t, append([]resource.TestStep{{
		Config: config(t, body),
		ConfigStateChecks: []statecheck.StateCheck{
			exact("phase", knownvalue.StringExact("Running")),
		},
	}}, importThenEmptyPlan(ns, body, t)...)...))
}
