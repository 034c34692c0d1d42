package kserve

import (
	"strings"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/basics"
)

// gatewaySupport: the controller builds the HTTPRoute and, with the scheduler, the
// InferencePool and endpoint picker from its presets (config-llm-router-route.yaml,
// config-llm-scheduler.yaml); the provider renders neither.
var gatewaySupport = gateway.Support{Pool: true}

// Validate checks a defaulted config against KServe v0.19.0: its webhook's rules
// (pkg/apis/serving/v1alpha2/llm_inference_service_validation.go) and the presets it ships.
func (r shared) Validate(cfg runtimes.DeploymentConfig) runtimes.Problems {
	ps := runtimes.ValidateCommon(cfg, ID)
	k := cfg.KServe
	switch {
	case k != nil && multiNode(cfg) && cfg.Mode == runtimes.ModeDisaggregated:
		runtimes.CheckName(&ps, cfg.Name, MaxMultiNodePDNameLength, "a multi-node prefill pool is a LeaderWorkerSet \"<name>-kserve-mn-prefill\" whose worker StatefulSets' pods carry a controller-revision-hash label that must fit in 63 characters")
	case k != nil && multiNode(cfg):
		runtimes.CheckName(&ps, cfg.Name, MaxMultiNodeNameLength, "a multi-node workload is a LeaderWorkerSet \"<name>-kserve-mn\" whose worker StatefulSets' pods carry a controller-revision-hash label that must fit in 63 characters")
	default:
		runtimes.CheckName(&ps, cfg.Name, MaxNameLength, "KServe names its Services after the LLMInferenceService, and a Service name must be a DNS-1035 label")
	}
	runtimes.ValidateWorkload(&ps, cfg, workloadSupport)
	if strings.TrimSpace(cfg.Model) == "" {
		ps.Add("model", "must be set to a Hugging Face model id such as \"Qwen/Qwen3-0.6B\" (rendered as spec.model.uri = \"hf://<id>\")")
	}
	runtimes.CheckEngine(&ps, r.DisplayName(), cfg.Engine, runtimes.EngineVLLM)
	if cfg.RouterMode != runtimes.RouterNone {
		ps.Add("router_mode", "KServe routes through the llm-d scheduler: set router_mode = \"none\" and use kserve.scheduler (router modes are a Dynamo feature)")
	}
	basics.RefuseOtherBlocks(&ps, cfg, "kuberay", "kaito", "vllm")
	switch cfg.Mode {
	case runtimes.ModeAggregated:
		basics.CheckAggregated(&ps, cfg, "pod")
	case runtimes.ModeDisaggregated:
		validateDisaggregated(&ps, cfg)
	default:
		ps.Add("mode", "unknown mode %q: use \"aggregated\" or \"disaggregated\"", cfg.Mode)
	}
	validateGateway(&ps, cfg)
	if k == nil {
		ps.Add("kserve", "missing: call Defaults before Validate")
		return ps
	}
	runtimes.CheckOneOf(&ps, "kserve.api_version", k.APIVersion, APIVersionV1Alpha2, APIVersionV1Alpha1)
	validateParallelism(&ps, cfg)
	runtimes.CheckEngineArgs(&ps, cfg.EngineArgs, managedFlags)
	return ps
}

// validateDisaggregated: spec.prefill is the prefill pool, the main workload decodes. The
// decode preset puts llm-d's routing sidecar in front of vLLM, which takes its prefill
// target from the scheduler (config-llm-decode-template.yaml), so P/D needs the scheduler.
func validateDisaggregated(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	basics.CheckDisaggregated(ps, cfg)
	if cfg.Disaggregated != nil && cfg.KServe != nil && !runtimes.Deref(cfg.KServe.Scheduler) {
		ps.Add("kserve.scheduler", "prefill/decode disaggregation needs the llm-d scheduler, which picks the prefill pod for each request: set kserve.scheduler = true (or a gateway block with inference_pool on)")
	}
}

// validateGateway: KServe builds the route from its preset, so only parent_refs and
// inference_pool map onto the spec (router.gateway.refs, router.scheduler).
func validateGateway(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	gateway.Validate(ps, cfg, gatewaySupport)
	g := cfg.Gateway
	if g == nil {
		return
	}
	const why = "KServe renders the HTTPRoute from its preset kserve-config-llm-router-route (path \"/\", the scheduler's InferencePool or the workload Service): remove it, or change the route with overrides on spec.router.route.http.spec"
	if len(g.Hostnames) > 0 {
		ps.Add("gateway.hostnames", "%s", why)
	}
	if g.Path != "" && g.Path != "/" {
		ps.Add("gateway.path", "%s", why)
	}
	if g.MatchModelHeader {
		ps.Add("gateway.match_model_header", "%s", why)
	}
	if g.RequestTimeout != "" {
		ps.Add("gateway.request_timeout", "%s", why)
	}
	if g.EPPImage != "" {
		ps.Add("gateway.epp_image", "the KServe controller runs the llm-d scheduler image of its preset kserve-config-llm-scheduler: remove it, or set it with overrides on spec.router.scheduler.template")
	}
	if k := cfg.KServe; k != nil && !g.PoolEnabled() && runtimes.Deref(k.Scheduler) {
		ps.Add("kserve.scheduler", "with a scheduler KServe's route always targets its InferencePool: set gateway.inference_pool = true, or kserve.scheduler = false to route to the workload Service")
	}
}

// validateParallelism: KServe's webhook rules (validateWorkloadParallelism) and the GPUs a
// pod holds. vLLM runs tensor x pipeline workers per engine and data_local engines per pod,
// one GPU each.
func validateParallelism(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	k := cfg.KServe
	runtimes.CheckAtLeast(ps, "kserve.tensor_parallel", k.TensorParallel, 1)
	runtimes.CheckAtLeast(ps, "kserve.pipeline_parallel", k.PipelineParallel, 1)
	runtimes.CheckAtLeast(ps, "kserve.data_parallel", k.DataParallel, 1)
	runtimes.CheckAtLeast(ps, "kserve.data_local_parallel", k.DataLocalParallel, 1)
	if (k.DataParallel == nil) != (k.DataLocalParallel == nil) {
		ps.Add("kserve.data_parallel", "data_parallel and data_local_parallel are set together (KServe: \"dataLocal must be set when data is set\"): data_parallel ranks in all, data_local_parallel of them per pod")
		return
	}
	if k.DataParallel != nil && k.PipelineParallel != nil {
		ps.Add("kserve.pipeline_parallel", "KServe cannot combine pipeline and data parallelism: remove pipeline_parallel or data_parallel")
		return
	}
	if ps.Has("kserve.tensor_parallel") || ps.Has("kserve.pipeline_parallel") || ps.Has("kserve.data_parallel") || ps.Has("kserve.data_local_parallel") {
		return
	}
	if k.DataParallel != nil && *k.DataParallel%*k.DataLocalParallel != 0 {
		ps.Add("kserve.data_parallel", "data_parallel (%d) must be a multiple of data_local_parallel (%d): each pod of a replica runs data_local_parallel ranks", *k.DataParallel, *k.DataLocalParallel)
		return
	}
	if pods := podsPerReplica(cfg); pods > 16 {
		ps.Add("kserve.data_parallel", "data_parallel / data_local_parallel = %d pods per replica; at most 16", pods)
	}
	gpus, path := decodeGPUs(cfg), "gpus"
	if cfg.Mode == runtimes.ModeDisaggregated {
		path = "disaggregated.decode_gpus"
	}
	if gpus < 1 || k.TensorParallel == nil {
		return
	}
	perPod := *k.TensorParallel * runtimes.Deref(k.PipelineParallel)
	if k.PipelineParallel == nil {
		perPod = *k.TensorParallel
	}
	if k.DataLocalParallel != nil {
		perPod *= *k.DataLocalParallel
	}
	if perPod != gpus {
		ps.Add("kserve.tensor_parallel", "tensor_parallel (%d) x pipeline_parallel x data_local_parallel = %d GPUs per pod, but %s is %d: make them equal (leave tensor_parallel unset to use every GPU)",
			*k.TensorParallel, perPod, path, gpus)
	}
}
