package kuberay_test

import (
	"testing"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kuberay"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

func TestValidateRejects(t *testing.T) {
	base := rt.DeploymentConfig{Name: "qwen-ray", Namespace: "kuberay-system", Model: "Qwen/Qwen3-0.6B"}
	ray := func(c *rt.DeploymentConfig) *rt.KubeRayConfig {
		if c.KubeRay == nil {
			c.KubeRay = &rt.KubeRayConfig{}
		}
		return c.KubeRay
	}
	checkInvalid(t, base, []invalid{
		{"bad name", func(c *rt.DeploymentConfig) { c.Name = "-qwen" }, "name", `"-qwen" is not a valid name`},
		{"sglang engine", func(c *rt.DeploymentConfig) { c.Engine = rt.EngineSGLang }, "engine", `Ray Serve via KubeRay does not support engine "sglang": use one of vllm`},
		{"trtllm engine", func(c *rt.DeploymentConfig) { c.Engine = rt.EngineTRTLLM }, "engine", `does not support engine "trtllm"`},
		{"router mode", func(c *rt.DeploymentConfig) { c.RouterMode = rt.RouterKV }, "router_mode", "Ray Serve routes requests itself"},
		{"replicas out of range", func(c *rt.DeploymentConfig) { c.Replicas = rt.Int64(20) }, "replicas", "between 1 and 10, got 20"},
		{"min above max", func(c *rt.DeploymentConfig) { ray(c).MinReplicas = rt.Int64(3); ray(c).MaxReplicas = rt.Int64(2) }, "kuberay.max_replicas", "at least kuberay.min_replicas (3)"},
		{"memory attribute", func(c *rt.DeploymentConfig) { c.Memory = "16Gi" }, "memory", "set kuberay.worker_memory instead"},
		{"kaito block", func(c *rt.DeploymentConfig) { c.KAITO = &rt.KaitoConfig{} }, "kaito", `only applies to runtime "kaito"`},
		{"gpu memory utilization", func(c *rt.DeploymentConfig) { ray(c).GPUMemoryUtilization = rt.Float64(1.5) }, "kuberay.gpu_memory_utilization", "between 0.1 and 1.0, got 1.5"},
		{"tensor parallel", func(c *rt.DeploymentConfig) { ray(c).TensorParallel = rt.Int64(0) }, "kuberay.tensor_parallel", "at least 1, got 0"},
		{"max num seqs", func(c *rt.DeploymentConfig) { ray(c).MaxNumSeqs = rt.Int64(0) }, "kuberay.max_num_seqs", "at least 1, got 0"},
		{"kv connector", func(c *rt.DeploymentConfig) { ray(c).KVConnector = "LMCache" }, "kuberay.kv_connector", `unknown value "LMCache"`},
		{"worker memory", func(c *rt.DeploymentConfig) { ray(c).WorkerMemory = "64GB!" }, "kuberay.worker_memory", "not a Kubernetes quantity"},
		{"head cpu", func(c *rt.DeploymentConfig) { ray(c).HeadCPU = "four" }, "kuberay.head_cpu", `"four" is not a Kubernetes quantity`},
		{"engine arg dashed", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"max-num-batched-tokens": "1"} }, `engine_args["max-num-batched-tokens"]`, "snake_case keyword"},
		{"engine arg managed", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"max_model_len": "1"} }, `engine_args["max_model_len"]`, "set context_length instead"},
		// engine_args against vLLM's AsyncEngineArgs fields (internal/engineflags
		// tables/vllm-0.11-kwargs.json, vllm-project/vllm arg_utils.py @ 99d7eb5d, the
		// nearest source to the vLLM 0.11.0 in ray-llm 2.52): Ray Serve builds
		// AsyncEngineArgs(**engine_kwargs), so an unknown key is a TypeError at deploy.
		{"engine arg unknown", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"max_num_batched_token": "8192"} }, `engine_args["max_num_batched_token"]`, `no keyword argument "max_num_batched_token": did you mean "max_num_batched_tokens"`},
		{"engine arg int", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"max_num_batched_tokens": "8k"} }, `engine_args["max_num_batched_tokens"]`, `takes an integer, got "8k"`},
		{"engine arg true on int", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"max_loras": "true"} }, `engine_args["max_loras"]`, `takes an integer, got "true"`},
		{"engine arg bool", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"enable_lora": "yes"} }, `engine_args["enable_lora"]`, `takes true or false, got "yes"`},
		{"engine arg float", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"swap_space": "lots"} }, `engine_args["swap_space"]`, `takes a number, got "lots"`},
		{"engine arg mapping", func(c *rt.DeploymentConfig) {
			c.EngineArgs = map[string]string{"kv_events_config": `{"enable_kv_cache_events": true}`}
		}, `engine_args["kv_events_config"]`, "takes a mapping, and engine_args values reach engine_kwargs as strings"},
		{"engine arg list", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"allowed_media_domains": "example.com"} }, `engine_args["allowed_media_domains"]`, "takes a list"},
		{"engine arg flag spelling of a managed setting", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"enable_prefix_caching": "false"} }, `engine_args["enable_prefix_caching"]`, "set enable_prefix_caching instead"},
		{"disaggregated decode replicas", func(c *rt.DeploymentConfig) {
			c.Mode = rt.ModeDisaggregated
			c.Disaggregated = &rt.DisaggregatedConfig{DecodeReplicas: rt.Int64(0)}
		}, "disaggregated.decode_replicas", "between 1 and 10, got 0"},
		{"gpus in disaggregated mode", func(c *rt.DeploymentConfig) { c.Mode = rt.ModeDisaggregated; c.GPUs = rt.Int64(1) }, "gpus", "not used in disaggregated mode"},
	})
}

// invalid is a local mirror of runtimestest.InvalidCase so the table can stay positional.
type invalid struct {
	name    string
	mutate  func(*rt.DeploymentConfig)
	path    string
	message string
}

func checkInvalid(t *testing.T, base rt.DeploymentConfig, cases []invalid) {
	out := make([]runtimestest.InvalidCase, len(cases))
	for i, c := range cases {
		out[i] = runtimestest.InvalidCase{Name: c.name, Mutate: c.mutate, Path: c.path, Message: c.message}
	}
	runtimestest.CheckInvalid(t, kuberay.New(), base, out)
}

// Known AsyncEngineArgs fields with values of their kind pass.
func TestValidateAcceptsEngineKwargs(t *testing.T) {
	cfg := rt.DeploymentConfig{Name: "qwen-ray", Namespace: "kuberay-system", Model: "Qwen/Qwen3-0.6B", EngineArgs: map[string]string{
		"max_num_batched_tokens": "8192", "enable_lora": "true", "disable_log_stats": "false", "swap_space": "2.5",
		"quantization": "fp8", "enable_log_requests": "true",
	}}
	r := kuberay.New()
	r.Defaults(&cfg)
	if ps := r.Validate(cfg); len(ps) > 0 {
		t.Errorf("valid engine_args refused: %v", ps)
	}
}
