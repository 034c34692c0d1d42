package llmd_test

import (
	"strings"
	"testing"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/llmd"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

func TestValidateNamesTheAttribute(t *testing.T) {
	base := rt.DeploymentConfig{Runtime: llmd.ID, Name: "qwen", Namespace: "default", Model: "Qwen/Qwen3-0.6B"}
	pd := func(c *rt.DeploymentConfig) { c.Mode = rt.ModeDisaggregated }
	no := false
	type invalid struct {
		name   string
		mutate func(*rt.DeploymentConfig)
		path   string
		msg    string
	}
	cases := []invalid{
		{"sglang", func(c *rt.DeploymentConfig) { c.Engine = rt.EngineSGLang }, "engine", "does not support engine \"sglang\""},
		{"router-mode", func(c *rt.DeploymentConfig) { c.RouterMode = rt.RouterKV }, "router_mode", "endpoint picker"},
		{"long-name", func(c *rt.DeploymentConfig) { c.Name = strings.Repeat("a", 45) }, "name", "at most 44 fit here"},
		{"nodes", func(c *rt.DeploymentConfig) { c.VLLM = &rt.VLLMConfig{Nodes: rt.Int64(2)} }, "vllm.nodes", "one pod per replica"},
		{"tp-mismatch", func(c *rt.DeploymentConfig) {
			c.GPUs = rt.Int64(4)
			c.VLLM = &rt.VLLMConfig{TensorParallel: rt.Int64(2)}
		}, "vllm.tensor_parallel", "= 2 engine workers, one per GPU, but a model server has gpus = 4 GPUs"},
		{"pd-replicas", func(c *rt.DeploymentConfig) { pd(c); c.Replicas = rt.Int64(2) }, "replicas", "not used in disaggregated mode"},
		{"pd-tp", func(c *rt.DeploymentConfig) { pd(c); c.VLLM = &rt.VLLMConfig{TensorParallel: rt.Int64(2)} }, "vllm.tensor_parallel", "each role runs tensor parallel"},
		{"pd-prefill-replicas", func(c *rt.DeploymentConfig) {
			pd(c)
			c.Disaggregated = &rt.DisaggregatedConfig{PrefillReplicas: rt.Int64(11)}
		}, "disaggregated.prefill_replicas", "between 1 and 10"},
		{"pd-decode-gpus-pipeline", func(c *rt.DeploymentConfig) {
			pd(c)
			c.Disaggregated = &rt.DisaggregatedConfig{DecodeGPUs: rt.Int64(3)}
			c.VLLM = &rt.VLLMConfig{PipelineParallel: rt.Int64(2)}
		}, "disaggregated.decode_gpus", "do not split into vllm.pipeline_parallel = 2 stages"},
		{"aggregated-with-block", func(c *rt.DeploymentConfig) { c.Disaggregated = &rt.DisaggregatedConfig{} }, "disaggregated", "only valid with mode = \"disaggregated\""},
		{"kv-transfer", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"kv-transfer-config": "{}"} }, `engine_args["kv-transfer-config"]`, "mode (disaggregated renders"},
		{"no-pool", func(c *rt.DeploymentConfig) {
			c.Gateway = &rt.Gateway{ParentRefs: []rt.GatewayParent{{Name: "gw"}}, InferencePool: &no}
		}, "gateway.inference_pool", "always serves through its InferencePool"},
		{"head-role", func(c *rt.DeploymentConfig) {
			c.Workload = &rt.Workload{Roles: map[string]rt.PodSettings{rt.RoleHead: {CPU: "2"}}}
		}, "roles.head", "head"},
	}
	var checks []runtimestest.InvalidCase
	for _, c := range cases {
		checks = append(checks, runtimestest.InvalidCase{Name: c.name, Mutate: c.mutate, Path: c.path, Message: c.msg})
	}
	runtimestest.CheckInvalid(t, llmd.New(), base, checks)
}

func TestModelLabel(t *testing.T) {
	for in, want := range map[string]string{
		"Qwen/Qwen3-32B":               "Qwen3-32B",
		"openai/gpt-oss-120b":          "gpt-oss-120b",
		"org/weird name+v2":            "weird-name-v2",
		"x/" + strings.Repeat("a", 70): strings.Repeat("a", 63),
		"org/__":                       "model",
	} {
		if got := llmd.ModelLabel(in); got != want {
			t.Errorf("ModelLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
