package registry_test

import (
	"encoding/json"
	"reflect"
	"testing"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/registry"
)

// FuzzValidateManifests builds configs from fuzzed fields and requires: no panics anywhere;
// every config that validates renders manifests; and Parse gives the config back.
func FuzzValidateManifests(f *testing.F) {
	f.Add(uint8(0), "qwen3", "Qwen/Qwen3-0.6B", "vllm", "aggregated", "kv", int64(1), int64(1), int64(0), "", "max-num-seqs", "8", "", "", "", "", "", uint8(0))
	f.Add(uint8(0), "pd", "Qwen/Qwen3-0.6B", "sglang", "disaggregated", "", int64(0), int64(0), int64(4096), "16Gi", "page-size", "16", "", "", "", "", "", uint8(1))
	f.Add(uint8(1), "ray", "meta-llama/Llama-3.2-1B-Instruct", "vllm", "", "", int64(2), int64(2), int64(8192), "", "enable_lora", "true", "", "", "", "", "", uint8(2))
	f.Add(uint8(1), "ray-pd", "Qwen/Qwen3-0.6B", "", "disaggregated", "", int64(0), int64(0), int64(0), "", "", "", "", "", "", "", "", uint8(4))
	f.Add(uint8(2), "llama", "", "", "", "", int64(1), int64(0), int64(0), "4Gi", "", "", "premade", "gpt-oss:20b", "", "", "", uint8(0))
	f.Add(uint8(2), "gguf", "org/repo-GGUF", "", "", "", int64(1), int64(0), int64(0), "", "", "", "huggingface", "", "m.Q4_K_M.gguf", "build", "localhost:30500/x:Q4_K_M", uint8(8))
	f.Add(uint8(2), "vl", "Qwen/Qwen3-0.6B", "vllm", "", "", int64(1), int64(2), int64(2048), "", "dtype", "half", "vllm", "", "", "", "", uint8(16))
	f.Fuzz(func(t *testing.T, runtime uint8, name, model, engine, mode, router string, replicas, gpus, ctxLen int64, memory, argKey, argValue, source, premade, gguf, runMode, imageRef string, flags uint8) {
		ids := registry.IDs()
		r, _ := registry.Get(ids[int(runtime)%len(ids)])
		cfg := rt.DeploymentConfig{
			Name: name, Namespace: "ns", Model: model, Engine: rt.Engine(engine), Mode: rt.Mode(mode),
			RouterMode: rt.RouterMode(router), Memory: memory,
			EnablePrefixCaching: rt.Bool(flags&1 != 0), TrustRemoteCode: flags&2 != 0,
		}
		if replicas != 0 {
			cfg.Replicas = &replicas
		}
		if gpus != 0 {
			cfg.GPUs = &gpus
		}
		if ctxLen != 0 {
			cfg.ContextLength = &ctxLen
		}
		if flags&4 != 0 {
			cfg.EnforceEager = rt.Bool(flags&8 != 0)
		}
		if argKey != "" {
			cfg.EngineArgs = map[string]string{argKey: argValue}
		}
		if flags&16 != 0 {
			cfg.HFTokenSecret = "hf-token"
		}
		if source != "" || premade != "" || gguf != "" || runMode != "" || imageRef != "" {
			cfg.KAITO = &rt.KaitoConfig{ModelSource: source, PremadeModel: premade, GGUFFile: gguf, RunMode: runMode, ImageRef: imageRef}
		}
		r.Defaults(&cfg)
		if ps := r.Validate(cfg); len(ps) > 0 {
			for _, p := range ps {
				if p.Message == "" {
					t.Fatalf("problem without a message at %q", p.Path)
				}
			}
			if _, err := r.Manifests(cfg); err == nil {
				t.Fatal("Manifests accepted a config Validate rejects")
			}
			return
		}
		m, err := r.Manifests(cfg)
		if err != nil {
			t.Fatalf("valid config failed to render: %v", err)
		}
		parsed, err := r.Parse(m.Primary)
		if err != nil {
			t.Fatalf("Parse of a rendered manifest failed: %v", err)
		}
		if !reflect.DeepEqual(parsed, cfg) {
			a, _ := json.Marshal(parsed)
			b, _ := json.Marshal(cfg)
			t.Fatalf("round trip differs\nparsed: %s\nwant:   %s", a, b)
		}
		_ = r.Status(m.Primary, nil, nil)
		_ = r.Endpoint(cfg)
	})
}
