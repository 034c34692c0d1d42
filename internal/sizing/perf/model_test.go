package perf

import (
	"math"
	"strings"
	"testing"
)

func agg(t *testing.T, model, gpu, backend, quant string, isl, osl int, p Parallel) Output {
	t.Helper()
	a, ok := LookupArch(model)
	if !ok {
		t.Fatalf("%s missing", model)
	}
	g, err := LookupGPU(gpu)
	if err != nil {
		t.Fatal(err)
	}
	return Estimate(Input{Arch: a, GPU: g, Backend: backend, WeightQuant: quant, MoEQuant: quant, ISL: isl, OSL: osl, Aggregated: &p})
}

func TestEstimateBehavesPhysically(t *testing.T) {
	one := agg(t, "Qwen/Qwen3-32B", "h100_sxm", "vllm", "fp8", 2048, 512, Parallel{BatchSize: 8, TensorParallel: 1})
	four := agg(t, "Qwen/Qwen3-32B", "h100_sxm", "vllm", "fp8", 2048, 512, Parallel{BatchSize: 8, TensorParallel: 4})
	if !one.Fits || !four.Fits || four.TPOTms >= one.TPOTms || four.TTFTms >= one.TTFTms || four.MemoryPerGPUGiB >= one.MemoryPerGPUGiB {
		t.Fatalf("tensor parallel 4 should be faster and lighter per GPU than 1: %+v vs %+v", four, one)
	}
	big := agg(t, "Qwen/Qwen3-32B", "h100_sxm", "vllm", "fp8", 2048, 512, Parallel{BatchSize: 64, TensorParallel: 1})
	if big.TPOTms <= one.TPOTms || big.TokensPerSecondPerGPU <= one.TokensPerSecondPerGPU {
		t.Fatalf("a larger batch should raise TPOT and throughput per GPU: %+v vs %+v", big, one)
	}
	bf16 := agg(t, "Qwen/Qwen3-32B", "h100_sxm", "vllm", "", 2048, 512, Parallel{BatchSize: 8, TensorParallel: 1})
	if bf16.MemoryPerGPUGiB <= one.MemoryPerGPUGiB || bf16.TPOTms <= one.TPOTms {
		t.Fatalf("16-bit weights should take more memory and decode slower than FP8: %+v vs %+v", bf16, one)
	}
	h200 := agg(t, "Qwen/Qwen3-32B", "h200_sxm", "vllm", "fp8", 2048, 512, Parallel{BatchSize: 8, TensorParallel: 1})
	if h200.TPOTms >= one.TPOTms {
		t.Fatalf("H200's bandwidth should decode faster than H100: %v vs %v", h200.TPOTms, one.TPOTms)
	}
}

func TestEstimateFit(t *testing.T) {
	o := agg(t, "meta-llama/Meta-Llama-3.1-70B", "l4", "vllm", "", 1024, 256, Parallel{BatchSize: 1, TensorParallel: 1})
	if o.Fits || !strings.Contains(o.Reason, "weights need") || o.GPUs != 1 {
		t.Fatalf("70B in 16-bit cannot fit one L4: %+v", o)
	}
	// DeepSeek-R1 on 8 H200s with 9k-token requests: the cache holds a few hundred requests. A batch
	// somewhat beyond it still runs (the engine queues), one far beyond it does not fit.
	queued := false
	for _, b := range []int{64, 128, 256, 512, 1024} {
		o = agg(t, "deepseek-ai/DeepSeek-R1", "h200_sxm", "sglang", "fp8_block", 8192, 1024, Parallel{BatchSize: b, TensorParallel: 8, MoETensorParallel: 8})
		if o.Fits && !o.BatchFits && strings.Contains(o.Reason, "queue") {
			queued = true
		}
	}
	if !queued {
		t.Fatal("no batch between the cache and kvOvercommit x the cache was reported as queueing")
	}
	o = agg(t, "deepseek-ai/DeepSeek-R1", "h200_sxm", "sglang", "fp8_block", 8192, 1024, Parallel{BatchSize: 8192, TensorParallel: 8, MoETensorParallel: 8})
	if o.Fits || !strings.Contains(o.Reason, "KV cache for 8192 requests") {
		t.Fatalf("a batch far beyond the KV cache does not fit: %+v", o)
	}
}

func TestEstimateDisaggregated(t *testing.T) {
	a, _ := LookupArch("deepseek-ai/DeepSeek-R1")
	g, _ := LookupGPU("gb200")
	in := Input{Arch: a, GPU: g, Backend: "trtllm", WeightQuant: "nvfp4", MoEQuant: "nvfp4", ISL: 8192, OSL: 1024,
		Prefill: &Parallel{BatchSize: 1, TensorParallel: 4, MoETensorParallel: 1, MoEExpertParallel: 4, Workers: 3},
		Decode:  &Parallel{BatchSize: 16, AttentionDataParallel: 8, MoETensorParallel: 1, MoEExpertParallel: 8, Workers: 1}}
	o := Estimate(in)
	if !o.Fits || o.GPUs != 20 || o.TTFTms <= 0 || o.TPOTms <= 0 || o.TokensPerSecUser <= 0 {
		t.Fatalf("disaggregated estimate: %+v", o)
	}
	in.Decode.BatchSize = 64
	more := Estimate(in)
	if more.TPOTms <= o.TPOTms || more.TokensPerSecondPerGPU <= o.TokensPerSecondPerGPU {
		t.Fatalf("a larger decode batch should raise TPOT and throughput: %+v vs %+v", more, o)
	}
}

// A burst of prompts is prefilled a chunk (max_num_tokens) at a time: short prompts share a step,
// so the whole burst is done sooner than one by one (though a chunk's prompts all wait for its end);
// a prompt longer than a chunk is prefilled alone.
func TestBurstPrefillsInChunks(t *testing.T) {
	a, _ := LookupArch("meta-llama/Llama-3.1-8B-Instruct")
	g, _ := LookupGPU("h100_sxm")
	in := Input{Arch: a, GPU: g, Backend: "trtllm", ISL: 512, OSL: 128, Aggregated: &Parallel{BatchSize: 16}}
	w := newWorker(&in, *in.Aggregated)
	one := w.prefillTime(512)
	// 64 prompts of 512 tokens: 4 chunks of 16; the mean wait is (4+1)/2 chunks.
	if done, alone := w.burstWait(512, 64)*2*4/5, one*64; done <= 0 || done >= alone {
		t.Fatalf("64 prompts of 512 tokens in 8192-token chunks take %.4fs, want less than one by one (%.4fs)", done, alone)
	}
	long := w.prefillTime(16384)
	if got, want := w.burstWait(16384, 4), long*(4+1)/2; math.Abs(got-want) > 1e-9 {
		t.Fatalf("prompts longer than a chunk queue one by one: %.4fs, want %.4fs", got, want)
	}
	prev := 0.0
	for _, b := range []int{1, 8, 64, 256} {
		in.Aggregated.BatchSize = b
		o := Estimate(in)
		if !o.Fits || o.TTFTms <= prev {
			t.Fatalf("TTFT should grow with concurrency: batch %d gives %.1f ms after %.1f ms", b, o.TTFTms, prev)
		}
		prev = o.TTFTms
	}
}
