package sizing_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface/hubtest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/cost"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/perf"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/search"
)

func pricedProvider(s *hubtest.Server, pricing string) string {
	return fmt.Sprintf("provider \"kubefoundry\" {\n  huggingface {\n    endpoint = %q\n  }\n  pricing = %s\n}\n", s.URL, pricing)
}

// estimateBlock is a Qwen3-32B estimate on two H100s with extra price arguments.
func estimateBlock(name, extra string) string {
	return fmt.Sprintf(`
data "kubefoundry_performance_estimate" %q {
  model   = "Qwen/Qwen3-32B"
  gpu     = "NVIDIA-H100-80GB-HBM3"
  backend = "vllm"
  isl     = 2048
  osl     = 512
  aggregated = { batch_size = 16, tensor_parallel = 2 }
  %s
}
`, name, extra)
}

// costChecks are the cost outputs of an estimate at a price per GPU-hour.
func costChecks(addr string, o perf.Output, perGPU float64, source string) []statecheck.StateCheck {
	a := func(name string) tfjsonpath.Path { return tfjsonpath.New(name) }
	hourly := cost.Hourly(perGPU, o.GPUs)
	perM, _ := cost.PerMillionTokens(hourly, o.TokensPerSecondPerGPU*float64(o.GPUs))
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, a("price_per_gpu_hour"), knownvalue.Float64Exact(round(perGPU, 4))),
		statecheck.ExpectKnownValue(addr, a("price_source"), knownvalue.StringRegexp(regexp.MustCompile(regexp.QuoteMeta(source)))),
		statecheck.ExpectKnownValue(addr, a("hourly_cost"), knownvalue.Float64Exact(round(hourly, 4))),
		statecheck.ExpectKnownValue(addr, a("monthly_cost"), knownvalue.Float64Exact(round(hourly*730, 2))),
		statecheck.ExpectKnownValue(addr, a("cost_per_million_tokens"), knownvalue.Float64Exact(round(perM, 4))),
	}
}

func TestAccPerformanceEstimateCostLayers(t *testing.T) {
	hub := newHub(t)
	o := perf.Estimate(perf.Input{Arch: mustArch(t, "Qwen/Qwen3-32B"), GPU: mustGPU(t, "h100_sxm"), Backend: "vllm", ISL: 2048, OSL: 512,
		Aggregated: &perf.Parallel{BatchSize: 16, TensorParallel: 2, PipelineParallel: 1, AttentionDataParallel: 1, MoETensorParallel: 2, MoEExpertParallel: 1, Workers: 1}})
	if !o.Fits || o.GPUs != 2 {
		t.Fatalf("direct estimate: %+v", o)
	}
	aws, _ := cost.Lookup("aws", "h100")
	azure, _ := cost.Lookup("azure", "h100")
	join := func(groups ...[]statecheck.StateCheck) []statecheck.StateCheck {
		var out []statecheck.StateCheck
		for _, g := range groups {
			out = append(out, g...)
		}
		return out
	}
	table := costChecks("data.kubefoundry_performance_estimate.table", o, aws.PerGPUHour(), "aws p5.48xlarge h100 on-demand list price")
	cloud := costChecks("data.kubefoundry_performance_estimate.cloud", o, azure.PerGPUHour(), "Standard_ND96isr_H100_v5")
	dsMap := costChecks("data.kubefoundry_performance_estimate.ds_map", o, 3.5, "override h100")
	single := costChecks("data.kubefoundry_performance_estimate.single", o, 2, "gpu_hourly_price")
	providerMap := costChecks("data.kubefoundry_performance_estimate.provider_map", o, 4, "override aws/h100")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			// The provider's cloud picks the table's AWS price; a data source's cloud, map or single price wins in that order.
			Config: pricedProvider(hub, `{ cloud = "aws", gpu_hourly_prices = { "aws/l4" = 0.5 } }`) +
				estimateBlock("table", "") +
				estimateBlock("cloud", `cloud = "azure"`) +
				estimateBlock("ds_map", `gpu_hourly_prices = { "NVIDIA-H100-80GB-HBM3" = 3.5 }`) +
				estimateBlock("single", `gpu_hourly_price = 2
  gpu_hourly_prices = { h100 = 3.5 }`),
			ConfigStateChecks: join(table, cloud, dsMap, single),
		}, {
			Config:            pricedProvider(hub, `{ gpu_hourly_prices = { "aws/h100" = 4 }, cloud = "aws" }`) + estimateBlock("provider_map", ""),
			ConfigStateChecks: providerMap,
		}, {
			Config:      pricedProvider(hub, `{ gpu_hourly_prices = { "/h100" = 1 } }`) + estimateBlock("bad", ""),
			ExpectError: regexp.MustCompile(`(?s)Invalid GPU price.*aws/h100`),
		}, {
			Config:      hubProvider(hub) + estimateBlock("bad", `gpu_hourly_prices = { h100 = -1 }`),
			ExpectError: regexp.MustCompile(`(?s)gpu_hourly_prices.*at least 0`),
		}, {
			// No cloud and no price: the estimate still works, its costs are null and say why.
			Config: hubProvider(hub) + estimateBlock("free", ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.kubefoundry_performance_estimate.free", tfjsonpath.New("hourly_cost"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.kubefoundry_performance_estimate.free", tfjsonpath.New("cost_per_million_tokens"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.kubefoundry_performance_estimate.free", tfjsonpath.New("price_source"),
					knownvalue.StringRegexp(regexp.MustCompile(`no cloud given`))),
			},
		}},
	})
}

func searchRun(t *testing.T, price float64) ([]search.Config, error) {
	t.Helper()
	return search.Run(search.Request{Arch: mustArch(t, "meta-llama/Llama-3.1-8B-Instruct"), GPU: mustGPU(t, "a100_sxm"),
		Backends: []string{"vllm"}, ISL: 2048, OSL: 512, Concurrency: 32, TPOTms: 40, MaxGPUs: 4, GPUHourlyPrice: price})
}

// The sizing results price every configuration from the table (A100 systems by their memory).
func TestAccSizingCostFromTable(t *testing.T) {
	hub := newHub(t)
	gcp, ok := cost.Lookup("gcp", "a100-80gb")
	if !ok {
		t.Fatal("table lacks gcp a100-80gb")
	}
	want, err := searchRun(t, gcp.PerGPUHour())
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: hubProvider(hub) + `
data "kubefoundry_sizing" "s" {
  model       = "meta-llama/Llama-3.1-8B-Instruct"
  gpu         = "a100_sxm"
  backend     = "vllm"
  isl         = 2048
  osl         = 512
  concurrency = 32
  tpot_ms     = 40
  max_gpus    = 4
  max_results = 2
  cloud       = "gke"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.kubefoundry_sizing.s", tfjsonpath.New("price_per_gpu_hour"), knownvalue.Float64Exact(round(gcp.PerGPUHour(), 4))),
				statecheck.ExpectKnownValue("data.kubefoundry_sizing.s", tfjsonpath.New("price_source"), knownvalue.StringRegexp(regexp.MustCompile(`gcp a2-ultragpu-1g a100-80gb`))),
				statecheck.ExpectKnownValue("data.kubefoundry_sizing.s", tfjsonpath.New("configurations"),
					knownvalue.ListExact([]knownvalue.Check{expectConfig(want[0]), expectConfig(want[1])})),
			},
		}, {
			// A cloud that does not list the GPU: a warning, and costs are null.
			Config: hubProvider(hub) + `
data "kubefoundry_sizing" "s" {
  model       = "meta-llama/Llama-3.1-8B-Instruct"
  gpu         = "l40s"
  backend     = "vllm"
  isl         = 2048
  osl         = 512
  tpot_ms     = 100
  max_results = 1
  cloud       = "azure"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.kubefoundry_sizing.s", tfjsonpath.New("price_per_gpu_hour"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.kubefoundry_sizing.s", tfjsonpath.New("configurations").AtSliceIndex(0).AtMapKey("hourly_cost"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.kubefoundry_sizing.s", tfjsonpath.New("price_source"), knownvalue.StringRegexp(regexp.MustCompile(`no azure on-demand price for l40s`))),
			},
		}},
	})
}
