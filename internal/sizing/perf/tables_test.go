package perf

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The committed tables must match the reference data they are generated from
// (go run ./internal/sizing/perf/gen).
func TestTablesMatchReferenceData(t *testing.T) {
	dir := sizingDir(t)
	configs, err := filepath.Glob(filepath.Join(dir, "model_configs", "*_config.json"))
	if err != nil || len(configs) == 0 {
		t.Fatalf("no model configs under %s: %v", dir, err)
	}
	n := 0
	for _, f := range configs {
		stem := strings.TrimSuffix(filepath.Base(f), "_config.json")
		if strings.HasSuffix(stem, "_hf_quant") {
			continue
		}
		raw, _ := os.ReadFile(f)
		quant, _ := os.ReadFile(filepath.Join(dir, "model_configs", stem+"_hf_quant_config.json"))
		want, err := ParseConfig(raw, quant)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		id := strings.Replace(stem, "--", "/", 1)
		if got, ok := archTable[id]; !ok || got != want {
			t.Errorf("%s: table entry is stale; regenerate with go run ./internal/sizing/perf/gen", id)
		}
		n++
	}
	var aliases map[string]string
	raw, _ := os.ReadFile(filepath.Join(dir, "aliases.json"))
	if err := json.Unmarshal(raw, &aliases); err != nil {
		t.Fatal(err)
	}
	for alias := range aliases {
		if _, ok := LookupArch(alias); !ok {
			t.Errorf("alias %s is not resolvable", alias)
		}
	}
	systems, _ := filepath.Glob(filepath.Join(dir, "systems", "*.yaml"))
	for _, f := range systems {
		if _, err := LookupGPU(strings.TrimSuffix(filepath.Base(f), ".yaml")); err != nil {
			t.Error(err)
		}
	}
	if n != len(archTable) || len(systems) != len(gpuTable) {
		t.Errorf("table sizes %d models / %d GPUs, reference %d / %d", len(archTable), len(gpuTable), n, len(systems))
	}
}

func TestArchitectureFacts(t *testing.T) {
	// Published sizes: DeepSeek-V3/R1 671B total, 37B active; Llama-3.1-8B 8.0B; Qwen3-32B 32.8B; gpt-oss-120b 117B.
	for _, c := range []struct {
		id            string
		total, active float64 // billions
		moe           bool
	}{
		{"deepseek-ai/DeepSeek-R1", 671, 37, true},
		{"meta-llama/Meta-Llama-3.1-8B", 8.0, 7.5, false},
		{"Qwen/Qwen3-32B", 32.8, 32, false},
		{"openai/gpt-oss-120b", 117, 5.1, true},
	} {
		a, ok := LookupArch(c.id)
		if !ok {
			t.Fatalf("%s missing", c.id)
		}
		total, active := float64(a.TotalParams())/1e9, float64(a.ActiveParams())/1e9
		if total < c.total*0.97 || total > c.total*1.03 || active < c.active*0.85 || active > c.active*1.15 || a.IsMoE() != c.moe {
			t.Errorf("%s: %.1fB total, %.1fB active, MoE %t; want about %.0fB / %.1fB", c.id, total, active, a.IsMoE(), c.total, c.active)
		}
	}
	if a, _ := LookupArch("deepseek-ai/DeepSeek-R1"); a.KVShards != 1 || a.KVElems != 61*(512+64) || a.WeightQuant != "fp8_block" {
		t.Errorf("DeepSeek-R1 MLA cache or checkpoint precision wrong: %+v", a)
	}
	if a, _ := LookupArch("nvidia/DeepSeek-R1-NVFP4"); a.WeightQuant != "nvfp4" {
		t.Errorf("alias should carry its own precision, got %q", a.WeightQuant)
	}
	for _, label := range []string{"NVIDIA-H100-80GB-HBM3", "nvidia-h200", "NVIDIA-A100-SXM4-80GB", "NVIDIA-L40S", "NVIDIA-L4", "NVIDIA-B200", "h100_sxm"} {
		if _, err := LookupGPU(label); err != nil {
			t.Error(err)
		}
	}
	if _, err := LookupGPU("tpu-v5"); err == nil || !strings.Contains(err.Error(), "NVIDIA-H100-80GB-HBM3") {
		t.Errorf("unknown GPU error should say what is accepted: %v", err)
	}
}
