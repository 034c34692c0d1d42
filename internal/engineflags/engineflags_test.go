package engineflags_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/engineflags"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kaito"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kuberay"
	vllmrt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/vllm"
)

// A pin that moves without regenerating the tables fails here: each table carries the
// version it was generated for, which must be what the renderers pin.
func TestTablesMatchPinnedVersions(t *testing.T) {
	if dynamo.Version != engineflags.DynamoVersion {
		t.Fatalf("the Dynamo renderer pins %s but the flag tables are for %s: rerun tools/engineflags/gen.py at the new release and update engineflags.DynamoVersion/DynamoEngineVersions",
			dynamo.Version, engineflags.DynamoVersion)
	}
	for _, e := range []rt.Engine{rt.EngineVLLM, rt.EngineSGLang, rt.EngineTRTLLM} {
		tab := engineflags.MustLoad("dynamo-" + string(e))
		if tab.Version != dynamo.Version {
			t.Errorf("dynamo-%s.json is for %s, the renderer pins %s", e, tab.Version, dynamo.Version)
		}
		if !strings.HasSuffix(dynamo.Image(e), ":"+tab.Version) {
			t.Errorf("%s runtime image %s is not the release the table was read at (%s)", e, dynamo.Image(e), tab.Version)
		}
		if len(tab.Flags) < 50 || tab.Source == "" {
			t.Errorf("dynamo-%s.json: %d flags, source %q: regenerate it", e, len(tab.Flags), tab.Source)
		}
	}
	// The engine table a Dynamo worker is complete with must be at the engine version
	// the Dynamo image carries.
	if got := engineflags.MustLoad(engineflags.VLLMDynamoTable).Version; got != engineflags.DynamoEngineVersions["vllm"] {
		t.Errorf("%s.json is for vLLM %s but Dynamo %s carries %s", engineflags.VLLMDynamoTable, got, dynamo.Version, engineflags.DynamoEngineVersions["vllm"])
	}
}

// Facts of the Dynamo 1.4.0 parsers the provider relies on, read from the generated tables
// (so a regeneration that loses them fails here).
func TestDynamoTablesHoldTheRenderedFlags(t *testing.T) {
	for table, flags := range map[string][]string{
		"dynamo-vllm":   {"disaggregation-mode", "router-mode"},
		"dynamo-sglang": {"router-mode"},
		"dynamo-trtllm": {"model", "model-path", "served-model-name", "max-seq-len", "tensor-parallel-size", "disaggregation-mode", "publish-kv-events", "override-engine-args"},
	} {
		p := engineflags.Parser{Name: table, Tables: []*engineflags.Table{engineflags.MustLoad(table)}}
		for _, f := range flags {
			if _, ok := p.Lookup(f); !ok {
				t.Errorf("%s has no --%s", table, f)
			}
		}
	}
	trt := engineflags.DynamoWorker("trtllm")
	if f, _ := trt.Lookup("model-path"); f.AliasOf != "model" {
		t.Errorf("--model-path should be the obsolete alias of --model, got %+v", f)
	}
	if f, _ := trt.Lookup("no-publish-kv-events"); f.Kind != engineflags.Bool || !f.Negatable {
		t.Errorf("--publish-kv-events should be a negatable switch, got %+v", f)
	}
}

func TestCheckKinds(t *testing.T) {
	p := engineflags.Parser{Name: "test", Complete: true, Underscores: true, Dotted: true, Tables: []*engineflags.Table{engineflags.MustLoad("dynamo-vllm")}}
	for _, c := range []struct{ key, value, want string }{
		{"router-temperature", "0.5", ""},
		{"router_temperature", "0.5", ""}, // vLLM's parser takes underscores
		{"router-temperature", "warm", "takes a number"},
		{"router-temperature", "true", "takes a value"},
		{"engine-request-limit", "1.5", "takes an integer"},
		{"engine-request-limit", "None", ""}, // nullable_int
		{"request-plane", "udp", "takes one of"},
		{"fpm-trace", "true", ""},
		{"no-fpm-trace", "true", ""},
		{"fpm-trace", "1", "is a switch"},
		{"router-mod", "kv", `did you mean "router-mode"`},
		{"zzzzzzzzzzzzzzzzzz", "1", "has no flag --zzzzzzzzzzzzzzzzzz"},
	} {
		got := p.Check(c.key, c.value)
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("Check(%q, %q) = %q, want %q", c.key, c.value, got, c.want)
		}
	}
	if got := p.Check("zzzzzzzzzzzzzzzzzz", "1"); strings.Contains(got, "did you mean") {
		t.Errorf("a far-off key got suggestions: %q", got)
	}
	p.Complete = false
	if got := p.Check("gpu-memory-utilization", "0.9"); got != "" {
		t.Errorf("incomplete parser refused an engine flag it has no table for: %q", got)
	}
}

// Every engine version a renderer's image runs is listed in EnginePins with the tables that
// describe it; a table not at the pinned version must say so (Nearest), and this test says
// it too, so nobody mistakes a nearest table for the engine that runs.
func TestEnginePins(t *testing.T) {
	images := map[string]string{ // renderer -> the image that fixes its engine version
		"kuberay": kuberay.DefaultImage,
		"vllm":    vllmrt.DefaultImage,
		"kaito":   kaito.VLLMImage,
	}
	imageTags := map[string]string{ // the tag each pin above was established for
		"kuberay": "rayproject/ray-llm:2.52.0-py311-cu128",
		"vllm":    "vllm/vllm-openai:v0.19.0-cu130",
		"kaito":   "mcr.microsoft.com/aks/kaito/kaito-base:0.5.0",
	}
	for r, img := range images {
		if img != imageTags[r] {
			t.Errorf("the %s renderer now runs %s, EnginePins was written for %s: find the engine version it carries, regenerate the tables (tools/engineflags/gen.py) and update EnginePins", r, img, imageTags[r])
		}
	}
	seen := map[string]bool{}
	for _, p := range engineflags.EnginePins {
		seen[p.Renderer+"/"+p.Engine] = true
		if p.Version == "" || p.From == "" {
			t.Errorf("%s/%s: version and its origin must be named", p.Renderer, p.Engine)
		}
		exact := len(p.Tables) > 0
		for _, name := range p.Tables {
			tab, err := engineflags.Load(name)
			if err != nil {
				t.Errorf("%s/%s: %v", p.Renderer, p.Engine, err)
				continue
			}
			if tab.Source == "" || len(tab.Flags) < 40 {
				t.Errorf("%s: %d flags, source %q: regenerate it", name, len(tab.Flags), tab.Source)
			}
			exact = exact && tab.Version == p.Version
			if tab.Version != p.Version {
				t.Logf("%s/%s runs %s %s; table %s is %s %s (%s): %s", p.Renderer, p.Engine, p.Engine, p.Version, name, tab.Engine, tab.Version, tab.Source, p.Nearest)
			}
		}
		if p.Renderer == "dynamo" && p.Engine == "trtllm" {
			checkRenderedTRTLLMArgs(t, p.Tables)
		}
		switch {
		case exact && p.Nearest != "":
			t.Errorf("%s/%s: the tables are now at %s; drop the Nearest note", p.Renderer, p.Engine, p.Version)
		case !exact && len(p.Tables) > 0 && p.Nearest == "":
			t.Errorf("%s/%s: tables not at %s must say why they are the nearest", p.Renderer, p.Engine, p.Version)
		case len(p.Tables) == 0:
			t.Logf("%s/%s runs %s %s: no table (its source at that version was not reachable); engine_args pass unchecked beyond the renderer's own rules", p.Renderer, p.Engine, p.Engine, p.Version)
		}
	}
	for _, want := range []string{"dynamo/vllm", "dynamo/sglang", "dynamo/trtllm", "kuberay/vllm", "vllm/vllm", "kaito/vllm"} {
		if !seen[want] {
			t.Errorf("EnginePins lacks %s", want)
		}
	}
	for e, v := range engineflags.DynamoEngineVersions {
		found := false
		for _, p := range engineflags.EnginePins {
			found = found || p.Renderer == "dynamo" && p.Engine == e && p.Version == v
		}
		if !found {
			t.Errorf("Dynamo %s carries %s %s, EnginePins does not say so", engineflags.DynamoVersion, e, v)
		}
	}
}

// A nearest table (KindOnly) tells switches from value flags and nothing else; a kwargs
// parser (Ray Serve engine_kwargs) takes true/false for bools and typed scalars.
func TestKindOnlyAndKwargs(t *testing.T) {
	near := engineflags.VLLMNearest(engineflags.VLLMRuntimeTable, "vLLM 9.9", true)
	for _, c := range []struct{ key, value, want string }{
		{"max-num-seqs", "true", "takes a value"},
		{"max_num_seqs", "true", "takes a value"},
		{"max-num-seqs", "many", ""}, // types are not read from another version
		{"enforce-eager", "1", "is a switch"},
		{"no-enable-prefix-caching", "true", ""},
		{"port", "true", "takes a value"}, // frontend table
		{"not-yet-in-the-table", "x", ""},
		{"compilation-config.level", "3", ""}, // --<json flag>.<key>
	} {
		got := near.Check(c.key, c.value)
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("nearest Check(%q, %q) = %q, want %q", c.key, c.value, got, c.want)
		}
	}
	kw := engineflags.KubeRayEngineKwargs()
	for _, c := range []struct{ key, value, want string }{
		{"enable_lora", "false", ""},
		{"enable_lora", "1", "takes true or false"},
		{"max_num_batched_tokens", "8192", ""},
		{"max_num_batched_tokens", "8k", "takes an integer"}, // a Python int, not the CLI's human_readable_int
		{"gpu_memory_utilization", "0.8", ""},
		{"kv_transfer_config", `{"kv_connector": "NixlConnector", "kv_role": "kv_both"}`, ""},
		{"kv_transfer_config", "nixl", "takes a mapping"},
		{"max-num-seqs", "8", `has no keyword argument "max-num-seqs"`}, // no dashes in keywords
		{"enable_log_requests", "true", ""},                             // AsyncEngineArgs
	} {
		got := kw.Check(c.key, c.value)
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("kwargs Check(%q, %q) = %q, want %q", c.key, c.value, got, c.want)
		}
	}
}

// Facts of the generated engine tables, read from the engines' sources (so a regeneration
// or a reader change that loses them fails here):
//   - vLLM main (vllm/engine/arg_utils.py, add_cli_args): --max-num-seqs is an int,
//     --enable-prefix-caching a BooleanOptionalAction, --kv-events-config a KVEventsConfig
//     (JSON); cli_args.py FrontendArgs: --port an int, --api-key a list.
//   - SGLang main 8905cbd42 (python/sglang/srt/server_args.py ServerArgs, derived by
//     arg_groups/arg_utils.py add_cli_args_from_dataclass): tp_size is --tp-size with the
//     alias --tensor-parallel-size, bools are store_true (no --no- form), --stream-output
//     is a deprecated switch registered by hand.
func TestEngineTablesHoldSourceFacts(t *testing.T) {
	type fact struct {
		table, flag string
		kind        engineflags.Kind
		negatable   bool
		aliasOf     string
	}
	for _, f := range []fact{
		{engineflags.VLLMDynamoTable, "max-num-seqs", engineflags.Int, false, ""},
		{engineflags.VLLMDynamoTable, "enable-prefix-caching", engineflags.Bool, true, ""},
		{engineflags.VLLMDynamoTable, "kv-events-config", engineflags.JSON, false, ""},
		{engineflags.VLLMDynamoTable, "gpu-memory-utilization", engineflags.Float, false, ""},
		{engineflags.VLLMRuntimeTable + "-frontend", "port", engineflags.Int, false, ""},
		{engineflags.VLLMRuntimeTable + "-frontend", "api-key", engineflags.List, false, ""},
		{engineflags.VLLMKAITOTable, "enforce-eager", engineflags.Bool, true, ""},
		{engineflags.SGLangNearestTable, "tp-size", engineflags.Int, false, ""},
		{engineflags.SGLangNearestTable, "tensor-parallel-size", engineflags.Int, false, "tp-size"},
		{engineflags.SGLangNearestTable, "model", engineflags.String, false, "model-path"},
		{engineflags.SGLangNearestTable, "disable-radix-cache", engineflags.Bool, false, ""},
		{engineflags.SGLangNearestTable, "mem-fraction-static", engineflags.Float, false, ""},
		{engineflags.SGLangNearestTable, "stream-output", engineflags.Bool, false, ""},
	} {
		tab := engineflags.MustLoad(f.table)
		p := engineflags.Parser{Name: f.table, Tables: []*engineflags.Table{tab}}
		got, ok := p.Lookup(f.flag)
		if !ok {
			t.Errorf("%s has no --%s", f.table, f.flag)
			continue
		}
		if got.Kind != f.kind || got.Negatable != f.negatable || got.AliasOf != f.aliasOf {
			t.Errorf("%s --%s = %+v, want kind %s negatable %v alias_of %q", f.table, f.flag, got, f.kind, f.negatable, f.aliasOf)
		}
	}
	// SGLang's switches have no --no- form (store_true), unlike vLLM's.
	if _, ok := engineflags.SGLangNearest("SGLang 9.9").Lookup("no-disable-radix-cache"); ok {
		t.Error("SGLang's store_true switches have no --no- form")
	}
	// Window tables say what they are.
	for _, name := range []string{engineflags.VLLMDynamoTable, engineflags.VLLMRuntimeTable, engineflags.VLLMKAITOTable, engineflags.SGLangNearestTable} {
		tab := engineflags.MustLoad(name)
		if !strings.Contains(tab.Source, "@") || tab.Note == "" {
			t.Errorf("%s: source %q / note %q must name the commits read and what they are", name, tab.Source, tab.Note)
		}
	}
}

// Every LLM argument the Dynamo renderer writes as --trtllm.<path> or sets through a
// dynamo.trtllm flag (llm_worker.py arg_map) is a path of the TensorRT-LLM table: max_seq_len,
// tensor_parallel_size, kv_cache_config.enable_block_reuse, trust_remote_code, the
// disaggregated cache_transceiver_config.backend and disable_overlap_scheduler, ...
func checkRenderedTRTLLMArgs(t *testing.T, tables []string) {
	t.Helper()
	rendered := dynamo.RenderedTRTLLMArgs()
	for _, want := range []string{"max_seq_len", "tensor_parallel_size", "model", "kv_cache_config.enable_block_reuse",
		"trust_remote_code", "cache_transceiver_config.backend", "disable_overlap_scheduler", "kv_cache_config.free_gpu_memory_fraction"} {
		if !slices.Contains(rendered, want) {
			t.Errorf("dynamo.RenderedTRTLLMArgs lacks %s: the renderer's list and this test drifted apart", want)
		}
	}
	for _, name := range tables {
		args := engineflags.LLMArgs{Name: name, Table: engineflags.MustLoad(name)}
		for _, path := range rendered {
			if f, ok := args.Lookup(path); !ok {
				t.Errorf("the Dynamo renderer sets TensorRT-LLM argument %s, which %s does not have", path, name)
			} else if f.Kind == engineflags.JSON {
				t.Errorf("the Dynamo renderer sets %s as one value, but %s has it as a group", path, name)
			}
		}
	}
}
