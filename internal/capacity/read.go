package capacity

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// pageSize bounds each list call so large clusters are read in pages.
const pageSize = 500

// Autoscaler kinds.
const (
	AutoscalerNone              = "none"
	AutoscalerAKSManaged        = "aks-managed"
	AutoscalerClusterAutoscaler = "cluster-autoscaler"
	AutoscalerUnknown           = "unknown"
)

// Read lists nodes (optionally filtered by a label selector) and the pods that may hold
// GPUs, page by page, and computes the summary.
func Read(ctx context.Context, c kubernetes.Interface, nodeSelector string) (Summary, []corev1.Node, error) {
	var nodes []corev1.Node
	opts := metav1.ListOptions{LabelSelector: nodeSelector, Limit: pageSize}
	for {
		list, err := c.CoreV1().Nodes().List(ctx, opts)
		if err != nil {
			return Summary{}, nil, fmt.Errorf("listing nodes: %w", err)
		}
		nodes = append(nodes, list.Items...)
		if opts.Continue = list.Continue; opts.Continue == "" {
			break
		}
	}
	var pods []corev1.Pod
	// Only Running and Pending pods hold GPUs; let the server drop finished ones.
	opts = metav1.ListOptions{FieldSelector: "status.phase!=Succeeded,status.phase!=Failed", Limit: pageSize}
	for {
		list, err := c.CoreV1().Pods(metav1.NamespaceAll).List(ctx, opts)
		if err != nil {
			return Summary{}, nil, fmt.Errorf("listing pods: %w", err)
		}
		pods = append(pods, list.Items...)
		if opts.Continue = list.Continue; opts.Continue == "" {
			break
		}
	}
	return Compute(nodes, pods), nodes, nil
}

// DetectAutoscaler tells which node autoscaler, if any, manages the cluster.
func DetectAutoscaler(ctx context.Context, c kubernetes.Interface, nodes []corev1.Node) string {
	for _, n := range nodes {
		if n.Labels["cluster-autoscaler.kubernetes.io/enabled"] == "true" {
			return AutoscalerAKSManaged
		}
	}
	_, err := c.CoreV1().ConfigMaps("kube-system").Get(ctx, "cluster-autoscaler-status", metav1.GetOptions{})
	switch {
	case err == nil:
		return AutoscalerClusterAutoscaler
	case !apierrors.IsNotFound(err):
		return AutoscalerUnknown
	}
	deps, err := c.AppsV1().Deployments("kube-system").List(ctx, metav1.ListOptions{LabelSelector: "app=cluster-autoscaler"})
	if err != nil {
		return AutoscalerUnknown
	}
	if len(deps.Items) > 0 {
		return AutoscalerClusterAutoscaler
	}
	return AutoscalerNone
}
