package vllm

import (
	"strings"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/engineflags"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/basics"
)

// MaxNodes bounds vllm.nodes (pods per replica); LWS itself allows more, but replicas x
// nodes GPU hosts for one model is already a large cluster.
const MaxNodes = 16

// Validate checks a defaulted config against what vllm serve (and a LeaderWorkerSet) runs.
func (r shared) Validate(cfg runtimes.DeploymentConfig) runtimes.Problems {
	ps := runtimes.ValidateCommon(cfg, ID)
	if multiNode(cfg) {
		runtimes.CheckName(&ps, cfg.Name, MaxMultiNodeNameLength, "a multi-node deployment's LeaderWorkerSet names its worker StatefulSets \"<name>-<group>\", whose pods carry a controller-revision-hash label \"<statefulset>-<hash>\" that must fit in 63 characters, and the LeaderWorkerSet name must be a DNS-1035 label")
	} else {
		runtimes.CheckName(&ps, cfg.Name, MaxNameLength, "the API Service \"<name>-api\" must be a 63-character DNS-1035 label")
	}
	runtimes.ValidateWorkload(&ps, cfg, workloadSupport)
	if strings.TrimSpace(cfg.Model) == "" {
		ps.Add("model", "must be set to a Hugging Face model id such as \"Qwen/Qwen3-0.6B\"")
	}
	runtimes.CheckEngine(&ps, r.DisplayName(), cfg.Engine, runtimes.EngineVLLM)
	switch cfg.Mode {
	case runtimes.ModeAggregated:
	case runtimes.ModeDisaggregated:
		ps.Add("mode", "the vllm runtime serves aggregated only: set mode = \"aggregated\", or use runtime \"dynamo\" or \"kuberay\" for prefill/decode disaggregation")
	default:
		ps.Add("mode", "unknown mode %q: the vllm runtime supports \"aggregated\"", cfg.Mode)
	}
	if cfg.Disaggregated != nil {
		ps.Add("disaggregated", "the vllm runtime serves aggregated only: remove the block")
	}
	if cfg.RouterMode != runtimes.RouterNone {
		ps.Add("router_mode", "the vllm runtime has no router: set router_mode = \"none\" (router modes are a Dynamo feature)")
	}
	basics.RefuseOtherBlocks(&ps, cfg, "kuberay", "kaito")
	if cfg.Replicas == nil {
		ps.Add("replicas", "must be set")
	}
	if cfg.GPUs == nil {
		ps.Add("gpus", "must be set")
	}
	runtimes.CheckAtLeast(&ps, "gpus", cfg.GPUs, 1)
	v := cfg.VLLM
	if v == nil {
		ps.Add("vllm", "missing: call Defaults before Validate")
		return ps
	}
	runtimes.CheckRange(&ps, "vllm.nodes", v.Nodes, 1, MaxNodes)
	runtimes.CheckAtLeast(&ps, "vllm.tensor_parallel", v.TensorParallel, 1)
	runtimes.CheckAtLeast(&ps, "vllm.pipeline_parallel", v.PipelineParallel, 1)
	runtimes.CheckQuantity(&ps, "vllm.shared_memory", v.SharedMemory)
	checkParallelism(&ps, cfg)
	runtimes.CheckEngineArgs(&ps, cfg.EngineArgs, managedFlags)
	checkEngineArgKinds(&ps, cfg.EngineArgs)
	return ps
}

// checkEngineArgKinds refuses a switch given a value and "true" on a flag that takes one,
// read from vLLM main of the weeks before 0.19.0 (engineflags.EnginePins: no source pins
// the v0.19.0 the image runs exactly).
func checkEngineArgKinds(ps *runtimes.Problems, args map[string]string) {
	engineflags.VLLMNearest(engineflags.VLLMRuntimeTable, "vLLM 0.19.0", true).CheckArgs(args,
		func(k string) bool { return ps.HasKey("engine_args", k) },
		func(k, msg string) { ps.AddKey("engine_args", k, "%s", msg) })
}

// checkParallelism: vLLM runs tensor_parallel x pipeline_parallel workers, one per GPU, and
// the replica holds gpus x nodes GPUs. Fewer GPUs fail at start (the Ray executor: "The
// number of required GPUs exceeds the total number of available GPUs"; without Ray, CUDA
// device errors); more leave GPUs idle that no other pod can use.
func checkParallelism(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	v := cfg.VLLM
	if ps.Has("gpus") || ps.Has("vllm.nodes") || ps.Has("vllm.tensor_parallel") || ps.Has("vllm.pipeline_parallel") ||
		cfg.GPUs == nil || v.Nodes == nil || v.TensorParallel == nil || v.PipelineParallel == nil {
		return
	}
	world := *v.TensorParallel * *v.PipelineParallel
	have := *cfg.GPUs * *v.Nodes
	if world != have {
		ps.Add("vllm.tensor_parallel", "tensor_parallel (%d) x pipeline_parallel (%d) = %d engine workers, one per GPU, but a replica has gpus (%d) x vllm.nodes (%d) = %d GPUs: make them equal (e.g. leave tensor_parallel unset to use every GPU)",
			*v.TensorParallel, *v.PipelineParallel, world, *cfg.GPUs, *v.Nodes, have)
	}
}
