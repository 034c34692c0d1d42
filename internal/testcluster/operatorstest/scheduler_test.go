package operatorstest

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func gpuPod(ns, name string, gpus int64, sel map[string]string) *corev1.Pod {
	q := corev1.ResourceList{"nvidia.com/gpu": *resource.NewQuantity(gpus, resource.DecimalSI)}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: map[string]string{"app": name}},
		Spec: corev1.PodSpec{NodeSelector: sel, Containers: []corev1.Container{{Name: "main", Image: "registry.invalid/engine:1",
			Resources: corev1.ResourceRequirements{Requests: q, Limits: q}}}},
	}
}

// The real scheduler binds a GPU pod to a kwok node with room, and kwok runs it with a pod IP.
func TestSchedulerBindsGPUPodToKwokNodeAndKwokRunsIt(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	ns := c.Namespace(t)
	nodes := gpuNodes(t, c, ns, 1, 2, map[string]string{"pool": ns})
	pod := gpuPod(ns, "fits", 2, map[string]string{"pool": ns})
	if _, err := c.Clientset.CoreV1().Pods(ns).Create(context.Background(), pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	got := runningPods(t, c, ns, "app=fits", 1, 60*time.Second)[0]
	if got.Spec.NodeName != nodes[0] {
		t.Errorf("pod bound to %q, want %q", got.Spec.NodeName, nodes[0])
	}
	node, err := c.Clientset.CoreV1().Nodes().Get(context.Background(), nodes[0], metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"nvidia.com/gpu.product", "nvidia.com/gpu.memory", "nvidia.com/gpu.count"} {
		if node.Labels[l] == "" {
			t.Errorf("node lacks GPU Feature Discovery label %s: %v", l, node.Labels)
		}
	}
	if q := node.Status.Allocatable["nvidia.com/gpu"]; q.Value() != 2 {
		t.Errorf("node allocatable nvidia.com/gpu = %s, want 2 (kwok must keep the capacity we registered)", q.String())
	}
}

// A pod asking for more GPUs than any node has gets the scheduler's own message.
func TestSchedulerReportsInsufficientGPU(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t, "kube-scheduler")
	ns := c.Namespace(t)
	gpuNodes(t, c, ns, 1, 8, nil)
	pod := gpuPod(ns, "too-big", 64, nil)
	if _, err := c.Clientset.CoreV1().Pods(ns).Create(context.Background(), pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	ev, err := c.WaitForEvent(context.Background(), ns, "Pod", "too-big", "FailedScheduling", "Insufficient nvidia.com/gpu", 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ev.Message, "nodes are available") {
		t.Errorf("unexpected scheduler message %q", ev.Message)
	}
	p, err := c.Clientset.CoreV1().Pods(ns).Get(context.Background(), "too-big", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Spec.NodeName != "" || p.Status.Phase != corev1.PodPending {
		t.Errorf("pod %s on %q, want Pending and unbound", p.Status.Phase, p.Spec.NodeName)
	}
}

// A tainted GPU pool takes only pods that tolerate the taint.
func TestSchedulerHonoursTaintsOnKwokNodes(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t, "kube-scheduler")
	ns := c.Namespace(t)
	taint := corev1.Taint{Key: "nvidia.com/gpu", Value: "present", Effect: corev1.TaintEffectNoSchedule}
	gpuNodes(t, c, ns, 1, 1, map[string]string{"pool": ns}, taint)
	blocked := gpuPod(ns, "no-toleration", 1, map[string]string{"pool": ns})
	tolerant := gpuPod(ns, "tolerates", 1, map[string]string{"pool": ns})
	tolerant.Spec.Tolerations = []corev1.Toleration{{Key: "nvidia.com/gpu", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}}
	for _, p := range []*corev1.Pod{blocked, tolerant} {
		if _, err := c.Clientset.CoreV1().Pods(ns).Create(context.Background(), p, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	runningPods(t, c, ns, "app=tolerates", 1, 60*time.Second)
	if _, err := c.WaitForEvent(context.Background(), ns, "Pod", "no-toleration", "FailedScheduling", "untolerated taint", 60*time.Second); err != nil {
		t.Fatal(err)
	}
}
