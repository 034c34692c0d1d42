package dynamo

import (
	"strings"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Validate checks a defaulted config against what Dynamo and its engines support.
func (r shared) Validate(cfg runtimes.DeploymentConfig) runtimes.Problems {
	ps := runtimes.ValidateCommon(cfg, ID)
	if v := apiVersion(cfg); v != APIVersionV1Beta1 && v != APIVersionV1Alpha1 {
		ps.Add("dynamo.api_version", "unknown API version %q: use \"v1beta1\" (Dynamo >= 1.2, default) or \"v1alpha1\" (Dynamo 0.x clusters)", v)
	}
	if strings.TrimSpace(cfg.Model) == "" {
		ps.Add("model", "must be set to a Hugging Face model id such as \"Qwen/Qwen3-0.6B\"")
	}
	runtimes.CheckEngine(&ps, r.DisplayName(), cfg.Engine, runtimes.EngineVLLM, runtimes.EngineSGLang, runtimes.EngineTRTLLM)
	runtimes.CheckOneOf(&ps, "router_mode", string(cfg.RouterMode), string(runtimes.RouterNone), string(runtimes.RouterKV), string(runtimes.RouterRoundRobin))
	if cfg.KubeRay != nil {
		ps.Add("kuberay", "the kuberay block only applies to runtime \"kuberay\": remove it")
	}
	if cfg.KAITO != nil {
		ps.Add("kaito", "the kaito block only applies to runtime \"kaito\": remove it")
	}
	switch cfg.Mode {
	case runtimes.ModeAggregated:
		validateAggregated(&ps, cfg)
	case runtimes.ModeDisaggregated:
		validateDisaggregated(&ps, cfg)
	default:
		ps.Add("mode", "unknown mode %q: use \"aggregated\" or \"disaggregated\"", cfg.Mode)
	}
	validateEngineOptions(&ps, cfg)
	validateName(&ps, cfg)
	gateway.Validate(&ps, cfg, gatewaySupport(cfg))
	runtimes.ValidateWorkload(&ps, cfg, workloadSupportFor(apiVersion(cfg)))
	return ps
}

func validateAggregated(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	if cfg.Disaggregated != nil {
		ps.Add("disaggregated", "only valid with mode = \"disaggregated\": remove the block or change the mode")
	}
	if cfg.Replicas == nil {
		ps.Add("replicas", "must be set (between %d and %d)", runtimes.MinReplicas, runtimes.MaxReplicas)
	}
	if cfg.GPUs == nil {
		ps.Add("gpus", "must be set to the number of GPUs per worker (at least 1)")
	}
	runtimes.CheckAtLeast(ps, "gpus", cfg.GPUs, 1)
}

func validateDisaggregated(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	if cfg.Replicas != nil {
		ps.Add("replicas", "not used in disaggregated mode: set disaggregated.prefill_replicas and disaggregated.decode_replicas instead")
	}
	if cfg.GPUs != nil {
		ps.Add("gpus", "not used in disaggregated mode: set disaggregated.prefill_gpus and disaggregated.decode_gpus instead")
	}
	if cfg.RouterMode == runtimes.RouterNone {
		ps.Add("router_mode", "disaggregated serving needs a router between prefill and decode workers: use \"round-robin\" or \"kv\"")
	}
	d := cfg.Disaggregated
	if d == nil {
		ps.Add("disaggregated", "must be set in disaggregated mode (prefill and decode replicas and GPUs)")
		return
	}
	for _, f := range []struct {
		path  string
		v     *int64
		isGPU bool
	}{
		{"disaggregated.prefill_replicas", d.PrefillReplicas, false},
		{"disaggregated.decode_replicas", d.DecodeReplicas, false},
		{"disaggregated.prefill_gpus", d.PrefillGPUs, true},
		{"disaggregated.decode_gpus", d.DecodeGPUs, true},
	} {
		switch {
		case f.v == nil:
			ps.Add(f.path, "must be set")
		case f.isGPU:
			runtimes.CheckAtLeast(ps, f.path, f.v, 1)
		default:
			runtimes.CheckRange(ps, f.path, f.v, runtimes.MinReplicas, runtimes.MaxReplicas)
		}
	}
}

// validateEngineOptions rejects options the chosen engine has no flag for, instead of
// emitting vLLM flags to SGLang or TensorRT-LLM workers.
func validateEngineOptions(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	f, ok := flagsByEngine[cfg.Engine]
	if !ok {
		return
	}
	if runtimes.Deref(cfg.EnforceEager) && f.enforceEager == "" {
		ps.Add("enforce_eager", "engine %q has no eager-mode flag: set enforce_eager = false (it only applies to vllm)", cfg.Engine)
	}
	if cfg.EnablePrefixCaching && f.prefixCaching == "" {
		ps.Add("enable_prefix_caching", "engine %q has no prefix-caching flag (SGLang caches prefixes by default): set enable_prefix_caching = false", cfg.Engine)
	}
	if cfg.TrustRemoteCode && f.trustRemote == "" {
		ps.Add("trust_remote_code", "engine %q has no trust-remote-code flag: set trust_remote_code = false", cfg.Engine)
	}
	runtimes.CheckEngineArgs(ps, cfg.EngineArgs, reservedArgs(cfg))
}
