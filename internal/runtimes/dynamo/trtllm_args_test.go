package dynamo_test

import (
	"strings"
	"testing"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo"
)

// trtllm.<path> entries are TensorRT-LLM LLM arguments: dynamo.trtllm 1.4 deep-merges them
// into tensorrt_llm.LLM(**kwargs) (trtllm/args.py, trtllm/workers/llm_worker.py @ e147ceea),
// whose TorchLlmArgs and config models forbid unknown keys (pydantic extra="forbid"), so a
// typo passes Dynamo's parser and stops the worker at start. Paths are checked at plan
// against tensorrt_llm/llmapi/llm_args.py read at two main commits just after 1.3.0rc23's
// #17277 (internal/engineflags/tables/trtllm-main-after-17277.json): names and the fields of
// groups both commits define in full; value types are not (engineflags.EnginePins).
func TestTRTLLMArgPathsCheckedAgainstTable(t *testing.T) {
	for _, c := range []struct{ key, value, want string }{
		// Unknown field of a group (KvCacheConfig) with the nearest valid fields.
		{"trtllm.kv_cache_config.free_gpu_mem_fraction", "0.8",
			`no field "free_gpu_mem_fraction" in "kv_cache_config": did you mean "trtllm.kv_cache_config.free_gpu_memory_fraction"`},
		// Unknown top-level LLM argument.
		{"trtllm.max_num_token", "8192", `no LLM argument "max_num_token": did you mean "trtllm.max_num_tokens"`},
		// A field given without its group.
		{"trtllm.free_gpu_memory_fraction", "0.8", `did you mean "trtllm.kv_cache_config.free_gpu_memory_fraction"`},
		// #17277 renamed block_reuse_config.block_reuse_policy to policy (BlockReuseConfig
		// refuses the old name).
		{"trtllm.kv_cache_config.block_reuse_config.block_reuse_policy", "per_request",
			`did you mean "trtllm.kv_cache_config.block_reuse_config.policy"`},
		// Three levels deep, known.
		{"trtllm.kv_cache_config.block_reuse_config.policy", "per_request", ""},
		// A value where a group is expected, and fields below a single value.
		{"trtllm.scheduler_config", "GUARANTEED_NO_EVICT", `"trtllm.scheduler_config" is a group of settings: set its fields one by one, e.g. "trtllm.scheduler_config.`},
		{"trtllm.max_batch_size.limit", "8", `"trtllm.max_batch_size" is one int value with no fields`},
		// A list cannot travel as one --trtllm.* value (dynamic_flags.py infer_type).
		{"trtllm.kv_cache_config.max_attention_window", "4096", "is a list"},
		// Known paths pass, values unchecked (the table is another version).
		{"trtllm.enable_chunked_prefill", "true", ""},
		{"trtllm.cache_transceiver_config.max_tokens_in_buffer", "8192", ""},
		{"trtllm.max_batch_size", "many", ""},
		// A group only one of the commits defines in full (MoeConfig): its fields pass.
		{"trtllm.moe_config.backend", "CUTLASS", ""},
		{"trtllm.moe_config.not_a_field_we_know", "1", ""},
	} {
		cfg := base(rt.EngineTRTLLM)
		cfg.EngineArgs = map[string]string{c.key: c.value}
		msg := problemsAt(t, cfg, `engine_args["`+c.key+`"]`)
		switch {
		case c.want == "" && msg != "":
			t.Errorf("engine_args[%q] = %q rejected: %s", c.key, c.value, msg)
		case c.want != "" && !strings.Contains(msg, c.want):
			t.Errorf("engine_args[%q] = %q: got %q, want %q", c.key, c.value, msg, c.want)
		}
	}
}

// trtllm.backend = "_autodeploy" makes dynamo.trtllm build AutoDeploy's LLM
// (trtllm/engine.py Backend @ e147ceea), whose arguments the table does not describe.
func TestTRTLLMAutoDeployArgsNotCheckedAgainstTorchTable(t *testing.T) {
	cfg := base(rt.EngineTRTLLM)
	cfg.EngineArgs = map[string]string{"trtllm.backend": "_autodeploy", "trtllm.transforms_we_cannot_check": "x"}
	if msg := problemsAt(t, cfg, `engine_args["trtllm.transforms_we_cannot_check"]`); msg != "" {
		t.Errorf("an AutoDeploy argument was checked against TorchLlmArgs: %s", msg)
	}
	delete(cfg.EngineArgs, "trtllm.backend")
	if msg := problemsAt(t, cfg, `engine_args["trtllm.transforms_we_cannot_check"]`); msg == "" {
		t.Error("an unknown LLM argument passed the PyTorch backend's table")
	}
}

// The 0.7.1 renderer (v1alpha1) has no --trtllm.* flags at all: refused before the table.
func TestTRTLLMArgPathsOnlyForV1Beta1(t *testing.T) {
	cfg := base(rt.EngineTRTLLM)
	cfg.Dynamo = &rt.DynamoConfig{APIVersion: dynamo.APIVersionV1Alpha1}
	cfg.EngineArgs = map[string]string{"trtllm.kv_cache_config.free_gpu_mem_fraction": "0.8"}
	msg := problemsAt(t, cfg, `engine_args["trtllm.kv_cache_config.free_gpu_mem_fraction"]`)
	if !strings.Contains(msg, "no --trtllm.* flags") || strings.Contains(msg, "did you mean") {
		t.Errorf("got %q", msg)
	}
}
