package llmd

import (
	"strings"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/basics"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/vllm"
)

// gatewaySupport: the pool and the EPP are always rendered; the gateway block adds the route.
var gatewaySupport = gateway.Support{Pool: true, EPPImage: true}

// workloadSupport: every llm-d pod is a vLLM worker; in disaggregated mode the prefill and
// decode roles take their own settings.
var workloadSupport = runtimes.WorkloadSupport{Roles: []string{runtimes.RoleWorker, runtimes.RolePrefill, runtimes.RoleDecode}}

// Validate checks a defaulted config against what the llm-d paths run.
func (r Runtime) Validate(cfg runtimes.DeploymentConfig) runtimes.Problems {
	ps := runtimes.ValidateCommon(cfg, ID)
	runtimes.CheckName(&ps, cfg.Name, MaxNameLength, "the prefill Deployment \"<name>-prefill\" and the endpoint picker \"<name>-epp\" derive their names and pod labels from it (63-character DNS-1035 labels)")
	runtimes.ValidateWorkload(&ps, cfg, workloadSupport)
	if strings.TrimSpace(cfg.Model) == "" {
		ps.Add("model", "must be set to a Hugging Face model id such as \"Qwen/Qwen3-0.6B\"")
	}
	runtimes.CheckEngine(&ps, r.DisplayName(), cfg.Engine, runtimes.EngineVLLM)
	if cfg.RouterMode != runtimes.RouterNone {
		ps.Add("router_mode", "llm-d routes through its endpoint picker (prefix-cache aware): set router_mode = \"none\" (router modes are a Dynamo feature)")
	}
	basics.RefuseOtherBlocks(&ps, cfg, "kuberay", "kaito")
	if cfg.Gateway != nil && !cfg.Gateway.PoolEnabled() {
		ps.Add("gateway.inference_pool", "llm-d always serves through its InferencePool and endpoint picker: remove inference_pool = false")
	}
	gateway.Validate(&ps, cfg, gatewaySupport)
	v := cfg.VLLM
	if v == nil {
		ps.Add("vllm", "missing: call Defaults before Validate")
		return ps
	}
	if runtimes.Deref(v.Nodes) != 1 {
		ps.Add("vllm.nodes", "the llm-d paths built here run one pod per replica: set nodes = 1 (or leave it unset), or use runtime \"vllm\" for a replica across nodes")
	}
	runtimes.CheckAtLeast(&ps, "vllm.tensor_parallel", v.TensorParallel, 1)
	runtimes.CheckAtLeast(&ps, "vllm.pipeline_parallel", v.PipelineParallel, 1)
	runtimes.CheckQuantity(&ps, "vllm.shared_memory", v.SharedMemory)
	switch cfg.Mode {
	case runtimes.ModeAggregated:
		validateAggregated(&ps, cfg)
	case runtimes.ModeDisaggregated:
		validateDisaggregated(&ps, cfg)
	default:
		ps.Add("mode", "unknown mode %q: llm-d supports \"aggregated\" (the optimized baseline) and \"disaggregated\" (prefill/decode with NIXL)", cfg.Mode)
	}
	reserved := vllm.ManagedFlags()
	reserved["kv-transfer-config"] = "mode (disaggregated renders the NixlConnector configuration)"
	runtimes.CheckEngineArgs(&ps, cfg.EngineArgs, reserved)
	return ps
}

func validateAggregated(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	basics.CheckAggregated(ps, cfg, "model server")
	checkWorld(ps, cfg, "gpus", cfg.GPUs)
}

func validateDisaggregated(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	basics.CheckDisaggregated(ps, cfg)
	if cfg.VLLM.TensorParallel != nil {
		ps.Add("vllm.tensor_parallel", "in disaggregated mode each role runs tensor parallel over its own GPUs (disaggregated.prefill_gpus, disaggregated.decode_gpus): remove tensor_parallel")
	}
	d := cfg.Disaggregated
	if d == nil {
		return
	}
	checkWorld(ps, cfg, "disaggregated.prefill_gpus", d.PrefillGPUs)
	checkWorld(ps, cfg, "disaggregated.decode_gpus", d.DecodeGPUs)
}

// checkWorld: vLLM runs tensor_parallel x pipeline_parallel workers, one per GPU of the pod
// (as in the vllm runtime); with tensor_parallel derived, the GPUs must split evenly into
// pipeline stages.
func checkWorld(ps *runtimes.Problems, cfg runtimes.DeploymentConfig, gpuPath string, gpus *int64) {
	v := cfg.VLLM
	if gpus == nil || *gpus < 1 || v.PipelineParallel == nil || *v.PipelineParallel < 1 || ps.Has(gpuPath) {
		return
	}
	pp := *v.PipelineParallel
	if v.TensorParallel == nil || cfg.Mode == runtimes.ModeDisaggregated {
		if *gpus%pp != 0 {
			ps.Add(gpuPath, "%d GPUs do not split into vllm.pipeline_parallel = %d stages: use a multiple of %d", *gpus, pp, pp)
		}
		return
	}
	if tp := *v.TensorParallel; tp*pp != *gpus && !ps.Has("vllm.tensor_parallel") {
		ps.Add("vllm.tensor_parallel", "tensor_parallel (%d) x pipeline_parallel (%d) = %d engine workers, one per GPU, but a model server has %s = %d GPUs: make them equal (e.g. leave tensor_parallel unset)",
			tp, pp, tp*pp, gpuPath, *gpus)
	}
}
