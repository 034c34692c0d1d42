package engineflags

import (
	"strings"
	"testing"
)

func tableOf(flags ...Flag) *Table {
	t := &Table{Engine: "tensorrt_llm.TorchLlmArgs", Version: "test", Flags: flags, byName: map[string]Flag{}}
	for _, f := range flags {
		t.byName[f.Name] = f
	}
	return t
}

// With Types on (an exact table), values are checked as pydantic's lax mode takes what
// dynamic_flags.py infer_type makes of them: "yes" is a bool, "2.0" an int, "16" is not text.
func TestLLMArgsValueTypes(t *testing.T) {
	a := LLMArgs{Name: "TRT-LLM test", Prefix: "trtllm.", Types: true, Table: tableOf(
		Flag{Name: "enable_chunked_prefill", Kind: Bool},
		Flag{Name: "max_batch_size", Kind: Int},
		Flag{Name: "kv_cache_config", Kind: JSON, Closed: true},
		Flag{Name: "kv_cache_config.free_gpu_memory_fraction", Kind: Float},
		Flag{Name: "kv_cache_config.dtype", Kind: String},
		Flag{Name: "cache_transceiver_config", Kind: JSON, Closed: true},
		Flag{Name: "cache_transceiver_config.backend", Kind: Choice, Choices: []string{"DEFAULT", "NIXL", "UCX"}},
		Flag{Name: "attn_backend", Kind: Any},
	)}
	for _, c := range []struct{ path, value, want string }{
		{"enable_chunked_prefill", "true", ""},
		{"enable_chunked_prefill", "yes", ""},
		{"enable_chunked_prefill", "maybe", "takes true or false"},
		{"max_batch_size", "64", ""},
		{"max_batch_size", "2.0", ""},
		{"max_batch_size", "2.5", "takes an integer"},
		{"max_batch_size", "None", ""},
		{"kv_cache_config.free_gpu_memory_fraction", "0.8", ""},
		{"kv_cache_config.free_gpu_memory_fraction", "most", "takes a number"},
		{"kv_cache_config.dtype", "fp8", ""},
		{"kv_cache_config.dtype", "16", "takes text"},
		{"cache_transceiver_config.backend", "NIXL", ""},
		{"cache_transceiver_config.backend", "nixl", `takes one of "DEFAULT", "NIXL", "UCX"`},
		{"attn_backend", "anything", ""},
		{"kv_cache_config", "None", ""},
		{"kv_cache_config.free_gpu_memory_fractoin", "0.8", `did you mean "trtllm.kv_cache_config.free_gpu_memory_fraction"`},
	} {
		got := a.Check(c.path, c.value)
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("Check(%q, %q) = %q, want %q", c.path, c.value, got, c.want)
		}
	}
	a.Types = false
	if got := a.Check("max_batch_size", "2.5"); got != "" {
		t.Errorf("a nearest table checked a value type: %q", got)
	}
}

// A group is closed only when every commit of the window defines its fields
// (tools/engineflags/trtllm_args.py merge_paths): below an open group anything passes.
func TestLLMArgsOpenGroupsPassUnknownFields(t *testing.T) {
	a := LLMArgs{Name: "TRT-LLM test", Prefix: "trtllm.", Table: tableOf(
		Flag{Name: "moe_config", Kind: JSON},
		Flag{Name: "moe_config.backend", Kind: Choice, Choices: []string{"AUTO"}},
		Flag{Name: "model_kwargs", Kind: JSON},
	)}
	for _, p := range []string{"moe_config.backend", "moe_config.newer_field", "model_kwargs.num_hidden_layers"} {
		if got := a.Check(p, "2"); got != "" {
			t.Errorf("Check(%q) = %q, want accepted", p, got)
		}
	}
	if got := a.Check("moe_confg.backend", "x"); !strings.Contains(got, `did you mean "trtllm.moe_config"`) {
		t.Errorf("unknown top-level name: %q", got)
	}
}

// Facts of the TensorRT-LLM table read from tensorrt_llm/llmapi/llm_args.py (so a
// regeneration or reader change that loses them fails here): KvCacheConfig is a group both
// commits define in full; #17277 renamed BlockReuseConfig.block_reuse_policy to policy; the
// removed sampler_type is still accepted (TORCH_LLMARGS_REMOVED_ARGS, or a field in the
// nearer commit); Dynamo 1.4's arg_map keys (trtllm/workers/llm_worker.py) all exist.
func TestTRTLLMTableHoldsSourceFacts(t *testing.T) {
	a := DynamoTRTLLMArgs()
	if a.Types {
		t.Error("the TensorRT-LLM table is not at 1.3.0rc23: value types must not be checked")
	}
	want := map[string]Kind{
		"kv_cache_config":                                 JSON,
		"kv_cache_config.enable_block_reuse":              Bool,
		"kv_cache_config.free_gpu_memory_fraction":        Float,
		"kv_cache_config.tokens_per_block":                Int,
		"kv_cache_config.block_reuse_config.policy":       Choice,
		"cache_transceiver_config.backend":                Choice,
		"disable_overlap_scheduler":                       Bool,
		"max_seq_len":                                     Int,
		"tensor_parallel_size":                            Int,
		"trust_remote_code":                               Bool,
		"guided_decoding_backend":                         Choice,
		"scheduler_config":                                JSON,
		"kv_connector_config":                             JSON,
		"return_perf_metrics":                             Bool,
		"enable_iter_perf_stats":                          Bool,
		"sampler_type":                                    Any,
		"generation_config":                               Choice,
		"moe_expert_parallel_size":                        Int,
		"load_format":                                     Any,
		"sleep_config":                                    JSON,
		"kv_cache_config.mamba_state_config":              JSON,
		"kv_cache_config.block_reuse_config":              JSON,
		"cache_transceiver_config.kv_transfer_timeout_ms": Int,
	}
	for path, kind := range want {
		f, ok := a.Lookup(path)
		if !ok || f.Kind != kind {
			t.Errorf("%s: got %+v (found %v), want kind %s", path, f, ok, kind)
		}
	}
	for _, closed := range []string{"kv_cache_config", "cache_transceiver_config", "kv_cache_config.block_reuse_config"} {
		if f, _ := a.Lookup(closed); !f.Closed {
			t.Errorf("%s should be a closed group (both commits define its fields)", closed)
		}
	}
	if _, ok := a.Lookup("kv_cache_config.block_reuse_config.block_reuse_policy"); ok {
		t.Error("block_reuse_policy was renamed policy by #17277")
	}
	if f, _ := a.Lookup("moe_config"); f.Closed {
		t.Error("moe_config's fields were read at one commit only: it must stay open")
	}
	if !strings.Contains(a.Table.Source, "@275c98aa") || !strings.Contains(a.Table.Source, "@bc9be572") || a.Table.Note == "" {
		t.Errorf("source %q / note %q must name both commits and what they are", a.Table.Source, a.Table.Note)
	}
}

// The table is a tree: every dotted path hangs below a group (json) entry, and groups
// marked closed have their fields listed.
func TestTRTLLMTableIsATree(t *testing.T) {
	a := DynamoTRTLLMArgs()
	children := map[string]int{}
	for _, f := range a.Table.Flags {
		i := strings.LastIndex(f.Name, ".")
		if i < 0 {
			continue
		}
		parent := f.Name[:i]
		children[parent]++
		if pf, ok := a.Lookup(parent); !ok || pf.Kind != JSON {
			t.Errorf("%s hangs below %s, which is not a group (%+v)", f.Name, parent, pf)
		}
	}
	for _, f := range a.Table.Flags {
		if f.Closed && children[f.Name] == 0 {
			t.Errorf("%s is closed but lists no fields", f.Name)
		}
	}
}
