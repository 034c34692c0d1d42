package kuberay

import (
	"math"
	"strconv"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Ray Serve LLM application config (spec.serveConfigV2), rendered with sigs.k8s.io/yaml.
type serveConfig struct {
	Applications []application `json:"applications"`
}

type application struct {
	Name        string     `json:"name"`
	ImportPath  string     `json:"import_path"`
	RoutePrefix string     `json:"route_prefix"`
	RuntimeEnv  runtimeEnv `json:"runtime_env"`
	Args        appArgs    `json:"args"`
}

type runtimeEnv struct {
	EnvVars map[string]string `json:"env_vars"`
}

type appArgs struct {
	LLMConfigs    []llmConfig `json:"llm_configs,omitempty"`
	PrefillConfig *llmConfig  `json:"prefill_config,omitempty"`
	DecodeConfig  *llmConfig  `json:"decode_config,omitempty"`
}

type llmConfig struct {
	ModelLoadingConfig modelLoadingConfig `json:"model_loading_config"`
	// AcceleratorType is an LLMConfig field in Ray Serve LLM (not part of model_loading_config).
	AcceleratorType  string           `json:"accelerator_type,omitempty"`
	DeploymentConfig deploymentConfig `json:"deployment_config"`
	EngineKwargs     map[string]any   `json:"engine_kwargs"`
}

type modelLoadingConfig struct {
	ModelID     string `json:"model_id"`
	ModelSource string `json:"model_source"`
}

type deploymentConfig struct {
	AutoscalingConfig autoscalingConfig `json:"autoscaling_config"`
	RayActorOptions   *rayActorOptions  `json:"ray_actor_options,omitempty"`
}

type autoscalingConfig struct {
	MinReplicas int64 `json:"min_replicas"`
	MaxReplicas int64 `json:"max_replicas"`
}

type rayActorOptions struct {
	Resources map[string]int64 `json:"resources"`
}

// engineKwargs are the vLLM engine settings we manage; engine_args are merged next to them.
type engineKwargs struct {
	TensorParallelSize   int64             `json:"tensor_parallel_size"`
	PipelineParallelSize int64             `json:"pipeline_parallel_size"`
	GPUMemoryUtilization float64           `json:"gpu_memory_utilization"`
	Dtype                string            `json:"dtype"`
	MaxNumSeqs           int64             `json:"max_num_seqs"`
	MaxModelLen          int64             `json:"max_model_len"`
	EnableChunkedPrefill bool              `json:"enable_chunked_prefill"`
	EnablePrefixCaching  bool              `json:"enable_prefix_caching"`
	EnforceEager         bool              `json:"enforce_eager"`
	TrustRemoteCode      bool              `json:"trust_remote_code,omitempty"`
	KVTransferConfig     *kvTransferConfig `json:"kv_transfer_config,omitempty"`
}

type kvTransferConfig struct {
	KVConnector string `json:"kv_connector"`
	KVRole      string `json:"kv_role"`
}

const (
	aggregatedApp    = "llm_app"
	disaggregatedApp = "pd-disaggregation"
	prefillResource  = "prefill_node"
	decodeResource   = "decode_node"
)

// managedKwargs maps the engine_kwargs keys we render to the attribute that sets them.
var managedKwargs = map[string]string{
	"tensor_parallel_size":   "kuberay.tensor_parallel",
	"pipeline_parallel_size": "kuberay.pipeline_parallel",
	"gpu_memory_utilization": "kuberay.gpu_memory_utilization",
	"dtype":                  "engine_args is not allowed to change dtype (always auto)",
	"max_num_seqs":           "kuberay.max_num_seqs",
	"max_model_len":          "context_length",
	"enable_chunked_prefill": "kuberay.enable_chunked_prefill",
	"enable_prefix_caching":  "enable_prefix_caching",
	"enforce_eager":          "enforce_eager",
	"trust_remote_code":      "trust_remote_code",
	"kv_transfer_config":     "kuberay.kv_connector",
}

func buildServeConfig(cfg runtimes.DeploymentConfig) serveConfig {
	app := application{
		RoutePrefix: "/",
		RuntimeEnv:  runtimeEnv{EnvVars: map[string]string{"VLLM_USE_V1": "1"}},
	}
	if cfg.Mode == runtimes.ModeDisaggregated {
		app.Name = disaggregatedApp
		app.ImportPath = "ray.serve.llm:build_pd_openai_app"
		prefill := buildLLMConfig(cfg, kvRoleBoth, prefillResource)
		decode := buildLLMConfig(cfg, kvRoleBoth, decodeResource)
		app.Args = appArgs{PrefillConfig: &prefill, DecodeConfig: &decode}
	} else {
		app.Name = aggregatedApp
		app.ImportPath = "ray.serve.llm:build_openai_app"
		app.Args = appArgs{LLMConfigs: []llmConfig{buildLLMConfig(cfg, "", "")}}
	}
	return serveConfig{Applications: []application{app}}
}

// buildLLMConfig renders one LLM config. kvRole and nodeResource are set for the prefill
// and decode halves of a disaggregated app; nodeResource pins the deployment to its worker group.
func buildLLMConfig(cfg runtimes.DeploymentConfig, kvRole, nodeResource string) llmConfig {
	k := cfg.KubeRay
	kw := engineKwargs{
		TensorParallelSize:   *k.TensorParallel,
		PipelineParallelSize: *k.PipelineParallel,
		GPUMemoryUtilization: *k.GPUMemoryUtilization,
		Dtype:                "auto",
		MaxNumSeqs:           *k.MaxNumSeqs,
		MaxModelLen:          *cfg.ContextLength,
		EnableChunkedPrefill: *k.EnableChunkedPrefill,
		EnablePrefixCaching:  *cfg.EnablePrefixCaching,
		EnforceEager:         *cfg.EnforceEager,
		TrustRemoteCode:      cfg.TrustRemoteCode,
	}
	lc := llmConfig{
		ModelLoadingConfig: modelLoadingConfig{ModelID: cfg.ServedModelName, ModelSource: cfg.Model},
		AcceleratorType:    k.AcceleratorType,
		DeploymentConfig: deploymentConfig{AutoscalingConfig: autoscalingConfig{
			MinReplicas: *k.MinReplicas, MaxReplicas: *k.MaxReplicas,
		}},
	}
	if kvRole != "" {
		kw.KVTransferConfig = &kvTransferConfig{KVConnector: k.KVConnector, KVRole: kvRole}
		lc.DeploymentConfig.RayActorOptions = &rayActorOptions{Resources: map[string]int64{nodeResource: 1}}
	}
	lc.EngineKwargs, _ = runtimes.ToMap(kw) // a plain struct of scalars always marshals
	for key, v := range cfg.EngineArgs {
		lc.EngineKwargs[key] = typedValue(v)
	}
	return lc
}

// typedValue turns an engine_args string into the YAML scalar vLLM expects. A value only
// becomes a bool or number when it is already in canonical form, so Parse reads back the
// exact same string; anything else stays a string.
func typedValue(v string) any {
	if v == "true" || v == "false" {
		return v == "true"
	}
	// Whole numbers beyond 2^53 would lose precision on the way back through YAML.
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && strconv.FormatInt(n, 10) == v && n > -1<<53 && n < 1<<53 {
		return n
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) && strconv.FormatFloat(f, 'f', -1, 64) == v {
		return f
	}
	return v
}
