package catalog

import (
	"slices"
	"testing"
)

func TestEvaluate(t *testing.T) {
	for _, tc := range []struct {
		name     string
		facts    Facts
		engines  []string
		reason   string
		arch     string
		inferred bool
	}{
		{"qwen3 explicit", Facts{"Qwen/Qwen3-0.6B", "text-generation", "transformers", []string{"Qwen3ForCausalLM"}},
			[]string{"vllm", "sglang"}, "", "Qwen3ForCausalLM", false},
		{"llama all three", Facts{"x/y", "text-generation", "transformers", []string{"LlamaForCausalLM"}},
			[]string{"vllm", "sglang", "trtllm"}, "", "LlamaForCausalLM", false},
		{"conversational vllm library", Facts{"x/y", "conversational", "vllm", []string{"GPTJForCausalLM"}},
			[]string{"vllm"}, "", "GPTJForCausalLM", false},
		{"gated without config", Facts{"meta-llama/Llama-3.2-1B-Instruct", "text-generation", "transformers", nil},
			[]string{"vllm", "sglang", "trtllm"}, "", "LlamaForCausalLM", true},
		{"no tag but inferred", Facts{"mistralai/Mistral-7B-v0.1", "", "", nil},
			[]string{"vllm", "sglang", "trtllm"}, "", "MistralForCausalLM", true},
		{"gguf by library", Facts{"org/whatever", "text-generation", "gguf", nil},
			[]string{"llamacpp"}, "", "", false},
		{"gguf by id", Facts{"TheBloke/Mistral-7B-GGUF", "", "", nil},
			[]string{"llamacpp"}, "", "MistralForCausalLM", true},
		{"no tag", Facts{"org/thing", "", "transformers", []string{"LlamaForCausalLM"}},
			nil, "Model has no pipeline tag", "LlamaForCausalLM", false},
		{"unsupported tag", Facts{"sentence-transformers/all-MiniLM-L6-v2", "sentence-similarity", "sentence-transformers", []string{"BertModel"}},
			nil, `Pipeline tag "sentence-similarity" is not supported for inference`, "BertModel", false},
		{"unsupported tag beats inference", Facts{"meta-llama/Llama-3.2-11B-Vision", "image-text-to-text", "transformers", nil},
			nil, `Pipeline tag "image-text-to-text" is not supported for inference`, "LlamaForCausalLM", true},
		{"unsupported library", Facts{"org/m", "text-generation", "mlx", []string{"LlamaForCausalLM"}},
			nil, `Library "mlx" is not supported`, "LlamaForCausalLM", false},
		{"unknown arch", Facts{"org/m", "text-generation", "transformers", nil},
			nil, "Model architecture is unknown", "", false},
		{"arch not allowed", Facts{"acme-labs/Exotic-7B", "text-generation", "transformers", []string{"ExoticForCausalLM"}},
			nil, `Architecture "ExoticForCausalLM" is not supported by any engine`, "ExoticForCausalLM", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Evaluate(tc.facts)
			if tc.engines == nil {
				tc.engines = []string{}
			}
			if !slices.Equal(c.Engines, tc.engines) || c.Reason != tc.reason || c.Compatible != (tc.reason == "") {
				t.Errorf("engines %v reason %q compatible %v; want %v %q", c.Engines, c.Reason, c.Compatible, tc.engines, tc.reason)
			}
			arch := ""
			if len(c.Architectures) > 0 {
				arch = c.Architectures[0]
			}
			if arch != tc.arch || c.ArchitectureInferred != tc.inferred {
				t.Errorf("arch %q inferred %v; want %q %v", arch, c.ArchitectureInferred, tc.arch, tc.inferred)
			}
		})
	}
}

func TestInferArchitecture(t *testing.T) {
	for id, want := range map[string]string{
		"meta-llama/Meta-Llama-3-8B":           "LlamaForCausalLM",
		"meta-llama/Llama-2-7b-hf":             "LlamaForCausalLM",
		"mistralai/Mixtral-8x7B-Instruct-v0.1": "MixtralForCausalLM",
		"mistralai/Mistral-Nemo-Instruct":      "MistralForCausalLM",
		"Qwen/Qwen3-8B":                        "Qwen3ForCausalLM",
		"Qwen/Qwen2.5-7B":                      "Qwen2ForCausalLM",
		"google/gemma-2-9b-it":                 "Gemma2ForCausalLM",
		"google/gemma-2b":                      "GemmaForCausalLM",
		"google/gemma-7b":                      "GemmaForCausalLM",
		"microsoft/Phi-3-mini-4k-instruct":     "Phi3ForCausalLM",
		"microsoft/phi-2":                      "PhiForCausalLM",
		"tiiuae/falcon-7b":                     "FalconForCausalLM",
		"deepseek-ai/DeepSeek-V2-Lite":         "DeepseekV2ForCausalLM",
		"ibm-granite/granite-3.0-8b-instruct":  "GraniteForCausalLM",
		"allenai/OLMo-2-1124-7B":               "Olmo2ForCausalLM",
		"allenai/OLMo-7B":                      "OlmoForCausalLM",
		"bigscience/bloom":                     "",
	} {
		if got := InferArchitecture(id); got != want {
			t.Errorf("InferArchitecture(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestEnginesAndRuntimes(t *testing.T) {
	for eng, want := range map[string][]string{
		"vllm": {"dynamo", "kuberay", "kaito", "vllm", "llmd", "kserve"}, "sglang": {"dynamo"}, "trtllm": {"dynamo"}, "llamacpp": {"kaito"}, "x": nil,
	} {
		if got := RuntimesForEngine(eng); !slices.Equal(got, want) {
			t.Errorf("RuntimesForEngine(%s) = %v", eng, got)
		}
	}
	if got := EnginesForRuntime("kaito"); !slices.Equal(got, []string{"vllm", "llamacpp"}) {
		t.Errorf("kaito engines = %v", got)
	}
	if got := RuntimesForEngines([]string{"sglang", "llamacpp"}); !slices.Equal(got, []string{"dynamo", "kaito"}) {
		t.Errorf("union = %v", got)
	}
	if EngineSupportsArchitecture("trtllm", "Qwen3ForCausalLM") || !EngineSupportsArchitecture("sglang", "Qwen3ForCausalLM") {
		t.Error("allow-lists")
	}
}
