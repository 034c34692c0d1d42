package testcluster

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
)

// GPUNode describes a simulated GPU node.
type GPUNode struct {
	Name      string
	GPUs      int64
	Product   string // nvidia.com/gpu.product, e.g. "NVIDIA-A100-SXM4-80GB"
	MemoryMiB int64  // nvidia.com/gpu.memory; 0 leaves the label off
	Labels    map[string]string
}

// CreateGPUNode creates a Node with GPU Feature Discovery labels and writes its capacity
// and allocatable through the status subresource, as a kubelet would.
// In a cluster running kwok it makes a kwok node instead (CreateKwokNode).
func (c *Cluster) CreateGPUNode(ctx context.Context, n GPUNode) (*corev1.Node, error) {
	if c.kwok {
		return c.CreateKwokNode(ctx, n)
	}
	labels := map[string]string{"kubernetes.io/os": "linux", "kubernetes.io/hostname": n.Name}
	if n.GPUs > 0 {
		labels["nvidia.com/gpu.present"] = "true"
		labels["nvidia.com/gpu.count"] = strconv.FormatInt(n.GPUs, 10)
	}
	if n.Product != "" {
		labels["nvidia.com/gpu.product"] = n.Product
	}
	if n.MemoryMiB > 0 {
		labels["nvidia.com/gpu.memory"] = strconv.FormatInt(n.MemoryMiB, 10)
	}
	for k, v := range n.Labels {
		labels[k] = v
	}
	node, err := c.Clientset.CoreV1().Nodes().Create(ctx, &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: n.Name, Labels: labels}}, metav1.CreateOptions{})
	if err != nil {
		return nil, fmt.Errorf("creating node %s: %w", n.Name, err)
	}
	res := corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse("32"),
		corev1.ResourceMemory: resource.MustParse("256Gi"),
		corev1.ResourcePods:   resource.MustParse("110"),
	}
	if n.GPUs > 0 {
		res["nvidia.com/gpu"] = *resource.NewQuantity(n.GPUs, resource.DecimalSI)
	}
	// The node lifecycle controller edits new nodes too: retry on conflicts.
	err = retry.RetryOnConflict(retry.DefaultRetry, func() error {
		latest, err := c.Clientset.CoreV1().Nodes().Get(ctx, n.Name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		latest.Status.Capacity = res
		latest.Status.Allocatable = res
		latest.Status.Conditions = []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady",
			LastHeartbeatTime: metav1.Now(), LastTransitionTime: metav1.Now()}}
		node, err = c.Clientset.CoreV1().Nodes().UpdateStatus(ctx, latest, metav1.UpdateOptions{})
		return err
	})
	return node, err
}

// GPUPod describes a pod bound to a node and holding GPUs.
type GPUPod struct {
	Namespace, Name, Node string
	GPUs                  int64 // set as request and limit
	LimitsOnly            bool  // set the GPUs as limits only
	InitGPUs              int64 // GPUs of an init container (never counted)
	Phase                 corev1.PodPhase
	Labels                map[string]string
}

// CreatePod creates a pod already bound to its node and writes its phase through the
// status subresource (no scheduler or kubelet runs here).
func (c *Cluster) CreatePod(ctx context.Context, p GPUPod) (*corev1.Pod, error) {
	gpu := corev1.ResourceList{"nvidia.com/gpu": *resource.NewQuantity(p.GPUs, resource.DecimalSI)}
	ctr := corev1.Container{Name: "main", Image: "registry.invalid/model:1"}
	if p.GPUs > 0 {
		ctr.Resources.Limits = gpu
		if !p.LimitsOnly {
			ctr.Resources.Requests = gpu
		}
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: p.Namespace, Name: p.Name, Labels: p.Labels},
		Spec:       corev1.PodSpec{NodeName: p.Node, Containers: []corev1.Container{ctr}},
	}
	if p.InitGPUs > 0 {
		q := corev1.ResourceList{"nvidia.com/gpu": *resource.NewQuantity(p.InitGPUs, resource.DecimalSI)}
		pod.Spec.InitContainers = []corev1.Container{{Name: "init", Image: "registry.invalid/init:1",
			Resources: corev1.ResourceRequirements{Requests: q, Limits: q}}}
	}
	created, err := c.Clientset.CoreV1().Pods(p.Namespace).Create(ctx, pod, metav1.CreateOptions{})
	if err != nil {
		return nil, fmt.Errorf("creating pod %s/%s: %w", p.Namespace, p.Name, err)
	}
	phase := p.Phase
	if phase == "" {
		phase = corev1.PodRunning
	}
	created.Status.Phase = phase
	return c.Clientset.CoreV1().Pods(p.Namespace).UpdateStatus(ctx, created, metav1.UpdateOptions{})
}

// DeleteNodes removes nodes when the test ends.
// KwokGPUNodes creates count kwok A100 nodes "<prefix>-a", "<prefix>-b", ... with gpus GPUs
// each, the labels and taints given, fails t on error and removes them when t ends.
func (c *Cluster) KwokGPUNodes(t testing.TB, prefix string, count int, gpus int64, labels map[string]string, taints ...corev1.Taint) []string {
	t.Helper()
	var names []string
	for i := range count {
		n := GPUNode{Name: fmt.Sprintf("%s-%c", prefix, 'a'+i), GPUs: gpus, Product: "NVIDIA-A100-SXM4-80GB", MemoryMiB: 81920, Labels: labels}
		names = append(names, n.Name)
		if _, err := c.CreateKwokNode(context.Background(), n, taints...); err != nil {
			t.Fatal(err)
		}
	}
	c.DeleteNodes(t, names...)
	return names
}

func (c *Cluster) DeleteNodes(t testing.TB, names ...string) {
	t.Cleanup(func() {
		for _, n := range names {
			_ = c.Clientset.CoreV1().Nodes().Delete(context.Background(), n, metav1.DeleteOptions{})
		}
	})
}
