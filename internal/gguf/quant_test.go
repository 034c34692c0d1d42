package gguf

import "testing"

func TestQuantizationTag(t *testing.T) {
	cases := map[string]string{
		"llama-3.2-1b-instruct.Q4_K_M.gguf":     "Q4_K_M",
		"Llama-3.2-1B-Instruct-Q4_K_M.gguf":     "Q4_K_M",
		"phi-4-q8_0.gguf":                       "Q8_0",
		"model.Q4_K_S.gguf":                     "Q4_K_S",
		"model-Q6_K_L.gguf":                     "Q6_K_L",
		"model-Q6_K.gguf":                       "Q6_K",
		"model.Q4.gguf":                         "Q4",
		"model-IQ4_XS.gguf":                     "IQ4_XS",
		"gemma-2b-f16.gguf":                     "F16",
		"gemma-2b_F32.gguf":                     "F32",
		"Qwen2.5-0.5B-Instruct-BF16.gguf":       "BF16",
		"sub/dir/model-Q5_K_M.gguf":             "Q5_K_M",
		"model.gguf":                            DefaultTag,
		"weights.bin":                           DefaultTag,
		"tinyQ4_K_M.gguf":                       DefaultTag, // no separator: not a quantization suffix
		"Meta-Llama-3-8B-Instruct.IQ2_XXS.gguf": "IQ2_XXS",
	}
	for file, want := range cases {
		if got := QuantizationTag(file); got != want {
			t.Errorf("QuantizationTag(%q) = %q, want %q", file, got, want)
		}
	}
}
