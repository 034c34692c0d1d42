package modeldeployment_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
)

// invalidCase is a configuration that must fail at plan, naming attr in the diagnostic
// (terraform prints the offending line) with a message matching msg.
type invalidCase struct {
	name, body, attr, msg string
}

var invalidCases = []invalidCase{
	{"uppercase name", `name = "Qwen" runtime = "dynamo" model = "Qwen/Qwen3-0.6B"`, "name", `not a valid name`},
	{"name too long", `name = "` + strings.Repeat("a", 64) + `" runtime = "dynamo" model = "Qwen/Qwen3-0.6B"`, "name", `not a valid name`},
	{"name with dot", `name = "a.b" runtime = "dynamo" model = "Qwen/Qwen3-0.6B"`, "name", `not a valid name`},
	{"unknown runtime", `name = "a" runtime = "triton" model = "Qwen/Qwen3-0.6B"`, "runtime", `value must be one of`},
	{"bad namespace", `name = "a" namespace = "Prod_NS" runtime = "dynamo" model = "Qwen/Qwen3-0.6B"`, "namespace", `not a valid namespace`},
	{"empty model", `name = "a" runtime = "dynamo" model = ""`, "model", `model`},
	{"unknown engine", `name = "a" runtime = "dynamo" model = "m/x" engine = "tgi"`, "engine", `value must be one of`},
	{"llamacpp on dynamo", `name = "a" runtime = "dynamo" model = "m/x" engine = "llamacpp"`, "engine", `llamacpp`},
	{"sglang on kuberay", `name = "a" runtime = "kuberay" model = "m/x" engine = "sglang"`, "engine", `sglang`},
	{"trtllm on kuberay", `name = "a" runtime = "kuberay" model = "m/x" engine = "trtllm"`, "engine", `trtllm`},
	{"replicas zero", `name = "a" runtime = "dynamo" model = "m/x" replicas = 0`, "replicas", `1`},
	{"replicas too many", `name = "a" runtime = "dynamo" model = "m/x" replicas = 11`, "replicas", `10`},
	{"negative gpus", `name = "a" runtime = "dynamo" model = "m/x" gpus = -1`, "gpus", `gpus|GPU`},
	{"bad memory", `name = "a" runtime = "dynamo" model = "m/x" memory = "lots"`, "memory", `quantity`},
	{"zero context length", `name = "a" runtime = "dynamo" model = "m/x" context_length = 0`, "context_length", `positive`},
	{"unknown mode", `name = "a" runtime = "dynamo" model = "m/x" mode = "split"`, "mode", `value must be one of`},
	{"unknown router", `name = "a" runtime = "dynamo" model = "m/x" router_mode = "random"`, "router_mode", `value must be one of`},
	{"disaggregated on kaito", `name = "a" runtime = "kaito" model = "kaito/llama3.2-1b" mode = "disaggregated"`, "mode", `disaggregated`},
	{"disaggregated block in aggregated mode", `name = "a" runtime = "dynamo" model = "m/x" disaggregated = { prefill_gpus = 2 }`, "disaggregated", `disaggregated`},
	{"prefill replicas zero", `name = "a" runtime = "dynamo" model = "m/x" mode = "disaggregated" disaggregated = { prefill_replicas = 0 }`, "disaggregated", `prefill_replicas`},
	{"kuberay block on dynamo", `name = "a" runtime = "dynamo" model = "m/x" kuberay = { max_num_seqs = 8 }`, "kuberay", `kuberay`},
	{"kaito block on kuberay", `name = "a" runtime = "kuberay" model = "m/x" kaito = { model_source = "vllm" }`, "kaito", `kaito`},
	{"gpu memory utilization too high", `name = "a" runtime = "kuberay" model = "m/x" kuberay = { gpu_memory_utilization = 1.5 }`, "kuberay", `gpu_memory_utilization`},
	{"unknown kv connector", `name = "a" runtime = "kuberay" model = "m/x" mode = "disaggregated" kuberay = { kv_connector = "Foo" }`, "kuberay", `kv_connector`},
	{"autoscaling min above max", `name = "a" runtime = "kuberay" model = "m/x" kuberay = { min_replicas = 3, max_replicas = 2 }`, "kuberay", `min_replicas|max_replicas`},
	{"unknown premade model", `name = "a" runtime = "kaito" model = "kaito/llama9-1b"`, "model", `premade|llama9`},
	{"gguf without file", `name = "a" runtime = "kaito" model = "Qwen/Qwen2.5-1.5B-Instruct-GGUF" kaito = { model_source = "huggingface" }`, "kaito", `gguf_file`},
	{"gguf file not gguf", `name = "a" runtime = "kaito" model = "Qwen/X-GGUF" kaito = { model_source = "huggingface", gguf_file = "model.bin" }`, "kaito", `\.gguf`},
	{"build mode without image", `name = "a" runtime = "kaito" model = "Qwen/X-GGUF" kaito = { model_source = "huggingface", gguf_file = "x-Q4_K_M.gguf", run_mode = "build" }`, "kaito", `image_ref`},
	{"unknown model source", `name = "a" runtime = "kaito" model = "m/x" kaito = { model_source = "ollama" }`, "kaito", `model_source`},
	{"unknown compute type", `name = "a" runtime = "kaito" model = "kaito/llama3.2-1b" kaito = { compute_type = "tpu" }`, "kaito", `compute_type`},
	{"bad hf secret name", `name = "a" runtime = "dynamo" model = "m/x" hf_token_secret = "HF Secret"`, "hf_token_secret", `Secret name`},
	{"write-only token without version", `name = "a" runtime = "dynamo" model = "m/x" hf_token_wo = "hf_x"`, "hf_token_wo", `hf_token_wo_version`},
	{"both token kinds", `name = "a" runtime = "dynamo" model = "m/x" hf_token_secret = "s" hf_token_wo = "hf_x" hf_token_wo_version = 1`, "hf_token", `cannot be specified when`},
	{"bad engine arg key", `name = "a" runtime = "dynamo" model = "m/x" engine_args = { "--bad key" = "1" }`, "engine_args", `engine_args`},
	// Engine flags (issue 17): checked against the tables of Dynamo 1.4.0's parsers.
	{"trtllm unknown engine arg", `name = "a" runtime = "dynamo" model = "m/x" engine = "trtllm" engine_args = { "max-num-token" = "8" }`, "engine_args", `did you mean "max-num-tokens"`},
	// trtllm.<path>: TensorRT-LLM LLM arguments (internal/engineflags/tables/trtllm-main-after-17277.json).
	{"trtllm unknown LLM argument field", `name = "a" runtime = "dynamo" model = "m/x" engine = "trtllm" engine_args = { "trtllm.kv_cache_config.free_gpu_mem_fraction" = "0.8" }`, "engine_args", `did you mean "trtllm.kv_cache_config.free_gpu_memory_fraction"`},
	{"true on a value flag", `name = "a" runtime = "dynamo" model = "m/x" engine_args = { "router-temperature" = "true" }`, "engine_args", `takes a value`},
	// vLLM's own flags under Dynamo 1.4: the vLLM 0.26.0 table (internal/engineflags/tables/vllm-0.26.0.json).
	{"dynamo vllm unknown engine arg", `name = "a" runtime = "dynamo" model = "m/x" engine_args = { "max-num-seq" = "8" }`, "engine_args", `did you mean "max-num-seqs"`},
	{"dynamo vllm engine arg type", `name = "a" runtime = "dynamo" model = "m/x" engine_args = { "max-num-seqs" = "many" }`, "engine_args", `takes an integer`},
	// SGLang's own flags: the nearest SGLang table tells switches from value flags.
	{"dynamo sglang switch with value", `name = "a" runtime = "dynamo" model = "m/x" engine = "sglang" engine_args = { "enable-metrics" = "yes" }`, "engine_args", `is a switch`},
	// KubeRay engine_args are vLLM AsyncEngineArgs fields; other vLLM engine_args are told switch from value.
	{"kuberay unknown engine kwarg", `name = "a" runtime = "kuberay" model = "m/x" engine_args = { "max_num_batched_token" = "8" }`, "engine_args", `did you mean "max_num_batched_tokens"`},
	{"vllm true on a value flag", `name = "a" runtime = "vllm" model = "m/x" engine_args = { "max-num-seqs" = "true" }`, "engine_args", `takes a value`},
	{"kv router without prefix caching", `name = "a" runtime = "dynamo" model = "m/x" router_mode = "kv" enable_prefix_caching = false`, "enable_prefix_caching", `router_mode = "kv"`},
	// Operator rules (shared/reference/operator-behaviour.md D1, D5, D12), named at plan.
	{"kuberay name over 47", `name = "` + strings.Repeat("r", 48) + `" runtime = "kuberay" model = "m/x"`, "name", `at most 47 fit here: KubeRay`},
	{"kuberay name leading digit", `name = "7b" runtime = "kuberay" model = "m/x"`, "name", `must start with a lower-case letter`},
	{"kaito name over 52", `name = "` + strings.Repeat("k", 53) + `" runtime = "kaito" model = "kaito/llama3.2-1b"`, "name", `at most 52 fit here: KAITO`},
	{"kuberay SimpleConnector", `name = "a" runtime = "kuberay" model = "m/x" mode = "disaggregated" kuberay = { kv_connector = "SimpleConnector" }`, "kuberay", `vLLM V0 connector`},
	{"kuberay serve ceiling above pool", `name = "a" runtime = "kuberay" model = "m/x" kuberay = { max_replicas = 3 }`, "kuberay", `exceed the GPU worker group`},
	{"bad gpu fit check", `name = "a" runtime = "dynamo" model = "m/x" gpu_fit_check = "maybe"`, "gpu_fit_check", `value must be one of`},
}

// TestAccModelDeploymentInvalidConfigs checks that each bad input fails at plan (no
// cluster needed), with a diagnostic that points at the attribute and says how to fix it.
func TestAccModelDeploymentInvalidConfigs(t *testing.T) {
	if len(invalidCases) < 30 {
		t.Fatalf("only %d invalid configurations", len(invalidCases))
	}
	for _, c := range invalidCases {
		t.Run(c.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      `provider "kubefoundry" {}` + "\nresource \"kubefoundry_model_deployment\" \"m\" {\n" + oneAttrPerLine(c.body) + "\n}\n",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?s)` + regexp.QuoteMeta(c.attr) + `.*(` + strings.ReplaceAll(c.msg, " ", `\s+`) + `)`),
				}},
			})
		})
	}
}

var attrStart = regexp.MustCompile(`\s+([a-z_]+ = )`)

// oneAttrPerLine puts each top-level "attr = value" of a one-line body on its own line.
func oneAttrPerLine(body string) string {
	return attrStart.ReplaceAllString(body, "\n$1")
}
