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
	{Renderer: "dynamo", Engine: "vllm", Version: DynamoEngineVersions["vllm"], From: "Dynamo 1.4.0 pyproject.toml vllm==0.26.0",
		Tables: []string{"vllm-0.11"}, Nearest: "15 minor releases older: plan checks only tell switches from value flags (VLLMNearest)"},
	{Renderer: "dynamo", Engine: "sglang", Version: DynamoEngineVersions["sglang"], From: "Dynamo 1.4.0 pyproject.toml sglang==0.5.16"},
	{Renderer: "dynamo", Engine: "trtllm", Version: DynamoEngineVersions["trtllm"], From: "Dynamo 1.4.0 pyproject.toml tensorrt-llm==1.3.0rc23"},
	{Renderer: "kuberay", Engine: "vllm", Version: "0.11.0", From: "rayproject/ray-llm:2.52.0 (Ray 2.52 runs vLLM 0.11.0: it breaks on 0.11.1+, ray-project/ray#58820, #58960)",
		Tables: []string{"vllm-0.11-kwargs"}, Nearest: "a development commit after 0.11.0, before 0.11.1: used for plan checks of engine_args"},
	{Renderer: "vllm", Engine: "vllm", Version: "0.19.0", From: "vllm/vllm-openai:v0.19.0-cu130",
		Tables: []string{"vllm-0.11", "vllm-0.11-frontend"}, Nearest: "8 minor releases older: plan checks only tell switches from value flags (VLLMNearest)"},
	{Renderer: "kaito", Engine: "vllm", Version: "0.25.1", From: "KAITO 0.12 base image (presets: vllm==0.25.1)",
		Tables: []string{"vllm-0.11", "vllm-0.11-frontend"}, Nearest: "14 minor releases older: plan checks only tell switches from value flags (VLLMNearest)"},
}

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

// VLLMNearest checks engine_args of a vLLM whose own tables are missing (runtime "vllm",
// KAITO, Dynamo's vLLM worker) against the nearest vLLM tables, kind only: whether a flag is
// a switch is what changes least between releases (an assumption, not verified against the
// versions that run); value types and the set of flags do change, so they pass unchecked.
// frontend adds the OpenAI server's flags (`vllm serve`).
func VLLMNearest(runs string, frontend bool) Parser {
	t := MustLoad("vllm-0.11")
	p := Parser{
		Name:        "vLLM " + t.Version + " table, nearest to the " + runs + " that runs",
		Tables:      []*Table{t},
		Underscores: true,
		Dotted:      true,
		KindOnly:    true,
	}
	if frontend {
		p.Tables = append(p.Tables, MustLoad("vllm-0.11-frontend"))
	}
	return p
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
