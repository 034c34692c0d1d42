package catalog

import "testing"

func TestParseParameterCount(t *testing.T) {
	for id, want := range map[string]int64{
		"Qwen/Qwen3-0.6B":                          600_000_000,
		"Qwen/Qwen2.5-1.5B-Instruct":               1_500_000_000,
		"deepseek-ai/DeepSeek-R1-Distill-Llama-8B": 8_000_000_000,
		"meta-llama/Llama-3.2-1B-Instruct":         1_000_000_000,
		"TinyLlama/TinyLlama-1.1B-Chat-v1.0":       1_100_000_000,
		"openai/gpt-oss-20b":                       20_000_000_000,
		"meta-llama/Llama-3.3-70B":                 70_000_000_000,
		"tiiuae/falcon_40b":                        40_000_000_000,
		"org/model.3b":                             3_000_000_000,
		"HuggingFaceTB/SmolLM2-135M-Instruct":      135_000_000,
		"org/model-7billion":                       7_000_000_000,
		"mistralai/Mixtral-8x7B-Instruct-v0.1":     0, // "8x7B" has no separator before 7B
		"microsoft/Phi-3-mini-4k-instruct":         0,
		"org/model-10000B":                         0, // out of range
		"org/model-8bit":                           0,
		"7B-owner/model":                           0, // the owner never names the size
		"org/model-0B":                             0,
	} {
		if got := ParseParameterCount(id); got != want {
			t.Errorf("ParseParameterCount(%q) = %d, want %d", id, got, want)
		}
	}
}

func TestParameterCountPrecedence(t *testing.T) {
	if got := ParameterCount("org/m-7B", 751632384, map[string]int64{"BF16": 1}); got != 751632384 {
		t.Errorf("total first: %d", got)
	}
	if got := ParameterCount("org/m-7B", 0, map[string]int64{"I64": 512, "F32": 22713216}); got != 22713728 {
		t.Errorf("dtype sum: %d", got)
	}
	if got := ParameterCount("org/m-7B", 0, nil); got != 7e9 {
		t.Errorf("from id: %d", got)
	}
}

func TestSizeLabel(t *testing.T) {
	for in, want := range map[int64]string{0: "", 600e6: "0.6B", 751632384: "0.8B", 1235814400: "1.2B", 8e9: "8B",
		8030261248: "8B", 135e6: "135M", 46.7e9: "46.7B", 22713728: "22.7M", 405e9: "405B"} {
		if got := SizeLabel(in); got != want {
			t.Errorf("SizeLabel(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestEstimateGPUMemory(t *testing.T) {
	for params, want := range map[float64]int64{
		0: 0, -1: 0, 600e6: 2, 1e9: 3, 1235814400: 3, 7e9: 16, 8e9: 18, 70e9: 157, 751632384: 2,
		// exactly 1 GiB of weights+overhead → 1
		1024 * 1024 * 1024 / 2.4: 1,
	} {
		if got := EstimateGPUMemoryGB(params); got != want {
			t.Errorf("EstimateGPUMemoryGB(%v) = %d, want %d", params, got, want)
		}
	}
}

func TestGPUsNeededAndRecommended(t *testing.T) {
	for _, tc := range []struct {
		mem, gpu float64
		want     int64
	}{{16, 24, 1}, {24, 24, 1}, {25, 24, 2}, {157, 80, 2}, {157, 40, 4}, {0, 24, 0}, {10, 0, 0}, {0.5, 80, 1}} {
		if got := GPUsNeeded(tc.mem, tc.gpu); got != tc.want {
			t.Errorf("GPUsNeeded(%v, %v) = %d, want %d", tc.mem, tc.gpu, got, tc.want)
		}
	}
	for _, tc := range []struct {
		params, mem, gpu float64
		maxNode          int64
		want             int64
	}{
		{7e9, 16, 24, 0, 1}, {70e9, 157, 24, 0, 7}, {70e9, 157, 24, 4, 4},
		{1e9, 3, 0, 0, 1}, {7e9, 16, 0, 0, 2}, {32e9, 72, 0, 0, 4}, {70e9, 157, 0, 0, 8}, {70e9, 157, 0, 2, 2}, {0, 0, 0, 0, 1},
	} {
		if got := RecommendedGPUs(tc.params, tc.mem, tc.gpu, tc.maxNode); got != tc.want {
			t.Errorf("RecommendedGPUs(%v, %v, %v, %d) = %d, want %d", tc.params, tc.mem, tc.gpu, tc.maxNode, got, tc.want)
		}
	}
	for _, tc := range []struct {
		mem, gpu float64
		want     string
	}{{16, 24, "fits"}, {20, 24, "warning"}, {25, 24, "exceeds"}, {0, 24, ""}} {
		if got := Fit(tc.mem, tc.gpu); got != tc.want {
			t.Errorf("Fit(%v, %v) = %q", tc.mem, tc.gpu, got)
		}
	}
}

func TestGGUFQuantization(t *testing.T) {
	for in, want := range map[string]string{
		"llama-2-7b.Q4_K_M.gguf":                          "Q4_K_M",
		"Llama-3.2-1B-Instruct-Q4_K_M.gguf":               "Q4_K_M",
		"Llama-3.2-1B-Instruct-Q4_K_S.gguf":               "Q4_K_S",
		"model-q5_k_m.gguf":                               "Q5_K_M",
		"Qwen2.5-7B-Instruct-Q6_K_L.gguf":                 "Q6_K_L",
		"model.Q3_K.gguf":                                 "Q3_K",
		"Llama-3.2-1B-Instruct-Q8_0.gguf":                 "Q8_0",
		"model.Q4_0.gguf":                                 "Q4_0",
		"model-Q4_0_4_4.gguf":                             "Q4_0_4_4",
		"model-IQ4_XS.gguf":                               "IQ4_XS",
		"model-IQ2_XXS.gguf":                              "IQ2_XXS",
		"model.IQ3_M.gguf":                                "IQ3_M",
		"model-IQ4_NL.gguf":                               "IQ4_NL",
		"Llama-3.2-1B-Instruct-f16.gguf":                  "F16",
		"model.F32.gguf":                                  "F32",
		"model-bf16.gguf":                                 "BF16",
		"gpt-oss-20b-MXFP4.gguf":                          "MXFP4",
		"model_Q8.gguf":                                   "Q8",
		"subdir/Qwen3-30B-A3B-Q4_K_M-00001-of-00003.gguf": "Q4_K_M",
		"model.gguf":                                      "",
		"model-Q4_K_M.bin":                                "",
		"ggml-model.gguf":                                 "",
	} {
		if got := GGUFQuantization(in); got != want {
			t.Errorf("GGUFQuantization(%q) = %q, want %q", in, got, want)
		}
	}
}
