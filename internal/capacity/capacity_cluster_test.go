package capacity_test

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/capacity"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

func TestReadAgainstAPIServer(t *testing.T) {
	ctx := context.Background()
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	c.DeleteNodes(t, "cap-a100", "cap-l4", "cap-cpu")
	for _, n := range []testcluster.GPUNode{
		{Name: "cap-a100", GPUs: 8, Product: "NVIDIA-A100-SXM4-80GB", MemoryMiB: 81920, Labels: map[string]string{"agentpool": "gpupool", "tier": "big"}},
		{Name: "cap-l4", GPUs: 2, Product: "NVIDIA-L4", Labels: map[string]string{"cloud.google.com/gke-nodepool": "l4pool"}},
		{Name: "cap-cpu"},
	} {
		if _, err := c.CreateGPUNode(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []testcluster.GPUPod{
		{Namespace: ns, Name: "running", Node: "cap-a100", GPUs: 3, InitGPUs: 8},
		{Namespace: ns, Name: "pending", Node: "cap-a100", GPUs: 1, LimitsOnly: true, Phase: corev1.PodPending},
		{Namespace: ns, Name: "done", Node: "cap-a100", GPUs: 4, Phase: corev1.PodSucceeded},
		{Namespace: ns, Name: "failed", Node: "cap-l4", GPUs: 2, Phase: corev1.PodFailed},
		{Namespace: ns, Name: "l4", Node: "cap-l4", GPUs: 1},
	} {
		if _, err := c.CreatePod(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := capacity.Read(ctx, c.Clientset, "")
	if err != nil {
		t.Fatal(err)
	}
	want := capacity.Summary{
		Nodes: []capacity.Node{
			{Name: "cap-a100", Pool: "gpupool", Product: "NVIDIA-A100-SXM4-80GB", GPUMemoryGB: 80, Allocatable: 8, Requested: 4, Available: 4},
			{Name: "cap-l4", Pool: "l4pool", Product: "NVIDIA-L4", GPUMemoryGB: 24, Allocatable: 2, Requested: 1, Available: 1},
		},
		Total: 10, Requested: 5, Available: 5, MaxContiguousAvailable: 4, MaxNodeGPUs: 8, GPUMemoryGB: 80,
	}
	assertSummary(t, sum, want)
	// The provider reads through its protobuf client; the answer must be the same.
	kc, err := kube.NewClient(c.RESTConfig)
	if err != nil {
		t.Fatal(err)
	}
	proto, err := capacity.Read(ctx, kc.Typed, "")
	if err != nil {
		t.Fatal(err)
	}
	assertSummary(t, proto, want)
	if got := capacity.DetectAutoscaler(ctx, c.Clientset, sum); got != capacity.AutoscalerNone {
		t.Errorf("autoscaler = %q, want none", got)
	}

	filtered, err := capacity.Read(ctx, c.Clientset, "tier=big")
	if err != nil {
		t.Fatal(err)
	}
	if filtered.Total != 8 || len(filtered.Nodes) != 1 {
		t.Errorf("filtered: total %d over %d nodes, want 8 over 1", filtered.Total, len(filtered.Nodes))
	}
}
