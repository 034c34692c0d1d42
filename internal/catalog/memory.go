package catalog

import "math"

const (
	bytesPerParam = 2   // FP16/BF16 weights
	overhead      = 1.2 // KV cache and activations, as KubeFoundry assumes
	gib           = 1024 * 1024 * 1024
)

// EstimateGPUMemoryGB is KubeFoundry's estimate: ceil(params × 2 × 1.2 / 1024³).
func EstimateGPUMemoryGB(params float64) int64 {
	if params <= 0 {
		return 0
	}
	return int64(math.Ceil(params * bytesPerParam * overhead / gib))
}

// GPUsNeeded is how many GPUs of gpuMemoryGB each hold memoryGB: ceil, at least 1.
// It returns 0 when either input is not positive.
func GPUsNeeded(memoryGB, gpuMemoryGB float64) int64 {
	if memoryGB <= 0 || gpuMemoryGB <= 0 {
		return 0
	}
	return max(1, int64(math.Ceil(memoryGB/gpuMemoryGB)))
}

// RecommendedGPUs suggests a GPU count: by memory when the per-GPU memory is
// known, else by size buckets (<3B: 1, <13B: 2, <70B: 4, else 8). maxPerNode
// caps the result when positive.
func RecommendedGPUs(params float64, memoryGB, gpuMemoryGB float64, maxPerNode int64) int64 {
	var n int64
	switch {
	case gpuMemoryGB > 0 && memoryGB > 0:
		n = GPUsNeeded(memoryGB, gpuMemoryGB)
	case params <= 0:
		n = 1
	case params < 3e9:
		n = 1
	case params < 13e9:
		n = 2
	case params < 70e9:
		n = 4
	default:
		n = 8
	}
	if maxPerNode > 0 {
		n = min(n, maxPerNode)
	}
	return n
}

// Fit compares an estimate to one GPU's memory: "fits", "warning" (> 80 %)
// or "exceeds"; "" if unknown.
func Fit(memoryGB, gpuMemoryGB float64) string {
	switch {
	case memoryGB <= 0 || gpuMemoryGB <= 0:
		return ""
	case memoryGB > gpuMemoryGB:
		return "exceeds"
	case memoryGB > 0.8*gpuMemoryGB:
		return "warning"
	}
	return "fits"
}
