package kuberay

import (
	"testing"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// engine_args must survive serveConfigV2 unchanged whatever they look like. The keys are
// AsyncEngineArgs fields of the kind each value passes as (validation checks them against
// the vLLM table, engineflags.KubeRayEngineKwargs).
func TestEngineArgsRoundTripThroughServeConfig(t *testing.T) {
	args := map[string]string{
		"disable_log_stats": "true", "max_num_batched_tokens": "8192", "swap_space": "0.5", "cpu_offload_gb": "1e3",
		"tokenizer_mode": "yes", "revision": "null", "num_gpu_blocks_override": "9007199254740993", "rope_theta": "NaN",
		"kv_cache_dtype": "fp8", "code_revision": " 8", "hf_config_path": `{"x": 1}`, "seed": "-1",
		"mm_processor_cache_gb": "1.0", "tokenizer_revision": "",
	}
	cfg := rt.DeploymentConfig{Name: "x", Namespace: "ns", Model: "org/model", EngineArgs: args}
	New().Defaults(&cfg)
	m, err := New().Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := New().Parse(m.Primary)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range args {
		if parsed.EngineArgs[k] != v {
			t.Errorf("engine_args[%q]: got %q back, want %q", k, parsed.EngineArgs[k], v)
		}
	}
}
