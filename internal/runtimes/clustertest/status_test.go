package clustertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/registry"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// deploy creates the first case of r under a new name and returns its config and live object.
func deploy(t *testing.T, c *testcluster.Cluster, r rt.Runtime, ns, name string) (rt.DeploymentConfig, *unstructured.Unstructured) {
	t.Helper()
	cfg := runtimestest.Defaulted(t, r, runtimestest.Cases(r.ID())[0])
	cfg.Name, cfg.Namespace = name, ns
	return cfg, apply(t, c, r, cfg)
}

func apply(t *testing.T, c *testcluster.Cluster, r rt.Runtime, cfg rt.DeploymentConfig) *unstructured.Unstructured {
	t.Helper()
	m, err := r.Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	live, err := applyStrict(context.Background(), c.Dynamic, m.Primary, false)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	return live
}

// writeStatus replaces the object's status through the status subresource, strictly
// validated, so a status field the CRD does not know fails the test.
func writeStatus(t *testing.T, c *testcluster.Cluster, obj *unstructured.Unstructured, status map[string]any) *unstructured.Unstructured {
	t.Helper()
	obj = obj.DeepCopy()
	obj.Object["status"] = runtime.DeepCopyJSON(status)
	updated, err := resourceFor(c.Dynamic, obj).UpdateStatus(context.Background(), obj, metav1.UpdateOptions{FieldValidation: "Strict"})
	if err != nil {
		t.Fatalf("writing status: %v", err)
	}
	return updated
}

// TestStatusThroughSubresource writes every status case of every runtime through the real
// status subresource and maps the object read back.
func TestStatusThroughSubresource(t *testing.T) {
	c := testcluster.Get(t)
	ctx := context.Background()
	for _, r := range registry.All() {
		ns := c.Namespace(t)
		clusterFor(t, r) // installs the CRDs no runtime set holds (LWS, KServe)
		for i, sc := range runtimestest.StatusCases(r.ID()) {
			t.Run(r.ID()+"/"+sc.Name, func(t *testing.T) {
				cfg, live := deploy(t, c, r, ns, fmt.Sprintf("status-%d", i))
				if live.GetGeneration() != 1 {
					t.Fatalf("new object has generation %d", live.GetGeneration())
				}
				if sc.Status != nil {
					if sc.Since != "" && !crdHasStatusFields(t, c, live, sc.Status) {
						t.Skipf("status needs the %s %s CRD; TestKaitoKubeRayManifestsPassStrictDryRunPerVersion writes it per release", r.ID(), sc.Since)
					}
					live = writeStatus(t, c, live, sc.Status)
				}
				if sc.Stale {
					cfg.Replicas = rt.Int64(*cfg.Replicas + 1)
					live = apply(t, c, r, cfg)
					if live.GetGeneration() != 2 {
						t.Fatalf("spec change left generation at %d", live.GetGeneration())
					}
				}
				got, err := resourceFor(c.Dynamic, live).Get(ctx, live.GetName(), metav1.GetOptions{})
				if err != nil {
					t.Fatal(err)
				}
				runtimestest.AssertStatus(t, sc, r.Status(got, nil, nil))
			})
		}
	}
}

// TestTerminatingWhileFinalizerHolds deletes objects held by a finalizer (as the operators
// do): they must report Terminating.
func TestTerminatingWhileFinalizerHolds(t *testing.T) {
	ctx := context.Background()
	for _, r := range registry.All() {
		t.Run(r.ID(), func(t *testing.T) {
			c := clusterFor(t, r) // installs the CRDs r needs, so the test runs on its own too
			_, live := deploy(t, c, r, c.Namespace(t), "deleting-"+r.ID())
			res := resourceFor(c.Dynamic, live)
			// A merge patch, not an Update: a controller (the Deployment controller for
			// runtime vllm) may write the object between our read and our write.
			live, err := res.Patch(ctx, live.GetName(), types.MergePatchType,
				[]byte(`{"metadata":{"finalizers":["kubefoundry.io/test"]}}`), metav1.PatchOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				_, _ = res.Patch(ctx, live.GetName(), types.MergePatchType,
					[]byte(`{"metadata":{"finalizers":null}}`), metav1.PatchOptions{})
			})
			if err := res.Delete(ctx, live.GetName(), metav1.DeleteOptions{}); err != nil {
				t.Fatal(err)
			}
			got, err := res.Get(ctx, live.GetName(), metav1.GetOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if st := r.Status(got, nil, nil); st.Phase != rt.PhaseTerminating {
				t.Errorf("phase = %s, want Terminating", st.Phase)
			}
		})
	}
}

// TestStatusExplainsPodsAndEvents creates pods stuck in image pulls and crash loops plus a
// FailedScheduling event through the API, and expects them in the status message.
func TestStatusExplainsPodsAndEvents(t *testing.T) {
	c := testcluster.Get(t)
	ctx := context.Background()
	ns := c.Namespace(t)
	r, _ := registry.Get("dynamo")
	_, live := deploy(t, c, r, ns, "stuck")
	live = writeStatus(t, c, live, map[string]any{"state": "initializing"})

	createPod(t, c, ns, "stuck-worker-0", corev1.ContainerStateWaiting{Reason: "ImagePullBackOff", Message: `Back-off pulling image "nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.7.1"`})
	createPod(t, c, ns, "stuck-worker-1", corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: "back-off 5m0s restarting failed container"})
	unschedulable := "0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
	now := metav1.NewTime(time.Now())
	_, err := c.Clientset.CoreV1().Events(ns).Create(ctx, &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: "stuck-frontend-0.1", Namespace: ns},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "stuck-frontend-0", Namespace: ns},
		Reason:         "FailedScheduling", Message: unschedulable, Type: corev1.EventTypeWarning,
		FirstTimestamp: now, LastTimestamp: now, Count: 1,
		Source: corev1.EventSource{Component: "default-scheduler"},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}

	pods, err := c.Clientset.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	events, err := c.Clientset.CoreV1().Events(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st := r.Status(live, pods.Items, events.Items)
	if st.Phase != rt.PhaseDeploying {
		t.Errorf("phase = %s, want Deploying", st.Phase)
	}
	for _, want := range []string{"stuck-worker-0 container main: ImagePullBackOff", "CrashLoopBackOff", unschedulable} {
		if !strings.Contains(st.Message, want) {
			t.Errorf("message %q lacks %q", st.Message, want)
		}
	}
}

func createPod(t *testing.T, c *testcluster.Cluster, ns, name string, waiting corev1.ContainerStateWaiting) {
	t.Helper()
	ctx := context.Background()
	pod, err := c.Clientset.CoreV1().Pods(ns).Create(ctx, &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "main", Image: "registry.invalid/model:1"}}},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pod.Status.Phase = corev1.PodPending
	pod.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "main", Image: "registry.invalid/model:1", State: corev1.ContainerState{Waiting: &waiting}}}
	if _, err := c.Clientset.CoreV1().Pods(ns).UpdateStatus(ctx, pod, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}
