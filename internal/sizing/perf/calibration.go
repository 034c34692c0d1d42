package perf

import "strings"

// calibration holds the physical efficiency factors of one backend on one GPU generation:
// what share of peak bandwidth and FLOPS its kernels reach and its fixed per-step costs.
// They are the same for every model (never keyed by model name).
type calibration struct {
	bwEff         float64 // share of HBM bandwidth decode kernels reach
	decodeMFU     float64 // share of tensor-core peak in decode GEMMs
	prefillMFU    float64 // share of tensor-core peak in prefill
	overlap       float64 // share of the smaller of memory/compute time not hidden behind the larger
	commEff       float64 // share of link bandwidth collectives reach
	collLatency   float64 // seconds per collective
	layerOverhead float64 // seconds per layer per step (launches, norms, routing)
	stepOverhead  float64 // seconds per decode step (scheduler, sampling)
	chunkTokens   float64 // prefill chunk (max_num_batched_tokens)
	mixShare      float64 // share of other requests' prefill time a decoding request waits through
	queueFactor   float64 // scales the queueing delay of a prompt behind other prompts
	memUtil       float64 // share of GPU memory the engine takes (gpu_memory_utilization / mem_fraction_static)
	kvOvercommit  float64 // how far over the cache a batch may be before it is reported as not fitting
}

// generation groups GPUs whose kernels behave alike: SM 80 Ampere, 89 Ada, 90 Hopper, 100+ Blackwell.
func generation(g GPU) string {
	switch {
	case g.SMVersion >= 100:
		return "blackwell"
	case g.SMVersion >= 90:
		return "hopper"
	case g.SMVersion >= 89:
		return "ada"
	}
	return "ampere"
}

func calibrationFor(backend string, g GPU) calibration {
	c := calibration{
		bwEff:         g.MemBWFactor,
		decodeMFU:     0.5,
		prefillMFU:    0.55,
		overlap:       0.2,
		commEff:       0.7,
		collLatency:   12e-6,
		layerOverhead: 20e-6,
		stepOverhead:  1.5e-3,
		chunkTokens:   8192,
		mixShare:      1,
		queueFactor:   1,
		memUtil:       0.9,
		kvOvercommit:  1.0,
	}
	if c.bwEff == 0 {
		c.bwEff = 0.8
	}
	switch strings.ToLower(backend) {
	case "trtllm":
		c.layerOverhead = 12e-6
		c.stepOverhead = 1e-3
	case "sglang":
		c.layerOverhead = 18e-6
	case "vllm":
		c.layerOverhead = 20e-6
		c.stepOverhead = 2e-3
	}
	return c
}

// kvCacheBytes is the KV-cache element size: TensorRT-LLM keeps an FP8 cache for FP8/FP4
// checkpoints; vLLM and SGLang default to the 16-bit model dtype (kv_cache_dtype=auto).
func kvCacheBytes(backend, gemm, moe string) float64 {
	if strings.EqualFold(backend, "trtllm") && (gemm != "" || moe != "") {
		return 1
	}
	return 2
}
