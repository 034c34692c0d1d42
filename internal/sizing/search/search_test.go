package search

import (
	"strings"
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/perf"
)

func request(t testing.TB, model, gpu string) Request {
	a, ok := perf.LookupArch(model)
	if !ok {
		t.Fatalf("%s not in table", model)
	}
	g, err := perf.LookupGPU(gpu)
	if err != nil {
		t.Fatal(err)
	}
	return Request{Arch: a, GPU: g, Backends: []string{"vllm", "sglang", "trtllm"}, WeightQuant: a.WeightQuant, MoEQuant: a.MoEQuant,
		ISL: 2048, OSL: 512, Concurrency: 64, TTFTms: 1000, TPOTms: 30, GPUHourlyPrice: 3}
}

func TestRunRanksConfigurationsMeetingTheSLA(t *testing.T) {
	got, err := Run(request(t, "meta-llama/Llama-3.1-8B-Instruct", "h100_sxm"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < 2 {
		t.Fatalf("want several configurations, got %d", len(got))
	}
	var sawAgg, sawDisagg bool
	for i, c := range got {
		o := c.Estimate
		if !c.MeetsSLA || !o.Fits || o.TTFTms > 1000 || o.TPOTms > 30 {
			t.Fatalf("%d: %s does not meet the SLA", i, Describe(c))
		}
		if float64(c.Worker.BatchSize*c.Worker.AttentionDataParallel*c.Worker.Workers*c.Replicas) < 64 {
			t.Fatalf("%d: %s carries less than the concurrency", i, Describe(c))
		}
		if i > 0 && o.TokensPerSecondPerGPU > got[i-1].Estimate.TokensPerSecondPerGPU {
			t.Fatalf("not ranked by tokens/s per GPU at %d", i)
		}
		if c.HourlyCost != float64(c.GPUs)*3 || c.MonthlyCost != c.HourlyCost*730 || c.CostPerMillionTokens <= 0 {
			t.Fatalf("%d: cost %+v", i, c)
		}
		sawAgg = sawAgg || !c.Disaggregated
		sawDisagg = sawDisagg || c.Disaggregated
	}
	if !sawAgg || !sawDisagg {
		t.Fatalf("want both aggregated and disaggregated candidates (agg %t, disagg %t)", sawAgg, sawDisagg)
	}
}

func TestRunBudgetAndMoE(t *testing.T) {
	r := request(t, "deepseek-ai/DeepSeek-R1", "h200_sxm")
	r.TTFTms, r.TPOTms, r.MaxGPUs = 5000, 60, 16
	got, err := Run(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range got {
		if c.GPUs > 16 || c.GPUsPerWorker < 8 {
			t.Fatalf("%s breaks the budget or cannot hold DeepSeek-R1", Describe(c))
		}
	}
}

func TestRunImpossibleSLAShowsClosest(t *testing.T) {
	r := request(t, "Qwen/Qwen3-32B", "l40s")
	r.TPOTms = 0.5
	got, err := Run(r)
	if err == nil || !strings.Contains(err.Error(), "closest:") || len(got) != 1 || got[0].MeetsSLA {
		t.Fatalf("want an error naming the closest configuration, got %v / %v", got, err)
	}
}

func BenchmarkEstimate(b *testing.B) {
	r := request(b, "deepseek-ai/DeepSeek-R1", "b200_sxm")
	in := perf.Input{Arch: r.Arch, GPU: r.GPU, Backend: "trtllm", WeightQuant: "nvfp4", MoEQuant: "nvfp4", ISL: 8192, OSL: 1024,
		Aggregated: &perf.Parallel{BatchSize: 64, TensorParallel: 1, AttentionDataParallel: 8, MoEExpertParallel: 8, MoETensorParallel: 1}}
	for b.Loop() {
		perf.Estimate(in)
	}
}

func BenchmarkSearch(b *testing.B) {
	r := request(b, "deepseek-ai/DeepSeek-R1", "b200_sxm")
	for b.Loop() {
		_, _ = Run(r)
	}
}
