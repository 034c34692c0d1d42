package engineflags

import "sort"

// EnginePin is the engine version one renderer's pinned image runs, and the tables that
// describe it. Exact tables drive plan checks; a nearest table (another version of the
// same engine, the closest whose source was reachable) is named with its true version,
// and whether a renderer uses it for plan checks is decided per renderer below.
type EnginePin struct {
	Renderer string // "dynamo", "kuberay", "kaito", "vllm"
	Engine   string // "vllm", "sglang", "trtllm"
	Version  string // engine version inside the pinned image
	From     string // where that version comes from
	Tables   []string
	// Nearest is set when Tables are not at Version: the versions differ, say by how much.
	Nearest string
}

// EnginePins lists every engine the provider renders arguments for. TestEnginePins fails
// when a renderer's image moves without this list (and the tables) following.
var EnginePins = []EnginePin{
	{Renderer: "dynamo", Engine: "vllm", Version: DynamoEngineVersions["vllm"],
		From:   "Dynamo 1.4.0 pyproject.toml vllm==0.26.0; its flashinfer 0.6.14 pin (container/context.yaml) places the v0.26.0 cut between vLLM main's 0.6.14 and 0.6.15 bumps",
		Tables: []string{VLLMDynamoTable}},
	{Renderer: "dynamo", Engine: "sglang", Version: DynamoEngineVersions["sglang"], From: "Dynamo 1.4.0 pyproject.toml sglang==0.5.16",
		Tables: []string{SGLangNearestTable}, Nearest: "SGLang main of 2026-07-21, after the 0.5.15 cut and before Dynamo took 0.5.16 (2026-07-29); whether 0.5.16 was cut before or after it is unknown: plan checks only tell switches from value flags (SGLangNearest)"},
	{Renderer: "dynamo", Engine: "trtllm", Version: DynamoEngineVersions["trtllm"], From: "Dynamo 1.4.0 pyproject.toml tensorrt-llm==1.3.0rc23",
		Tables: []string{TRTLLMArgsTable}, Nearest: "TensorRT-LLM main after #17277 (an api-breaking rename 1.3.0rc23 carries): two commits with #17277 and #17213, the nearer still before sampler_type's removal; whether rc23 was cut before, between or after them, and how far, is unknown (no rc21..rc24 source was reachable). Plan checks only the structure of --trtllm.<path> keys: unknown LLM argument names, unknown fields of groups both commits define in full, a value given to a group or list; value types pass (DynamoTRTLLMArgs)"},
	{Renderer: "kuberay", Engine: "vllm", Version: "0.11.0", From: "rayproject/ray-llm:2.52.0 (Ray 2.52 runs vLLM 0.11.0: it breaks on 0.11.1+, ray-project/ray#58820, #58960)",
		Tables: []string{"vllm-0.11-kwargs"}, Nearest: "a development commit after 0.11.0, before 0.11.1: used for plan checks of engine_args"},
	{Renderer: "vllm", Engine: "vllm", Version: "0.19.0", From: "vllm/vllm-openai:v0.19.0-cu130",
		Tables: []string{VLLMRuntimeTable, VLLMRuntimeTable + "-frontend"}, Nearest: "vLLM main from 2026-03-12 to 2026-04-07, the weeks before Dynamo took 0.19.0; the v0.19 cut is likely in them but not pinned: plan checks only tell switches from value flags (VLLMNearest)"},
	{Renderer: "kaito", Engine: "vllm", Version: "0.25.1", From: "KAITO 0.12 base image (presets: vllm==0.25.1)",
		Tables: []string{VLLMKAITOTable, VLLMKAITOTable + "-frontend"}, Nearest: "vLLM main from 2026-06-29 to 2026-07-14, the weeks before Dynamo took 0.25.1; the v0.25 cut is likely in them but not pinned: plan checks only tell switches from value flags (VLLMNearest)"},
}

// The tables each renderer's engine is checked against (see EnginePins for how near).
const (
	VLLMDynamoTable    = "vllm-0.26.0"
	VLLMRuntimeTable   = "vllm-main-2026-03"
	VLLMKAITOTable     = "vllm-main-2026-07"
	SGLangNearestTable = "sglang-main-2026-07"
)

// KubeRayEngineKwargs is what Ray Serve LLM's engine_kwargs take in ray-llm 2.52: the
// fields of vLLM's AsyncEngineArgs (it is built as AsyncEngineArgs(**engine_kwargs), so an
// unknown key fails the Serve application with a TypeError). Read from the nearest vLLM
// source (see EnginePins): a development commit just after the 0.11.0 the image runs.
func KubeRayEngineKwargs() Parser {
	t := MustLoad("vllm-0.11-kwargs")
	return Parser{
		Name:     "vLLM " + t.Version + " AsyncEngineArgs",
		Tables:   []*Table{t},
		Complete: true,
		Kwargs:   true,
	}
}

// VLLMNearest checks engine_args of a vLLM whose exact tables are missing (runtime "vllm",
// KAITO) against a window of vLLM's main branch near the release that runs (table, one of
// the VLLM*Table names), kind only: whether a flag is a switch. The set of flags and value
// types may differ from the release, so they pass unchecked. frontend adds the OpenAI
// server's flags (`vllm serve`).
func VLLMNearest(table, runs string, frontend bool) Parser {
	t := MustLoad(table)
	p := Parser{
		Name:        "vLLM " + t.Version + " table, nearest to the " + runs + " that runs",
		Tables:      []*Table{t},
		Underscores: true,
		Dotted:      true,
		KindOnly:    true,
	}
	if frontend {
		p.Tables = append(p.Tables, MustLoad(table+"-frontend"))
	}
	return p
}

// SGLangNearest checks SGLang server flags against SGLang main of July 2026 (EnginePins),
// kind only, as VLLMNearest does. Only dashed spellings are looked up (others pass unchecked).
func SGLangNearest(runs string) Parser {
	t := MustLoad(SGLangNearestTable)
	return Parser{Name: "SGLang " + t.Version + " table, nearest to the " + runs + " that runs", Tables: []*Table{t}, KindOnly: true}
}

// CheckArgs checks the engine_args entries skip does not exclude, in key order, and
// reports each one the parser refuses.
func (p Parser) CheckArgs(args map[string]string, skip func(key string) bool, report func(key, msg string)) {
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if skip(k) {
			continue
		}
		if msg := p.Check(k, args[k]); msg != "" {
			report(k, msg)
		}
	}
}
