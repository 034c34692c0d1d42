package testcluster

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
)

// kwokNodeAnnotation marks the nodes kwok manages (kwok's own convention); other nodes,
// e.g. those of CreateGPUNode in a cluster without kwok, are left alone.
const kwokNodeAnnotation = "kwok.x-k8s.io/node"

// startScheduler runs the real kube-scheduler of the same Kubernetes build: it binds pods to
// nodes, so "Insufficient nvidia.com/gpu" comes from the real thing.
func (c *Cluster) startScheduler(bin string) error {
	return c.run(filepath.Join(bin, "kube-scheduler"), "kube-scheduler",
		"--kubeconfig="+c.Kubeconfig, "--leader-elect=false", "--secure-port=0", "--v=2")
}

// startKwok runs kwok (sigs.k8s.io/kwok cmd/kwok) with kwok's own "fast" node and pod stages
// (copied verbatim from the module by scripts/operators-build.sh): it initialises the nodes
// carrying kwokNodeAnnotation, renews their leases, and moves the pods bound to them to
// Running and Ready with pod IPs from --cidr. No container runs: there is no kubelet.
// With Options.MetricsServer it also serves the nodes' kubelet resource metrics on loopback.
func (c *Cluster) startKwok() error {
	stages := filepath.Join(c.OperatorBin, "kwok-stages.yaml")
	args := []string{
		"--kubeconfig=" + c.Kubeconfig,
		"--manage-all-nodes=false",
		"--manage-nodes-with-annotation-selector=" + kwokNodeAnnotation + "=fake",
		"--node-lease-duration-seconds=40",
		"--cidr=" + c.podCIDR,
	}
	if c.metrics != nil {
		args = append(args, c.metrics.kwokMetricsArgs(stages)...)
	} else {
		args = append(args, "--config="+stages, "--node-ip=10.240.0.1")
	}
	return c.run(filepath.Join(c.OperatorBin, "kwok"), "kwok", args...)
}

// CreateKwokNode creates a node that kwok manages, with GPU capacity and the labels NVIDIA GPU
// Feature Discovery puts on a GPU node (nvidia.com/gpu.product, .memory, .count, ...), plus
// n.Labels and the taints given (e.g. a tainted GPU pool). It waits until kwok reports it
// Ready. The cluster must run kwok (Options.Kwok or Options.Operators). The node is not
// deleted afterwards: use DeleteNodes.
func (c *Cluster) CreateKwokNode(ctx context.Context, n GPUNode, taints ...corev1.Taint) (*corev1.Node, error) {
	if !c.kwok {
		return nil, fmt.Errorf("node %s: this cluster runs no kwok (set Options.Kwok or Options.Operators)", n.Name)
	}
	labels := map[string]string{
		"kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": n.Name,
		"type": "kwok",
	}
	if n.GPUs > 0 {
		// GPU Feature Discovery's labels (github.com/NVIDIA/k8s-device-plugin, gpu-feature-discovery).
		labels["nvidia.com/gpu.present"] = "true"
		labels["nvidia.com/gpu.count"] = strconv.FormatInt(n.GPUs, 10)
		labels["nvidia.com/gpu.replicas"] = "1"
		labels["nvidia.com/gpu.sharing-strategy"] = "none"
		labels["nvidia.com/gpu.product"] = n.Product
		if n.Product == "" {
			labels["nvidia.com/gpu.product"] = "NVIDIA-A100-SXM4-80GB"
		}
		if n.MemoryMiB > 0 {
			labels["nvidia.com/gpu.memory"] = strconv.FormatInt(n.MemoryMiB, 10)
		}
	}
	for k, v := range n.Labels {
		labels[k] = v
	}
	res := corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse("32"),
		corev1.ResourceMemory: resource.MustParse("256Gi"),
		corev1.ResourcePods:   resource.MustParse("110"),
	}
	if n.GPUs > 0 {
		res["nvidia.com/gpu"] = *resource.NewQuantity(n.GPUs, resource.DecimalSI)
	}
	annotations := map[string]string{kwokNodeAnnotation: "fake"}
	if c.metrics != nil {
		annotations[kwokResourceMetricsPath] = "/metrics/nodes/" + n.Name + "/metrics/resource"
	}
	// Capacity goes in with the node, as a kubelet registers it; kwok's node-initialize stage
	// keeps it and adds conditions, addresses and nodeInfo.
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: n.Name, Labels: labels, Annotations: annotations},
		Spec:       corev1.NodeSpec{Taints: taints},
		Status:     corev1.NodeStatus{Capacity: res, Allocatable: res},
	}
	if _, err := c.Clientset.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{}); err != nil {
		return nil, fmt.Errorf("creating node %s: %w", n.Name, err)
	}
	var ready *corev1.Node
	err := wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, 60*time.Second, true, func(ctx context.Context) (bool, error) {
		got, err := c.Clientset.CoreV1().Nodes().Get(ctx, n.Name, metav1.GetOptions{})
		if err != nil {
			return false, nil //nolint:nilerr // poll again until the timeout
		}
		for _, cond := range got.Status.Conditions {
			if cond.Type == corev1.NodeReady && cond.Status == corev1.ConditionTrue {
				ready = got
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		return nil, fmt.Errorf("node %s not Ready through kwok: %w\n%s", n.Name, err, c.LogTail("kwok", 20))
	}
	return ready, nil
}
