package dynamo_test

import (
	"strings"
	"testing"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// engine_args checked at plan against the flag tables generated from Dynamo 1.4.0's parsers
// (internal/engineflags/tables/dynamo-*.json, tools/engineflags/gen.py over wxsms/dynamo
// e147ceea): per engine, an unknown flag with suggestions, a wrong type, "true" on a flag
// that takes a value, and a flag the provider renders itself.
func TestEngineArgsCheckedAgainstTables(t *testing.T) {
	type tc struct {
		engine rt.Engine
		key    string
		value  string
		want   string // "" = accepted
	}
	cases := []tc{
		// Wrong type: Dynamo's --router-temperature is a float (router_args.py).
		{rt.EngineVLLM, "router-temperature", "hot", "takes a number"},
		{rt.EngineSGLang, "router-temperature", "hot", "takes a number"},
		{rt.EngineTRTLLM, "max-batch-size", "many", "takes an integer"},
		// Choice: --request-plane tcp|nats (runtime_args.py).
		{rt.EngineVLLM, "request-plane", "http", `takes one of "nats", "tcp"`},
		{rt.EngineTRTLLM, "request-plane", "nats", ""},
		// "true" on a flag that takes a value would render it bare.
		{rt.EngineVLLM, "router-temperature", "true", "takes a value"},
		{rt.EngineSGLang, "engine-request-limit", "true", "takes a value"},
		{rt.EngineTRTLLM, "free-gpu-memory-fraction", "true", "takes a value"},
		// A switch given a value.
		{rt.EngineSGLang, "enable-rl", "yes", "is a switch"},
		// Negation of a negatable switch.
		{rt.EngineTRTLLM, "no-conversation-affinity", "true", ""},
		// Unknown flags: TRT-LLM's parser is complete (anything else exits), so typos are
		// caught with suggestions; a Dynamo-flag typo too.
		{rt.EngineTRTLLM, "free-gpu-memory-fractoin", "0.8", `did you mean "free-gpu-memory-fraction"`},
		// Flags the provider renders itself.
		{rt.EngineVLLM, "kv-events-config", `{"enable_kv_cache_events":true}`, "set router_mode instead"},
		{rt.EngineVLLM, "no-enable-prefix-caching", "true", "set enable_prefix_caching instead"},
		{rt.EngineSGLang, "disable-radix-cache", "true", "set enable_prefix_caching instead"},
		{rt.EngineSGLang, "tensor-parallel-size", "2", "tensor parallelism follows the GPU count"},
		{rt.EngineTRTLLM, "model-path", "x/y", "set model instead"},
		{rt.EngineTRTLLM, "publish-events-and-metrics", "true", "set router_mode instead"},
		{rt.EngineTRTLLM, "trtllm.max_seq_len", "4096", "set context_length instead"},
		// Valid engine flags pass.
		{rt.EngineVLLM, "gpu-memory-utilization", "0.85", ""},
		{rt.EngineVLLM, "router-temperature", "0.5", ""},
		{rt.EngineSGLang, "mem-fraction-static", "0.8", ""},
		{rt.EngineTRTLLM, "trtllm.kv_cache_config.free_gpu_memory_fraction", "0.8", ""},
		{rt.EngineTRTLLM, "trtllm.kv_cache_config..x", "1", "dot-separated"},
		{rt.EngineSGLang, "tp-size", "2", "tensor parallelism follows the GPU count"},
		// vLLM's own flags, checked completely: internal/engineflags/tables/vllm-0.26.0.json
		// is every flag of vllm-project/vllm main (vllm/engine/arg_utils.py) in the week the
		// v0.26.0 Dynamo 1.4 runs was cut in (ba47bb5be..3de4b2bf3, its flashinfer 0.6.14 pin).
		{rt.EngineVLLM, "max-num-seq", "8", `has no flag --max-num-seq: did you mean "max-num-seqs"`},
		{rt.EngineVLLM, "a-flag-not-in-vllm", "1", "dynamo.vllm 1.4.0 + vLLM 0.26.0 has no flag --a-flag-not-in-vllm"},
		{rt.EngineVLLM, "max-num-seqs", "many", "takes an integer"},
		{rt.EngineVLLM, "gpu-memory-utilization", "most", "takes a number"},
		{rt.EngineVLLM, "max-num-seqs", "true", "takes a value (int)"},
		{rt.EngineVLLM, "enable-chunked-prefill", "1", "is a switch that takes no value"},
		{rt.EngineVLLM, "no-enable-chunked-prefill", "true", ""}, // BooleanOptionalAction
		{rt.EngineVLLM, "max_num_seqs", "8", ""},                 // FlexibleArgumentParser takes --a_b
		{rt.EngineVLLM, "compilation-config.mode", "3", ""},      // --<json flag>.<key>
		{rt.EngineVLLM, "kv-transfer-config", "nixl", "takes JSON"},
		// SGLang's own flags, switch or value only: the nearest table is SGLang main of
		// 2026-07-21 (sgl-project/sglang 8905cbd42, python/sglang/srt/server_args.py), Dynamo
		// 1.4 runs 0.5.16, so unknown flags and value types pass.
		{rt.EngineSGLang, "chunked-prefill-size", "true", "takes a value (SGLang main 2026-07-21 table, nearest to the SGLang 0.5.16 of Dynamo 1.4.0 that runs)"},
		{rt.EngineSGLang, "enable-metrics", "1", "is a switch that takes no value"},
		{rt.EngineSGLang, "enable-metrics", "true", ""},
		{rt.EngineSGLang, "chunked-prefill-size", "many", ""}, // value types are not read from a nearest table
		{rt.EngineSGLang, "a-flag-newer-than-the-table", "1", ""},
		// Parses, but the 1.4 vLLM worker raises on it (vllm/args.py _reject_connector_flag).
		{rt.EngineVLLM, "connector", "nixl", "no longer supports --connector"},
	}
	for _, c := range cases {
		cfg := base(c.engine)
		cfg.EngineArgs = map[string]string{c.key: c.value}
		msg := problemsAt(t, cfg, `engine_args["`+c.key+`"]`)
		switch {
		case c.want == "" && msg != "":
			t.Errorf("%s engine_args[%q] = %q rejected: %s", c.engine, c.key, c.value, msg)
		case c.want != "" && !strings.Contains(msg, c.want):
			t.Errorf("%s engine_args[%q] = %q: got %q, want %q", c.engine, c.key, c.value, msg, c.want)
		}
	}
}

// One setting, one mechanism: a dynamo.trtllm flag and the trtllm.<path> entry for the LLM
// argument it sets (trtllm/workers/llm_worker.py arg_map @ e147ceea) are refused together.
func TestTRTLLMFlagAndDynamicPathForOneSettingRefused(t *testing.T) {
	cfg := base(rt.EngineTRTLLM)
	cfg.EngineArgs = map[string]string{"free-gpu-memory-fraction": "0.8", "trtllm.kv_cache_config.free_gpu_memory_fraction": "0.7"}
	if msg := problemsAt(t, cfg, `engine_args["trtllm.kv_cache_config.free_gpu_memory_fraction"]`); !strings.Contains(msg, "keep one of them") {
		t.Errorf("got %q", msg)
	}
	delete(cfg.EngineArgs, "free-gpu-memory-fraction")
	if msg := problemsAt(t, cfg, `engine_args["trtllm.kv_cache_config.free_gpu_memory_fraction"]`); msg != "" {
		t.Errorf("the dynamic path alone was refused: %s", msg)
	}
}
