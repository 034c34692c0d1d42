package catalog

import "slices"

// Engine names as used by KubeFoundry.
const (
	EngineVLLM     = "vllm"
	EngineSGLang   = "sglang"
	EngineTRTLLM   = "trtllm"
	EngineLlamaCpp = "llamacpp"
)

// Runtime names.
const (
	RuntimeDynamo  = "dynamo"
	RuntimeKubeRay = "kuberay"
	RuntimeKAITO   = "kaito"
	RuntimeVLLM    = "vllm"
	RuntimeLLMD    = "llmd"
	RuntimeKServe  = "kserve"
)

// Engines lists every engine in display order.
var Engines = []string{EngineVLLM, EngineSGLang, EngineTRTLLM, EngineLlamaCpp}

// Runtimes lists every runtime in display order.
var Runtimes = []string{RuntimeDynamo, RuntimeKubeRay, RuntimeKAITO, RuntimeVLLM, RuntimeLLMD, RuntimeKServe}

// engineRuntimes says which runtimes can serve an engine. KAITO serves vLLM
// through its preset (vllm model source) and llama.cpp through AIKit images.
var engineRuntimes = map[string][]string{
	EngineVLLM:     {RuntimeDynamo, RuntimeKubeRay, RuntimeKAITO, RuntimeVLLM, RuntimeLLMD, RuntimeKServe},
	EngineSGLang:   {RuntimeDynamo},
	EngineTRTLLM:   {RuntimeDynamo},
	EngineLlamaCpp: {RuntimeKAITO},
}

// RuntimesForEngine returns the runtimes that can serve engine.
func RuntimesForEngine(engine string) []string {
	return slices.Clone(engineRuntimes[engine])
}

// EnginesForRuntime returns the engines a runtime can serve.
func EnginesForRuntime(runtime string) []string {
	var out []string
	for _, e := range Engines {
		if slices.Contains(engineRuntimes[e], runtime) {
			out = append(out, e)
		}
	}
	return out
}

// RuntimesForEngines returns the union of runtimes for engines, in Runtimes order.
func RuntimesForEngines(engines []string) []string {
	out := []string{}
	for _, r := range Runtimes {
		for _, e := range engines {
			if slices.Contains(engineRuntimes[e], r) {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// architectures per engine (KubeFoundry modelCompatibility allow-lists).
var engineArchitectures = map[string][]string{
	EngineVLLM: {
		"LlamaForCausalLM", "MistralForCausalLM", "MixtralForCausalLM", "Qwen2ForCausalLM",
		"Qwen2MoeForCausalLM", "Qwen3ForCausalLM", "GPT2LMHeadModel", "GPTNeoForCausalLM", "GPTNeoXForCausalLM",
		"GPTJForCausalLM", "GPTBigCodeForCausalLM", "FalconForCausalLM", "PhiForCausalLM", "Phi3ForCausalLM",
		"GemmaForCausalLM", "Gemma2ForCausalLM", "StableLmForCausalLM", "StarCoder2ForCausalLM", "OPTForCausalLM",
		"BloomForCausalLM", "MPTForCausalLM", "BaichuanForCausalLM", "InternLMForCausalLM", "InternLM2ForCausalLM",
		"ChatGLMModel", "CohereForCausalLM", "DbrxForCausalLM", "DeciLMForCausalLM", "DeepseekV2ForCausalLM",
		"ExaoneForCausalLM", "ArcticForCausalLM", "GraniteForCausalLM", "GraniteMoeForCausalLM", "JambaForCausalLM",
		"MiniCPMForCausalLM", "OlmoForCausalLM", "Olmo2ForCausalLM", "PersimmonForCausalLM", "SolarForCausalLM",
		"TeleChat2ForCausalLM", "XverseForCausalLM",
	},
	EngineSGLang: {
		"LlamaForCausalLM", "MistralForCausalLM", "MixtralForCausalLM", "Qwen2ForCausalLM",
		"Qwen2MoeForCausalLM", "Qwen3ForCausalLM", "GPT2LMHeadModel", "GPTNeoXForCausalLM", "GPTBigCodeForCausalLM",
		"GemmaForCausalLM", "Gemma2ForCausalLM", "PhiForCausalLM", "Phi3ForCausalLM", "StableLmForCausalLM",
		"InternLM2ForCausalLM", "DeepseekV2ForCausalLM", "OlmoForCausalLM", "Olmo2ForCausalLM", "ExaoneForCausalLM",
		"MiniCPMForCausalLM",
	},
	EngineTRTLLM: {
		"LlamaForCausalLM", "MistralForCausalLM", "MixtralForCausalLM", "Qwen2ForCausalLM",
		"GPT2LMHeadModel", "GPTNeoXForCausalLM", "FalconForCausalLM", "PhiForCausalLM", "GemmaForCausalLM",
		"BloomForCausalLM", "MPTForCausalLM", "BaichuanForCausalLM", "ChatGLMModel",
	},
	EngineLlamaCpp: {
		"LlamaForCausalLM", "MistralForCausalLM", "MixtralForCausalLM", "Qwen2ForCausalLM",
		"Qwen2MoeForCausalLM", "Qwen3ForCausalLM", "GPT2LMHeadModel", "GPTNeoForCausalLM", "GPTNeoXForCausalLM",
		"PhiForCausalLM", "Phi3ForCausalLM", "GemmaForCausalLM", "Gemma2ForCausalLM", "FalconForCausalLM",
		"StableLmForCausalLM", "StarCoder2ForCausalLM", "BloomForCausalLM", "MPTForCausalLM", "InternLMForCausalLM",
		"InternLM2ForCausalLM", "DeepseekV2ForCausalLM", "OlmoForCausalLM", "Olmo2ForCausalLM", "MiniCPMForCausalLM",
	},
}

// EngineSupportsArchitecture reports whether engine's allow-list has arch.
func EngineSupportsArchitecture(engine, arch string) bool {
	return slices.Contains(engineArchitectures[engine], arch)
}
