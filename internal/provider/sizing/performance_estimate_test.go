package sizing_test

import (
	"fmt"
	"math"
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface/hubtest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/perf"
)

// The sizing data sources need no cluster: the estimate is offline, unknown models come from the Hub.
func TestMain(m *testing.M) { acctest.MainNoCluster(m) }

// round is how the data source rounds its outputs.
func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

func hubProvider(s *hubtest.Server) string {
	return fmt.Sprintf("provider \"kubefoundry\" {\n  huggingface {\n    endpoint = %q\n  }\n}\n", s.URL)
}

func newHub(t *testing.T) *hubtest.Server {
	t.Setenv("HF_TOKEN", "")
	return hubtest.New(t, hubtest.WithoutFixtures())
}

// expectEstimate checks every output of a data source against the model run directly.
func expectEstimate(addr string, o perf.Output) []statecheck.StateCheck {
	a := func(name string) tfjsonpath.Path { return tfjsonpath.New(name) }
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, a("fits"), knownvalue.Bool(o.Fits)),
		statecheck.ExpectKnownValue(addr, a("gpus"), knownvalue.Int64Exact(int64(o.GPUs))),
		statecheck.ExpectKnownValue(addr, a("ttft_ms"), knownvalue.Float64Exact(round(o.TTFTms, 2))),
		statecheck.ExpectKnownValue(addr, a("tpot_ms"), knownvalue.Float64Exact(round(o.TPOTms, 3))),
		statecheck.ExpectKnownValue(addr, a("tokens_per_second_per_gpu"), knownvalue.Float64Exact(round(o.TokensPerSecondPerGPU, 2))),
		statecheck.ExpectKnownValue(addr, a("tokens_per_second_per_user"), knownvalue.Float64Exact(round(o.TokensPerSecUser, 2))),
		statecheck.ExpectKnownValue(addr, a("memory_per_gpu_gib"), knownvalue.Float64Exact(round(o.MemoryPerGPUGiB, 2))),
		statecheck.ExpectKnownValue(addr, a("reason"), knownvalue.StringExact(o.Reason)),
	}
}

func mustArch(t *testing.T, id string) perf.Arch {
	a, ok := perf.LookupArch(id)
	if !ok {
		t.Fatalf("%s not in table", id)
	}
	return a
}

func mustGPU(t *testing.T, name string) perf.GPU {
	g, err := perf.LookupGPU(name)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestAccPerformanceEstimateAggregatedAndDisaggregated(t *testing.T) {
	hub := newHub(t)
	dsr1 := mustArch(t, "deepseek-ai/DeepSeek-R1")
	h200 := mustGPU(t, "h200_sxm")
	agg := perf.Estimate(perf.Input{Arch: mustArch(t, "Qwen/Qwen3-32B"), GPU: mustGPU(t, "h100_sxm"), Backend: "vllm",
		WeightQuant: "fp8", MoEQuant: "fp8", ISL: 4096, OSL: 512,
		Aggregated: &perf.Parallel{BatchSize: 16, TensorParallel: 2, PipelineParallel: 1, AttentionDataParallel: 1, MoETensorParallel: 2, MoEExpertParallel: 1, Workers: 1}})
	dis := perf.Estimate(perf.Input{Arch: dsr1, GPU: h200, Backend: "trtllm", WeightQuant: "fp8", MoEQuant: "fp8_block", ISL: 8192, OSL: 1024,
		Prefill: &perf.Parallel{BatchSize: 1, TensorParallel: 8, PipelineParallel: 1, AttentionDataParallel: 1, MoETensorParallel: 1, MoEExpertParallel: 8, Workers: 2},
		Decode:  &perf.Parallel{BatchSize: 32, TensorParallel: 1, PipelineParallel: 1, AttentionDataParallel: 8, MoETensorParallel: 1, MoEExpertParallel: 8, Workers: 1}})
	if !agg.Fits || !dis.Fits || dis.GPUs != 24 || agg.GPUs != 2 {
		t.Fatalf("unexpected direct estimates: %+v %+v", agg, dis)
	}
	checks := append(expectEstimate("data.kubefoundry_performance_estimate.agg", agg),
		expectEstimate("data.kubefoundry_performance_estimate.dis", dis)...)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: hubProvider(hub) + `
data "kubefoundry_performance_estimate" "agg" {
  model               = "Qwen/Qwen3-32B"
  gpu                 = "NVIDIA-H100-80GB-HBM3"
  backend             = "vllm"
  backend_version     = "0.12.0"
  weight_quantization = "fp8"
  isl                 = 4096
  osl                 = 512
  aggregated = {
    batch_size      = 16
    tensor_parallel = 2
  }
}

data "kubefoundry_performance_estimate" "dis" {
  model            = "deepseek-ai/DeepSeek-R1"
  gpu              = "h200_sxm"
  backend          = "trtllm"
  weight_quantization = "fp8"
  isl              = 8192
  osl              = 1024
  disaggregated = {
    prefill = { tensor_parallel = 8, moe_expert_parallel = 8, workers = 2 }
    decode  = { batch_size = 32, attention_data_parallel = 8, moe_expert_parallel = 8 }
  }
}
`,
			ConfigStateChecks: checks,
		}},
	})
}

// A model that is not in the embedded table is read from the Hub's config.json; one that does
// not fit says why and leaves the times null.
func TestAccPerformanceEstimateHubModelAndNotFitting(t *testing.T) {
	hub := newHub(t)
	cfg, err := os.ReadFile(sizingConfig("meta-llama--Meta-Llama-3.1-70B_config.json"))
	if err != nil {
		t.Fatal(err)
	}
	hub.AddFile("example-org/private-70b", "config.json", cfg)
	arch, err := perf.ParseConfig(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	fits := perf.Estimate(perf.Input{Arch: arch, GPU: mustGPU(t, "h100_sxm"), Backend: "sglang", ISL: 1024, OSL: 256,
		Aggregated: &perf.Parallel{BatchSize: 8, TensorParallel: 4, PipelineParallel: 1, AttentionDataParallel: 1, MoETensorParallel: 4, MoEExpertParallel: 1, Workers: 1}})
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: hubProvider(hub) + `
data "kubefoundry_performance_estimate" "hub" {
  model   = "example-org/private-70b"
  gpu     = "h100_sxm"
  backend = "sglang"
  isl     = 1024
  osl     = 256
  aggregated = { batch_size = 8, tensor_parallel = 4 }
}

data "kubefoundry_performance_estimate" "too_big" {
  model   = "meta-llama/Meta-Llama-3.1-70B"
  gpu     = "NVIDIA-L4"
  backend = "vllm"
  isl     = 1024
  osl     = 256
  aggregated = { tensor_parallel = 1 }
}
`,
			ConfigStateChecks: append(expectEstimate("data.kubefoundry_performance_estimate.hub", fits),
				statecheck.ExpectKnownValue("data.kubefoundry_performance_estimate.too_big", tfjsonpath.New("fits"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.kubefoundry_performance_estimate.too_big", tfjsonpath.New("ttft_ms"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.kubefoundry_performance_estimate.too_big", tfjsonpath.New("reason"),
					knownvalue.StringRegexp(regexp.MustCompile(`weights need 1[0-9.]+ GiB per GPU but l4 has`)))),
		}},
	})
}

func TestAccPerformanceEstimateBadInput(t *testing.T) {
	hub := newHub(t)
	base := `
  model   = "Qwen/Qwen3-32B"
  backend = "vllm"
  isl     = 1024
  osl     = 128
`
	step := func(body string, want string) resource.TestStep {
		return resource.TestStep{Config: hubProvider(hub) + "data \"kubefoundry_performance_estimate\" \"x\" {" + base + body + "\n}\n",
			ExpectError: regexp.MustCompile(want)}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(`gpu = "h100_sxm"`, `(?s)aggregated.*disaggregated`),
			step("gpu = \"h100_sxm\"\naggregated = {}\ndisaggregated = { prefill = {}, decode = {} }", `(?s)aggregated.*disaggregated`),
			step("gpu = \"tpu-v5\"\naggregated = {}", `(?s)Unknown GPU.*NVIDIA-H100-80GB-HBM3`),
			step("gpu = \"h100_sxm\"\naggregated = { tensor_parallel = 4, moe_tensor_parallel = 2, moe_expert_parallel = 4 }", `(?s)moe_tensor_parallel \(2\) x.*moe_expert_parallel \(4\)`),
			step("gpu = \"h100_sxm\"\nweight_quantization = \"int8\"\naggregated = {}", `(?s)weight_quantization`),
		},
	})
}

func sizingConfig(name string) string {
	dir := os.Getenv("KUBEFOUNDRY_SIZING_DIR")
	if dir == "" {
		dir = "../../../../shared/reference/sizing"
	}
	return dir + "/model_configs/" + name
}
