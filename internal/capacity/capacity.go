// Package capacity computes the GPU capacity of a cluster from its Nodes and Pods: what
// is allocatable, what running and pending pods request, and what is free where.
package capacity

import (
	"math"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// GPUResource is the extended resource the NVIDIA device plugin advertises.
const GPUResource corev1.ResourceName = "nvidia.com/gpu"

// GPU Feature Discovery labels.
const (
	LabelGPUProduct = "nvidia.com/gpu.product"
	LabelGPUMemory  = "nvidia.com/gpu.memory" // MiB per GPU
	LabelGPUCount   = "nvidia.com/gpu.count"
)

// poolLabels name a node's pool on AKS, GKE and EKS, in the order they are tried.
var poolLabels = []string{"agentpool", "kubernetes.azure.com/agentpool", "cloud.google.com/gke-nodepool", "eks.amazonaws.com/nodegroup"}

// Node is one GPU node's capacity.
type Node struct {
	Name        string
	Pool        string
	Product     string
	GPUMemoryGB int64 // per GPU; 0 when unknown
	Allocatable int64
	Requested   int64
	Available   int64
}

// Summary is the cluster's GPU capacity.
type Summary struct {
	Nodes     []Node // GPU nodes only, sorted by name
	Total     int64
	Requested int64
	// Available sums each node's free GPUs (never negative per node).
	Available int64
	// MaxContiguousAvailable is the most GPUs free on a single node: the largest worker that fits.
	MaxContiguousAvailable int64
	MaxNodeGPUs            int64
	// GPUMemoryGB is the largest per-GPU memory among GPU nodes; 0 when unknown.
	GPUMemoryGB int64
	// AutoscalerLabel: some node carries AKS's `cluster-autoscaler.kubernetes.io/enabled=true`.
	AutoscalerLabel bool
}

const labelAKSAutoscaler = "cluster-autoscaler.kubernetes.io/enabled"

// Compute derives the capacity from nodes and the pods bound to them. Pods that are not
// Running or Pending, and init containers, do not hold GPUs.
func Compute(nodes []corev1.Node, pods []corev1.Pod) Summary {
	var t Tally
	t.AddNodes(nodes)
	t.AddPods(pods)
	return t.Summary()
}

// Tally accumulates the capacity page by page, keeping only the GPU nodes' figures, so a
// cluster-wide read holds one page of objects at a time.
type Tally struct {
	byName map[string]*Node
	// autoscalerLabel: some node carries AKS's cluster-autoscaler label.
	autoscalerLabel bool
}

// AddNodes counts a page of nodes.
func (t *Tally) AddNodes(nodes []corev1.Node) {
	if t.byName == nil {
		t.byName = map[string]*Node{}
	}
	for i := range nodes {
		n := &nodes[i]
		if n.Labels[labelAKSAutoscaler] == "true" {
			t.autoscalerLabel = true
		}
		alloc := quantity(n.Status.Allocatable, GPUResource)
		if alloc <= 0 {
			continue
		}
		t.byName[n.Name] = &Node{
			Name:        n.Name,
			Pool:        PoolName(n.Labels),
			Product:     n.Labels[LabelGPUProduct],
			GPUMemoryGB: GPUMemoryGB(n.Labels),
			Allocatable: alloc,
		}
	}
}

// AddPods counts a page of pods against the nodes seen so far (add nodes first).
func (t *Tally) AddPods(pods []corev1.Pod) {
	for i := range pods {
		p := &pods[i]
		node, ok := t.byName[p.Spec.NodeName]
		if !ok || (p.Status.Phase != corev1.PodRunning && p.Status.Phase != corev1.PodPending) {
			continue
		}
		node.Requested += PodGPURequest(p)
	}
}

// Summary returns the totals.
func (t *Tally) Summary() Summary {
	out := Summary{AutoscalerLabel: t.autoscalerLabel, Nodes: make([]Node, 0, len(t.byName))}
	for _, n := range t.byName {
		n.Available = max(0, n.Allocatable-n.Requested)
		out.Nodes = append(out.Nodes, *n)
		out.Total += n.Allocatable
		out.Requested += n.Requested
		out.Available += n.Available
		out.MaxContiguousAvailable = max(out.MaxContiguousAvailable, n.Available)
		out.MaxNodeGPUs = max(out.MaxNodeGPUs, n.Allocatable)
		out.GPUMemoryGB = max(out.GPUMemoryGB, n.GPUMemoryGB)
	}
	sort.Slice(out.Nodes, func(i, j int) bool { return out.Nodes[i].Name < out.Nodes[j].Name })
	return out
}

// PodGPURequest sums the GPUs of a pod's containers: requests, else limits (extended
// resources may set only limits). Init containers run before and are not counted.
func PodGPURequest(p *corev1.Pod) int64 {
	var total int64
	for _, c := range p.Spec.Containers {
		if n := quantity(c.Resources.Requests, GPUResource); n > 0 {
			total += n
		} else {
			total += quantity(c.Resources.Limits, GPUResource)
		}
	}
	return total
}

// PoolName returns the node pool from the cloud providers' labels, else "default".
func PoolName(labels map[string]string) string {
	for _, l := range poolLabels {
		if v := labels[l]; v != "" {
			return v
		}
	}
	return "default"
}

// GPUMemoryGB returns per-GPU memory from the GFD memory label (MiB), else from the product name.
func GPUMemoryGB(labels map[string]string) int64 {
	if mib, err := strconv.ParseFloat(labels[LabelGPUMemory], 64); err == nil && mib > 0 {
		return int64(math.Round(mib / 1024))
	}
	return ProductMemoryGB(labels[LabelGPUProduct])
}

// productMemory maps product-name fragments to GB; the first row whose fragments all
// occur in the lower-cased product wins, so more specific rows come first.
var productMemory = []struct {
	parts []string
	gb    int64
}{
	{[]string{"a100", "80"}, 80}, {[]string{"a100", "40"}, 40}, {[]string{"a100"}, 40},
	{[]string{"h100", "80"}, 80}, {[]string{"h100"}, 80}, {[]string{"h200"}, 141},
	{[]string{"a10g"}, 24}, {[]string{"a10"}, 24}, {[]string{"l40s"}, 48}, {[]string{"l40"}, 48},
	{[]string{"l4"}, 24}, {[]string{"t4"}, 16}, {[]string{"v100", "32"}, 32}, {[]string{"v100"}, 16},
	{[]string{"4090"}, 24}, {[]string{"4080"}, 16}, {[]string{"3090"}, 24}, {[]string{"3080", "12"}, 12},
	{[]string{"3080"}, 10},
}

// ProductMemoryGB estimates per-GPU memory from a product name such as "NVIDIA-A100-SXM4-80GB".
func ProductMemoryGB(product string) int64 {
	p := strings.ToLower(product)
	if p == "" {
		return 0
	}
	for _, row := range productMemory {
		all := true
		for _, part := range row.parts {
			if !strings.Contains(p, part) {
				all = false
				break
			}
		}
		if all {
			return row.gb
		}
	}
	return 0
}

func quantity(list corev1.ResourceList, name corev1.ResourceName) int64 {
	q, ok := list[name]
	if !ok {
		return 0
	}
	return q.Value()
}
