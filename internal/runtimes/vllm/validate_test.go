package vllm_test

import (
	"strings"
	"testing"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/vllm"
)

func TestValidate(t *testing.T) {
	base := func() rt.DeploymentConfig {
		return rt.DeploymentConfig{Runtime: vllm.ID, Name: "qwen", Namespace: "default", Model: "Qwen/Qwen3-0.6B"}
	}
	cases := []struct {
		name string
		edit func(*rt.DeploymentConfig)
		path string
		msg  string
	}{
		{"disaggregated", func(c *rt.DeploymentConfig) { c.Mode = rt.ModeDisaggregated }, "mode", "aggregated only"},
		{"sglang", func(c *rt.DeploymentConfig) { c.Engine = rt.EngineSGLang }, "engine", "does not support engine \"sglang\""},
		{"router", func(c *rt.DeploymentConfig) { c.RouterMode = rt.RouterKV }, "router_mode", "no router"},
		{"no-gpus", func(c *rt.DeploymentConfig) { c.GPUs = rt.Int64(0) }, "gpus", "at least 1"},
		{"tp-mismatch", func(c *rt.DeploymentConfig) {
			c.GPUs = rt.Int64(4)
			c.VLLM = &rt.VLLMConfig{TensorParallel: rt.Int64(2)}
		}, "vllm.tensor_parallel", "= 2 engine workers, one per GPU, but a replica has gpus (4) x vllm.nodes (1) = 4 GPUs"},
		{"long-name", func(c *rt.DeploymentConfig) { c.Name = strings.Repeat("a", 60) }, "name", "at most 59 fit here"},
		{"long-multinode-name", func(c *rt.DeploymentConfig) {
			c.Name = strings.Repeat("a", 51)
			c.VLLM = &rt.VLLMConfig{Nodes: rt.Int64(2)}
		}, "name", "at most 50 fit here"},
		{"digit-name", func(c *rt.DeploymentConfig) { c.Name = "1qwen" }, "name", "must start with a lower-case letter"},
		{"too-many-nodes", func(c *rt.DeploymentConfig) { c.VLLM = &rt.VLLMConfig{Nodes: rt.Int64(17)} }, "vllm.nodes", "between 1 and 16"},
		{"managed-flag", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"tensor-parallel-size": "2"} }, "engine_args", "set vllm.tensor_parallel instead"},
		// Switch or value, from the nearest vLLM tables (internal/engineflags vllm-main-2026-03*.json:
		// vllm-project/vllm main cc16b24b1..729eb59f6, the weeks before 0.19.0, arg_utils.py:
		// --max-num-batched-tokens takes a (human-readable) int, --enable-chunked-prefill is a
		// BooleanOptionalAction; entrypoints/openai/cli_args.py: --api-key).
		{"bare value flag", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"max-num-batched-tokens": "true"} }, "engine_args", `takes a value (vLLM main 2026-03-12..2026-04-07 table, nearest to the vLLM 0.19.0 that runs); "true" would render it bare`},
		{"bare value flag underscored", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"max_num_batched_tokens": "true"} }, "engine_args", "takes a value"},
		{"bare frontend flag", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"api-key": "true"} }, "engine_args", "takes a value"},
		{"switch with value", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"enable-chunked-prefill": "1"} }, "engine_args", `is a switch that takes no value`},
		{"shm", func(c *rt.DeploymentConfig) { c.VLLM = &rt.VLLMConfig{SharedMemory: "lots"} }, "vllm.shared_memory", "not a Kubernetes quantity"},
		{"kuberay-block", func(c *rt.DeploymentConfig) { c.KubeRay = &rt.KubeRayConfig{} }, "kuberay", "only applies to runtime \"kuberay\""},
		{"head-role", func(c *rt.DeploymentConfig) {
			c.Workload = &rt.Workload{Roles: map[string]rt.PodSettings{rt.RoleHead: {CPU: "2"}}}
		}, "roles.head", "has no head pods"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base()
			tc.edit(&cfg)
			runtimestest.WantProblem(t, vllm.New(), cfg, tc.path, tc.msg)
		})
	}
}

// TestDefaultsSpreadTensorParallel: tensor parallelism covers every GPU of the replica
// unless pipeline parallelism takes a factor.
func TestDefaultsSpreadTensorParallel(t *testing.T) {
	cfg := rt.DeploymentConfig{Runtime: vllm.ID, Name: "big", Namespace: "default", Model: "m/m", GPUs: rt.Int64(8),
		VLLM: &rt.VLLMConfig{Nodes: rt.Int64(2), PipelineParallel: rt.Int64(2)}}
	vllm.New().Defaults(&cfg)
	if *cfg.VLLM.TensorParallel != 8 {
		t.Errorf("tensor_parallel = %d, want 8 (16 GPUs / pipeline 2)", *cfg.VLLM.TensorParallel)
	}
	if ps := vllm.New().Validate(cfg); len(ps) > 0 {
		t.Fatal(ps.Error())
	}
	if _, ok := vllm.New().ForConfig(cfg).(vllm.MultiNode); !ok {
		t.Error("two nodes must render a LeaderWorkerSet")
	}
}

// Flags the nearest table does not know pass (the vLLM that runs is newer), and valid
// switches and values pass.
func TestValidateAcceptsEngineArgKinds(t *testing.T) {
	cfg := rt.DeploymentConfig{Runtime: vllm.ID, Name: "qwen", Namespace: "default", Model: "Qwen/Qwen3-0.6B", EngineArgs: map[string]string{
		"max-num-batched-tokens": "8192", "no-enable-chunked-prefill": "true", "a-flag-newer-than-the-table": "1",
		"compilation-config.level": "3",
	}}
	r := vllm.New()
	r.Defaults(&cfg)
	for _, p := range r.Validate(cfg) {
		if p.Path == "engine_args" {
			t.Errorf("refused: %s", p)
		}
	}
}
