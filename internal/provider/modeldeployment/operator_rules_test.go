package modeldeployment_test

import (
	"context"
	"fmt"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// D4: KAITO's webhook makes resource.count / labelSelector immutable and its reconciler never
// rolls out inference.template changes (kaito-project/kaito v0.12.0
// api/v1beta1/workspace_validation.go, pkg/workspace/inference/template_inference.go), so
// such changes are planned as a replacement and the Workspace is really recreated.
func TestAccD4KaitoChangesAreReplacements(t *testing.T) {
	ns := testcluster.Get(t).Namespace(t)
	base := fmt.Sprintf(`name = "kreplace"
namespace = %q
runtime = "kaito"
model = "kaito/llama3.2-1b"`, ns)
	var uids []types.UID
	recordUID := func(wantCount int64) resource.TestCheckFunc {
		return func(*terraform.State) error {
			obj := getObject(t, "kaito", ns, "kreplace")
			if n, _, _ := unstructured.NestedInt64(obj.Object, "resource", "count"); n != wantCount {
				return fmt.Errorf("resource.count = %d, want %d", n, wantCount)
			}
			for _, u := range uids {
				if u == obj.GetUID() {
					return fmt.Errorf("the Workspace was updated in place (uid %s seen before), want it recreated", u)
				}
			}
			uids = append(uids, obj.GetUID())
			return nil
		}
	}
	resource.Test(t, steps(t,
		resource.TestStep{Config: config(t, base), Check: recordUID(1)},
		resource.TestStep{
			Config: config(t, base+"\nreplicas = 2"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
			}},
			ConfigStateChecks: []statecheck.StateCheck{exact("phase", knownvalue.StringExact("Running"))},
			Check:             recordUID(2),
		},
		// A template-only change (memory request) is a replacement too.
		resource.TestStep{
			Config: config(t, base+"\nreplicas = 2\nmemory = \"6Gi\""),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
			}},
			Check: recordUID(2),
		},
		// wait_for_ready only changes our behaviour, not the Workspace: in place.
		resource.TestStep{
			Config: config(t, base+"\nreplicas = 2\nmemory = \"6Gi\"\nwait_for_ready = false"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
			}},
		},
	))
}

// The KubeRay operator rejects some specs in its reconciler only: it emits a Warning event
// (InvalidRayServiceSpec / InvalidRayServiceMetadata, "<ns>/<name>: <error>",
// ray-operator/controllers/ray/rayservice_controller.go, ray-project/kuberay v1.5.1 and
// v1.6.2) and requeues forever. The wait must end at once with KubeRay's words. The event is
// written here by the test in KubeRay's exact shape (a stand-in: the operator is not run by
// this package; the 1.6.2 condition form is covered by the kuberay status table).
func TestAccKubeRayRejectionEventFailsFast(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	outcomes.Store("rejected", testcluster.Outcome{Phase: "Deploying"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for ctx.Err() == nil {
			obj, err := c.Dynamic.Resource(testcluster.GVRFor("kuberay")).Namespace(ns).Get(ctx, "rejected", metav1.GetOptions{})
			if err == nil {
				now := metav1.Now()
				_, _ = c.Clientset.CoreV1().Events(ns).Create(ctx, &corev1.Event{
					ObjectMeta:     metav1.ObjectMeta{GenerateName: "rejected."},
					InvolvedObject: corev1.ObjectReference{Kind: "RayService", APIVersion: "ray.io/v1", Namespace: ns, Name: "rejected", UID: obj.GetUID()},
					Type:           corev1.EventTypeWarning, Reason: "InvalidRayServiceSpec",
					Message:        ns + "/rejected: The RayService spec is invalid: worker group gpu-group: minReplicas must be <= maxReplicas",
					FirstTimestamp: now, LastTimestamp: now, Count: 1, Source: corev1.EventSource{Component: "rayservice-controller"},
				}, metav1.CreateOptions{})
				return
			}
			time.Sleep(200 * time.Millisecond)
		}
	}()
	start := time.Now()
	resource.Test(t, steps(t, resource.TestStep{
		Config: config(t, fmt.Sprintf(`name = "rejected"
namespace = %q
runtime = "kuberay"
model = "Qwen/Qwen3-0.6B"
timeouts {
  create = "5m"
}`, ns)),
		ExpectError: regexp.MustCompile(`(?s)operator\s+will\s+not\s+deploy\s+this\s+spec.*InvalidRayServiceSpec:.*minReplicas\s+must\s+be\s+<=\s+maxReplicas`),
	}))
	if d := time.Since(start); d > 2*time.Minute {
		t.Errorf("the wait took %s: it must end on the rejection, not at the timeout", d)
	}
}

// D10: a sibling deployment whose RayCluster name starts with this one's name must not
// end this wait with its own pod trouble (KubeRay names clusters "<rayservice>-<suffix>").
func TestAccD10SiblingPodsDoNotAbortTheWait(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	ctx := context.Background()
	pod, err := c.CreatePod(ctx, testcluster.GPUPod{Namespace: ns, Name: "sib-pd-abcde-worker", Labels: map[string]string{"ray.io/cluster": "sib-pd-abcde"}})
	if err != nil {
		t.Fatal(err)
	}
	pod.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "main", Image: "registry.invalid/model:1",
		State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: "back-off 5m0s"}}}}
	if _, err := c.Clientset.CoreV1().Pods(ns).UpdateStatus(ctx, pod, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	// Deploying long enough for the wait's pod checks (every 3 s) to see the sibling.
	outcomes.Store("sib", testcluster.Outcome{Phase: "Running", Delay: 8 * time.Second})
	resource.Test(t, steps(t, resource.TestStep{
		Config: config(t, fmt.Sprintf(`name = "sib"
namespace = %q
runtime = "kuberay"
model = "Qwen/Qwen3-0.6B"`, ns)),
		ConfigStateChecks: []statecheck.StateCheck{exact("phase", knownvalue.StringExact("Running"))},
	}))
}

// D6: right after an in-place serveConfigV2 change KubeRay stamps the new observedGeneration
// while still reporting the previous config's RUNNING applications for one reconcile
// (rayservice_controller.go reconcileServe, ray-project/kuberay v1.6.2), then DEPLOYING, then
// RUNNING. The apply must return only after the final RUNNING. The statuses are written here
// in that order (a stand-in for the operator, which this package does not run).
func TestAccD6KubeRayServeUpdateWaitsForNewConfig(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	gvr := testcluster.GVRFor("kuberay")
	var finalWritten atomic.Bool
	status := func(gen int64, app string) map[string]any {
		return map[string]any{"observedGeneration": gen,
			"conditions": []any{map[string]any{"type": "Ready", "status": "True", "reason": "NonZeroServeEndpoints",
				"message": "Number of serve endpoints is greater than 0", "lastTransitionTime": "2026-01-01T00:00:00Z", "observedGeneration": gen}},
			"activeServiceStatus": map[string]any{"applicationStatuses": map[string]any{"llm_app": map[string]any{"status": app}}}}
	}
	play := func() {
		ctx := context.Background()
		for {
			obj, err := c.Dynamic.Resource(gvr).Namespace(ns).Get(ctx, "serveupd", metav1.GetOptions{})
			if err == nil && obj.GetGeneration() == 2 {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		time.Sleep(300 * time.Millisecond) // after the played operator's own Deploying write
		for _, s := range []struct {
			app   string
			after time.Duration
		}{{"RUNNING", 0}, {"DEPLOYING", 2 * time.Second}, {"RUNNING", 3 * time.Second}} {
			time.Sleep(s.after)
			if err := testcluster.SetStatus(ctx, c.Dynamic, gvr, ns, "serveupd", func(gen int64) map[string]any { return status(gen, s.app) }); err != nil {
				t.Errorf("writing status: %v", err)
			}
		}
		finalWritten.Store(true)
	}
	base := fmt.Sprintf(`name = "serveupd"
namespace = %q
runtime = "kuberay"
model = "Qwen/Qwen3-0.6B"`, ns)
	resource.Test(t, steps(t,
		resource.TestStep{Config: config(t, base)},
		resource.TestStep{
			PreConfig: func() {
				outcomes.Store("serveupd", testcluster.Outcome{Phase: "Deploying"})
				go play()
			},
			Config: config(t, base+"\nkuberay = { max_num_seqs = 16 }"),
			Check: func(*terraform.State) error {
				if !finalWritten.Load() {
					return fmt.Errorf("the apply returned on the previous config's RUNNING status, before the new config was RUNNING")
				}
				return nil
			},
		},
	))
}
