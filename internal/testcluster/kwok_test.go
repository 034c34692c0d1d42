package testcluster

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
)

// Options.Kwok alone: the scheduler binds a GPU pod to a node CreateGPUNode made (a kwok node
// in such a cluster) and kwok reports it Running with a pod IP; no operator runs.
func TestKwokClusterRunsPodsTheSchedulerBinds(t *testing.T) {
	ctx := context.Background()
	c, err := Start(ctx, Options{Kwok: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	if _, err := c.CreateGPUNode(ctx, GPUNode{Name: "gpu-0", GPUs: 4, Product: "NVIDIA-L4", MemoryMiB: 23034}); err != nil {
		t.Fatal(err)
	}
	q := corev1.ResourceList{"nvidia.com/gpu": resource.MustParse("4")}
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "default"}, Spec: corev1.PodSpec{
		Containers: []corev1.Container{{Name: "main", Image: "registry.invalid/x:1", Resources: corev1.ResourceRequirements{Requests: q, Limits: q}}}}}
	if _, err := c.Clientset.CoreV1().Pods("default").Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	var got *corev1.Pod
	err = wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, 60*time.Second, true, func(ctx context.Context) (bool, error) {
		got, err = c.Clientset.CoreV1().Pods("default").Get(ctx, "p", metav1.GetOptions{})
		return err == nil && got.Status.Phase == corev1.PodRunning && got.Status.PodIP != "", nil
	})
	if err != nil {
		t.Fatalf("pod not Running with an IP: %v\n%s", got.Status, c.LogTail("kwok", 20))
	}
	if got.Spec.NodeName != "gpu-0" {
		t.Errorf("pod on %q, want gpu-0", got.Spec.NodeName)
	}
	if len(c.OperatorStartup()) != 0 {
		t.Errorf("operators started in a kwok-only cluster: %v", c.OperatorStartup())
	}
}
