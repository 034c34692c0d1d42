package perf

import (
	"fmt"
	"sort"
	"strings"
)

// GPU is one system's GPU and node facts, from AIConfigurator's systems/*.yaml
// (ai-dynamo/aiconfigurator 095f58a5, via ../shared/reference/sizing/systems).
type GPU struct {
	Name string
	// MemBW is HBM bandwidth in bytes/s; MemBWFactor the share reachable in practice.
	MemBW       float64
	MemBWFactor float64
	MemCapacity float64 // bytes
	BF16Flops   float64
	FP8Flops    float64 // 0 when the GPU has no FP8 tensor cores
	FP4Flops    float64 // 0 when the GPU has no FP4 tensor cores
	// GPUsPerNode share IntraBW (NVLink/PCIe, bytes/s per GPU one way); GPUsPerDomain (the NVL72
	// rack for GB200/GB300) share InterBW; beyond that traffic crosses the network at RackBW.
	GPUsPerNode   int
	GPUsPerDomain int
	IntraBW       float64
	InterBW       float64
	RackBW        float64
	P2PLatency    float64 // seconds
	OtherMem      float64 // bytes an engine keeps outside weights and KV cache
	SMVersion     int
}

// productLabels maps nvidia.com/gpu.product node labels (GPU feature discovery) to system names.
var productLabels = map[string]string{
	"NVIDIA-H100-80GB-HBM3":   "h100_sxm",
	"NVIDIA-H100-SXM5-80GB":   "h100_sxm",
	"NVIDIA-H100-PCIE":        "h100_pcie",
	"NVIDIA-H100-PCIe":        "h100_pcie",
	"NVIDIA-H100-80GB-PCIe":   "h100_pcie",
	"NVIDIA-H200":             "h200_sxm",
	"NVIDIA-H200-141GB-HBM3e": "h200_sxm",
	"NVIDIA-H200-SXM-141GB":   "h200_sxm",
	"NVIDIA-A100-SXM4-80GB":   "a100_sxm",
	"NVIDIA-A100-80GB-PCIe":   "a100_pcie",
	"NVIDIA-A100-PCIE-80GB":   "a100_pcie",
	"NVIDIA-A30":              "a30",
	"NVIDIA-L40S":             "l40s",
	"NVIDIA-L4":               "l4",
	"NVIDIA-B200":             "b200_sxm",
	"NVIDIA-B300":             "b300_sxm",
	"NVIDIA-B300-SXM6-AC":     "b300_sxm",
	"NVIDIA-GB200":            "gb200",
	"NVIDIA-GB300":            "gb300",
	"NVIDIA-RTX-PRO-6000-Blackwell-Server-Edition": "rtx_pro_6000_server",
}

// LookupGPU accepts a system name (h200_sxm) or a node product label (NVIDIA-H200), case-insensitively.
func LookupGPU(name string) (GPU, error) {
	n := strings.TrimSpace(name)
	if g, ok := gpuTable[strings.ToLower(n)]; ok {
		return g, nil
	}
	for label, sys := range productLabels {
		if strings.EqualFold(label, n) {
			return gpuTable[sys], nil
		}
	}
	// Product labels sometimes carry suffixes (-SHARED, MIG profiles): match the longest known prefix.
	best := ""
	for label := range productLabels {
		if len(n) > len(label) && strings.HasPrefix(strings.ToUpper(n), strings.ToUpper(label)+"-") && len(label) > len(best) {
			best = label
		}
	}
	if best != "" {
		return gpuTable[productLabels[best]], nil
	}
	return GPU{}, fmt.Errorf("unknown GPU %q: use a system name (%s) or a node product label such as NVIDIA-H100-80GB-HBM3",
		name, strings.Join(GPUNames(), ", "))
}

// GPUNames lists the known system names, sorted.
func GPUNames() []string {
	out := make([]string, 0, len(gpuTable))
	for k := range gpuTable {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
