package sizing_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/search"
)

// expectConfig is the state one ranked configuration must have, from the search run directly.
func expectConfig(c search.Config) knownvalue.Check {
	o := c.Estimate
	i := func(v int) knownvalue.Check { return knownvalue.Int64Exact(int64(v)) }
	var disagg knownvalue.Check = knownvalue.Null()
	mode, replicas := "aggregated", c.Replicas
	if c.Disaggregated {
		mode, replicas = "disaggregated", 1
		disagg = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"prefill_replicas": i(c.Replicas * c.Prefill.Workers), "prefill_gpus": i(c.Prefill.GPUsPerWorker()),
			"decode_replicas": i(c.Replicas * c.Worker.Workers), "decode_gpus": i(c.GPUsPerWorker),
		})
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"engine": knownvalue.StringExact(c.Backend), "mode": knownvalue.StringExact(mode), "replicas": i(replicas), "gpus": i(c.GPUsPerWorker),
		"disaggregated": disagg, "tensor_parallel": i(c.Worker.TensorParallel), "attention_data_parallel": i(c.Worker.AttentionDataParallel),
		"moe_expert_parallel": i(c.Worker.MoEExpertParallel), "batch_size": i(c.Worker.BatchSize), "total_gpus": i(c.GPUs),
		"ttft_ms": knownvalue.Float64Exact(round(o.TTFTms, 2)), "tpot_ms": knownvalue.Float64Exact(round(o.TPOTms, 3)),
		"tokens_per_second_per_gpu":  knownvalue.Float64Exact(round(o.TokensPerSecondPerGPU, 2)),
		"tokens_per_second_per_user": knownvalue.Float64Exact(round(o.TokensPerSecUser, 2)),
		"hourly_cost":                knownvalue.Float64Exact(round(c.HourlyCost, 4)),
		"monthly_cost":               knownvalue.Float64Exact(round(c.MonthlyCost, 4)),
		"cost_per_million_tokens":    knownvalue.Float64Exact(round(c.CostPerMillionTokens, 4)),
	})
}

func TestAccSizingRanksConfigurationsWithCost(t *testing.T) {
	hub := newHub(t)
	want, err := search.Run(search.Request{Arch: mustArch(t, "meta-llama/Llama-3.1-8B-Instruct"), GPU: mustGPU(t, "h100_sxm"),
		Backends: []string{"vllm"}, ISL: 2048, OSL: 512, Concurrency: 64, TTFTms: 1000, TPOTms: 30, MaxGPUs: 8, GPUHourlyPrice: 2.5})
	if err != nil || len(want) < 3 {
		t.Fatalf("direct search: %d results, %v", len(want), err)
	}
	checks := make([]knownvalue.Check, 3)
	for i := range checks {
		checks[i] = expectConfig(want[i])
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: hubProvider(hub) + `
data "kubefoundry_sizing" "s" {
  model            = "meta-llama/Llama-3.1-8B-Instruct"
  gpu              = "NVIDIA-H100-80GB-HBM3"
  backend          = "vllm"
  isl              = 2048
  osl              = 512
  concurrency      = 64
  ttft_ms          = 1000
  tpot_ms          = 30
  max_gpus         = 8
  gpu_hourly_price = 2.5
  max_results      = 3
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.kubefoundry_sizing.s", tfjsonpath.New("configurations"), knownvalue.ListExact(checks)),
			},
		}},
	})
}

func TestAccSizingUnmetSLAShowsClosest(t *testing.T) {
	hub := newHub(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: hubProvider(hub) + `
data "kubefoundry_sizing" "s" {
  model   = "Qwen/Qwen3-32B"
  gpu     = "l40s"
  isl     = 1024
  osl     = 256
  tpot_ms = 0.5
}
`,
			ExpectError: regexp.MustCompile(`(?s)No configuration meets the targets.*closest:.*GPUs, TTFT`),
		}, {
			Config: hubProvider(hub) + `
data "kubefoundry_sizing" "s" {
  model        = "Qwen/Qwen3-32B"
  gpu          = "l40s"
  isl          = 1024
  osl          = 256
  concurrency  = 8
  request_rate = 2
}
`,
			ExpectError: regexp.MustCompile(`(?s)concurrency.*request_rate|request_rate.*concurrency`),
		}},
	})
}
