package kaitosettest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

const addr = "kubefoundry_model_deployment.a"

// deployment is a KAITO vLLM deployment on the test's pool; extra goes into the body.
func deployment(ns string, replicas int, inferenceSet bool, extra string) string {
	return acctest.Deployment("a", fmt.Sprintf(`name = "qwen"
namespace = %q
runtime = "kaito"
model = "Qwen/Qwen3-0.6B"
replicas = %d
kaito = {
  model_source   = "vllm"
  label_selector = { pool = %q }
  cpu            = "1"
  inference_set  = %t
}
%s`, ns, replicas, ns, inferenceSet, extra))
}

const autoscaled = `autoscaling = { worker = { min_replicas = 1, max_replicas = 3, cpu_utilization = 60, scale_down_stabilization_seconds = 0 } }`

// TestAccRealKAITOInferenceSetAutoscalesWithLoad: every part real but the load and the nodes.
// A Workspace deployment moves to an InferenceSet by replacement; KAITO 0.12's InferenceSet
// controller creates a Workspace per replica and the workspace controller its pods on kwok GPU
// nodes. kwok reports the pods' CPU use, metrics-server scrapes it, and the HPA controller
// scales the InferenceSet through its scale subresource: 95% of the request (target 60%)
// scales to max_replicas, 10% back to min_replicas; after each, terraform plans nothing. An
// out-of-band HPA change is drift; import reads `autoscaling` back; turning autoscaling off
// returns to `replicas` in place; destroy leaves nothing.
func TestAccRealKAITOInferenceSetAutoscalesWithLoad(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t, testcluster.OperatorKAITO.LogName(), "kwok", testcluster.MetricsServerLogName)
	ns := c.ShortNamespace(t, "kset")
	c.KwokGPUNodes(t, ns, 3, 1, map[string]string{"pool": ns})
	if err := c.SetPodUsage(context.Background(), ns, "300m"); err != nil { // 30% of the request: at min_replicas
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.DeletePodUsage(context.Background(), ns) })
	config := acctest.Config(t, deployment(ns, 1, true, autoscaled))
	var setUID types.UID
	load := func(cpu string, replicas int, utilization func(int32) bool) func() {
		return func() {
			start := time.Now()
			if err := c.SetPodUsage(context.Background(), ns, cpu); err != nil {
				t.Fatal(err)
			}
			err := testcluster.Eventually(context.Background(), 5*time.Minute, func() error {
				_, u, err := hpa(c, ns)
				if err != nil {
					return err
				}
				if !utilization(u) {
					return fmt.Errorf("HPA reads CPU utilization %d%%", u)
				}
				return setState(c, ns, replicas)
			})
			if err != nil {
				_, u, _ := hpa(c, ns)
				t.Fatalf("CPU use %s per pod: %v (HPA reads %d%%)", cpu, err, u)
			}
			t.Logf("CPU use %s per pod: %d Workspaces and pods after %s", cpu, replicas, time.Since(start).Round(time.Second))
		}
	}
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns),
		resource.TestStep{ // a Workspace first
			Config: acctest.Config(t, deployment(ns, 1, false, "")),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.Attr(addr, "phase", knownvalue.StringExact("Running")),
				acctest.Attr(addr, "kaito", knownvalue.ObjectPartial(map[string]knownvalue.Check{"inference_set": knownvalue.Bool(false)})),
			},
		},
		resource.TestStep{ // kaito.inference_set (with autoscaling) replaces it by an InferenceSet
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.Attr(addr, "phase", knownvalue.StringExact("Running")),
				acctest.Attr(addr, "endpoint", knownvalue.StringExact("qwen-vllm."+ns+".svc.cluster.local:8000")),
			},
			Check: func(*terraform.State) error {
				if _, err := c.Dynamic.Resource(workspaceGVR).Namespace(ns).Get(context.Background(), "qwen", metav1.GetOptions{}); err == nil {
					return fmt.Errorf("the Workspace qwen is still there after the move to an InferenceSet")
				}
				set, err := c.Dynamic.Resource(inferenceSetGVR).Namespace(ns).Get(context.Background(), "qwen", metav1.GetOptions{})
				if err != nil {
					return err
				}
				setUID = set.GetUID()
				return testcluster.Eventually(context.Background(), 3*time.Minute, func() error {
					h, u, err := hpa(c, ns)
					if err != nil {
						return err
					}
					if err := hpaConditionsTrue(h); err != nil {
						return err
					}
					if u < 20 || u > 40 {
						return fmt.Errorf("HPA reads CPU utilization %d%%, want about 30%%", u)
					}
					return setState(c, ns, 1)
				})
			},
		},
		resource.TestStep{
			PreConfig: load("950m", 3, func(u int32) bool { return u > 80 }),
			Config:    config,
			PlanOnly:  true, // the HPA's 3 replicas are not drift
		},
		resource.TestStep{
			PreConfig: load("100m", 1, func(u int32) bool { return u >= 0 && u < 20 }),
			Config:    config,
			PlanOnly:  true,
		},
		resource.TestStep{ // out-of-band change of the HPA (at low load, so it scales nothing): drift, and apply restores it
			PreConfig: func() {
				patch := []byte(`{"spec":{"maxReplicas":5}}`)
				if _, err := c.Clientset.AutoscalingV2().HorizontalPodAutoscalers(ns).Patch(context.Background(), "qwen", types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
					t.Fatal(err)
				}
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
			}},
			Check: func(*terraform.State) error {
				h, _, err := hpa(c, ns)
				if err != nil {
					return err
				}
				if h.Spec.MaxReplicas != 3 {
					return fmt.Errorf("HPA maxReplicas %d after apply, want 3", h.Spec.MaxReplicas)
				}
				// The apply kept the autoscaler's size.
				return setState(c, ns, 1)
			},
		},
		resource.TestStep{ // import reads kaito.inference_set and autoscaling back
			ResourceName: addr, ImportState: true, ImportStateId: ns + "/qwen", ImportStateVerify: true,
			ImportStateVerifyIgnore: []string{"timeouts", "status_message"},
		},
		resource.TestStep{ // autoscaling off: back to `replicas`, in place
			Config: acctest.Config(t, deployment(ns, 2, true, "")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
			}},
			Check: func(*terraform.State) error {
				set, err := c.Dynamic.Resource(inferenceSetGVR).Namespace(ns).Get(context.Background(), "qwen", metav1.GetOptions{})
				if err != nil {
					return err
				}
				if set.GetUID() != setUID {
					return fmt.Errorf("the InferenceSet was replaced (uid %s, was %s), want an in-place update", set.GetUID(), setUID)
				}
				if _, err := c.Clientset.AutoscalingV2().HorizontalPodAutoscalers(ns).Get(context.Background(), "qwen", metav1.GetOptions{}); err == nil {
					return fmt.Errorf("the HPA is still there after autoscaling was removed")
				}
				return testcluster.Eventually(context.Background(), 3*time.Minute, func() error { return setState(c, ns, 2) })
			},
		},
	))
}
