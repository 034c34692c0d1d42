package catalog

import (
	"slices"
	"strings"
	"testing"
)

func TestCuratedCatalog(t *testing.T) {
	entries := Curated()
	if len(entries) != 18 {
		t.Fatalf("entries = %d, want 18", len(entries))
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e.ID] {
			t.Errorf("duplicate %s", e.ID)
		}
		seen[e.ID] = true
		if e.Name == "" || e.Task != "text-generation" || e.ParameterCount <= 0 || len(e.SupportedEngines) == 0 {
			t.Errorf("incomplete entry %+v", e)
		}
		for _, eng := range e.SupportedEngines {
			if !slices.Contains(Engines, eng) {
				t.Errorf("%s: unknown engine %s", e.ID, eng)
			}
		}
		if strings.HasPrefix(e.ID, "kaito/") {
			want, _ := PremadeID(e.ID)
			if e.PremadeID != want || e.PremadeImage != "ghcr.io/kaito-project/aikit/"+want || e.MinGPUs != 0 {
				t.Errorf("%s: premade %q image %q minGpus %d, want %q", e.ID, e.PremadeID, e.PremadeImage, e.MinGPUs, want)
			}
		} else if e.MinGPUs != 1 || e.MinGPUMemoryGB() == 0 {
			t.Errorf("%s: minGpus %d minGpuMemory %q", e.ID, e.MinGPUs, e.MinGPUMemory)
		}
	}
	e, ok := Lookup("KAITO/GPT-OSS-20B")
	if !ok || e.PremadeID != "gpt-oss:20b" {
		t.Errorf("gpt-oss lookup = %+v %v", e, ok)
	}
	gated := 0
	for _, e := range entries {
		if e.Gated {
			gated++
		}
	}
	if gated != 3 {
		t.Errorf("gated entries = %d, want 3", gated)
	}
}

func TestPremadeID(t *testing.T) {
	for in, want := range map[string]string{
		"kaito/llama3.2-1b":  "llama3.2:1b",
		"kaito/gpt-oss-20b":  "gpt-oss:20b",
		"kaito/mixtral-8x7b": "mixtral:8x7b",
		"kaito/nodash":       "",
		"kaito/trailing-":    "",
		"Qwen/Qwen3-0.6B":    "",
	} {
		if got, _ := PremadeID(in); got != want {
			t.Errorf("PremadeID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFromEntry(t *testing.T) {
	e, _ := Lookup("Qwen/Qwen3-0.6B")
	m := FromEntry(e)
	if m.EstimatedGPUMemoryGB != 2 || !slices.Equal(m.Runtimes, []string{"dynamo", "kuberay", "kaito", "vllm", "llmd", "kserve"}) ||
		m.Architecture != "Qwen3ForCausalLM" || m.GGUF {
		t.Errorf("qwen = %+v", m)
	}
	k, _ := Lookup("kaito/phi4-14b")
	m = FromEntry(k)
	if !m.GGUF || !slices.Equal(m.Runtimes, []string{"kaito"}) || m.EstimatedGPUMemoryGB != 32 {
		t.Errorf("kaito = %+v", m)
	}
}
