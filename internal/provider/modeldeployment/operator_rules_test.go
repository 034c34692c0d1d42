package modeldeployment_test

import (
	"context"
	"fmt"
	"regexp"
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
