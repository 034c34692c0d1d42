package capacity_test

import (
	"reflect"
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/capacity"
)

func assertSummary(t *testing.T, got, want capacity.Summary) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("summary mismatch\n got: %+v\nwant: %+v", got, want)
	}
}

func TestProductMemoryGB(t *testing.T) {
	for product, want := range map[string]int64{
		"NVIDIA-A100-SXM4-80GB": 80, "NVIDIA-A100-PCIE-40GB": 40, "A100": 40, "NVIDIA-H100-80GB-HBM3": 80,
		"NVIDIA-H200": 141, "NVIDIA-A10G": 24, "NVIDIA-A10": 24, "NVIDIA-L40S": 48, "NVIDIA-L40": 48,
		"NVIDIA-L4": 24, "Tesla-T4": 16, "Tesla-V100-SXM2-32GB": 32, "Tesla-V100": 16, "RTX-4090": 24,
		"RTX-4080": 16, "RTX-3090": 24, "RTX-3080-12GB": 12, "RTX-3080": 10, "": 0, "Unknown-GPU": 0,
	} {
		if got := capacity.ProductMemoryGB(product); got != want {
			t.Errorf("ProductMemoryGB(%q) = %d, want %d", product, got, want)
		}
	}
}

func TestGPUMemoryPrefersLabel(t *testing.T) {
	got := capacity.GPUMemoryGB(map[string]string{capacity.LabelGPUMemory: "23034", capacity.LabelGPUProduct: "NVIDIA-A100-80GB"})
	if got != 22 {
		t.Errorf("GPUMemoryGB = %d, want 22 (round(23034/1024))", got)
	}
}

func TestPoolName(t *testing.T) {
	for _, tc := range []struct {
		labels map[string]string
		want   string
	}{
		{map[string]string{"agentpool": "a", "eks.amazonaws.com/nodegroup": "e"}, "a"},
		{map[string]string{"kubernetes.azure.com/agentpool": "aks"}, "aks"},
		{map[string]string{"cloud.google.com/gke-nodepool": "gke"}, "gke"},
		{map[string]string{"eks.amazonaws.com/nodegroup": "eks"}, "eks"},
		{nil, "default"},
	} {
		if got := capacity.PoolName(tc.labels); got != tc.want {
			t.Errorf("PoolName(%v) = %q, want %q", tc.labels, got, tc.want)
		}
	}
}
