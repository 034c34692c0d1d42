package kservecrdtest

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

const addr = "kubefoundry_model_deployment.m"

// checkSpec reads the LLMInferenceService back from the API server (stored at v1alpha2,
// pruned by the CRD's schema) and checks the fields the provider owns.
func checkSpec(c *testcluster.Cluster, ns string, replicas, gpus int64, dataLocal int64, worker bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		o, err := c.Dynamic.Resource(llmisvcGVR).Namespace(ns).Get(context.Background(), "qwen", metav1.GetOptions{})
		if err != nil {
			return err
		}
		uri, _, _ := unstructured.NestedString(o.Object, "spec", "model", "uri")
		r, _, _ := unstructured.NestedInt64(o.Object, "spec", "replicas")
		dl, _, _ := unstructured.NestedInt64(o.Object, "spec", "parallelism", "dataLocal")
		_, hasWorker, _ := unstructured.NestedMap(o.Object, "spec", "worker")
		ctrs, _, _ := unstructured.NestedSlice(o.Object, "spec", "template", "containers")
		var g string
		if len(ctrs) == 1 {
			g, _, _ = unstructured.NestedString(ctrs[0].(map[string]any), "resources", "limits", "nvidia.com/gpu")
		}
		if uri != "hf://Qwen/Qwen3-0.6B" || r != replicas || dl != dataLocal || hasWorker != worker || g != fmt.Sprint(gpus) {
			return fmt.Errorf("stored spec: uri %q replicas %d dataLocal %d worker %v gpus %q; want replicas %d dataLocal %d worker %v gpus %d",
				uri, r, dl, hasWorker, g, replicas, dataLocal, worker, gpus)
		}
		return nil
	}
}

// Against the real CRDs only: create (strict server-side apply, no wait: no controller
// reports status here), scale, move to data parallel across two pods (a parallelism size
// change: replaced, as KServe's webhook requires), drift in the stored object, import,
// and destroy leaves nothing.
func TestAccKServeAgainstCRDs(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.ShortNamespace(t, "kserve-crd")
	body := func(replicas, gpus int, extra string) string {
		return fmt.Sprintf(`name      = "qwen"
namespace = %q
runtime   = "kserve"
model     = "Qwen/Qwen3-0.6B"
replicas  = %d
gpus      = %d
wait_for_ready = false
gateway = { parent_refs = [{ name = "inference-gateway", namespace = "gateway-system" }] }
%s
`, ns, replicas, gpus, extra)
	}
	cfg := func(b string) string { return acctest.Config(t, acctest.Deployment("m", b)) }
	attr := func(name string, v knownvalue.Check) statecheck.StateCheck { return acctest.Attr(addr, name, v) }
	dp := `kserve = { data_parallel = 4, data_local_parallel = 2 }`
	resource.Test(t, acctest.TestCase(t, acctest.NothingLeft(c, []string{ns}, llmisvcGVR),
		resource.TestStep{
			Config: cfg(body(1, 1, "")),
			ConfigStateChecks: []statecheck.StateCheck{
				attr("phase", knownvalue.StringExact("Pending")),
				attr("endpoint", knownvalue.StringExact("qwen-kserve-workload-svc."+ns+".svc.cluster.local:8000")),
				acctest.Attr(addr, "kserve", knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"api_version": knownvalue.StringExact("v1alpha2"), "scheduler": knownvalue.Bool(true)})),
			},
			Check: checkSpec(c, ns, 1, 1, 0, false),
		},
		resource.TestStep{
			Config: cfg(body(2, 1, "")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
			Check: checkSpec(c, ns, 2, 1, 0, false),
		},
		resource.TestStep{ // 4 ranks, 2 per pod: spec.worker; parallelism size 1 -> 2 replaces
			Config: cfg(body(2, 2, dp)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)}},
			Check: checkSpec(c, ns, 2, 2, 2, true),
		},
		resource.TestStep{ // drift in the stored object
			PreConfig: func() {
				patch := []byte(`{"spec":{"replicas":1}}`)
				if _, err := c.Dynamic.Resource(llmisvcGVR).Namespace(ns).Patch(context.Background(), "qwen", types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg(body(2, 2, dp)), PlanOnly: true, ExpectNonEmptyPlan: true,
		},
		resource.TestStep{
			Config:            cfg(body(2, 2, dp)),
			ConfigStateChecks: []statecheck.StateCheck{attr("replicas", knownvalue.Int64Exact(2))},
			Check:             checkSpec(c, ns, 2, 2, 2, true),
		},
		resource.TestStep{
			ResourceName: addr, ImportState: true, ImportStateId: ns + "/qwen", ImportStateVerify: true,
			// The gateway block is not imported (as for every runtime): the route is read from the gateway block in state.
			ImportStateVerifyIgnore: []string{"timeouts", "status_message", "wait_for_ready", "gateway"},
		},
	))
}
