package kuberay

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/autoscaling"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/engineflags"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/basics"
)

// engine_args become vLLM engine_kwargs, i.e. Python keyword arguments.
var kwargName = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// Validate checks a defaulted config against what Ray Serve LLM on KubeRay supports.
func (r Runtime) Validate(cfg runtimes.DeploymentConfig) runtimes.Problems {
	ps := runtimes.ValidateCommon(cfg, ID)
	gateway.Validate(&ps, cfg, gatewaySupport)
	runtimes.CheckName(&ps, cfg.Name, MaxNameLength, "KubeRay names the RayCluster \"<name>-<5 random characters>\" and its Serve Service \"<cluster>-serve-svc\", which must be a 63-character DNS-1035 label; longer or digit-leading names are rejected by the operator (event InvalidRayServiceMetadata) and never deploy")
	runtimes.ValidateWorkload(&ps, cfg, workloadSupport)
	if strings.TrimSpace(cfg.Model) == "" {
		ps.Add("model", "must be set to a Hugging Face model id such as \"Qwen/Qwen3-0.6B\"")
	}
	runtimes.CheckEngine(&ps, r.DisplayName(), cfg.Engine, runtimes.EngineVLLM)
	if cfg.RouterMode != runtimes.RouterNone {
		ps.Add("router_mode", "Ray Serve routes requests itself: set router_mode = \"none\" (router modes are a Dynamo feature)")
	}
	basics.RefuseOtherBlocks(&ps, cfg, "kaito")
	if cfg.Memory != "" {
		ps.Add("memory", "not used by KubeRay: set kuberay.worker_memory instead")
	}
	k := cfg.KubeRay
	if k == nil {
		ps.Add("kuberay", "missing: call Defaults before Validate")
		return ps
	}
	switch cfg.Mode {
	case runtimes.ModeAggregated:
		basics.CheckAggregated(&ps, cfg, "worker")
	case runtimes.ModeDisaggregated:
		basics.CheckDisaggregated(&ps, cfg)
	default:
		ps.Add("mode", "unknown mode %q: use \"aggregated\" or \"disaggregated\"", cfg.Mode)
	}
	validateKubeRay(&ps, k)
	validateServeFits(&ps, cfg)
	validateEngineArgs(&ps, cfg.EngineArgs)
	return ps
}

// validateServeFits keeps Ray Serve's autoscaling bounds inside the worker pool: the worker
// groups are fixed at their replicas (in-tree autoscaling is off), so a Serve replica beyond
// the pool's GPUs stays pending forever, and min_replicas beyond it never lets the
// application reach RUNNING. Each replica takes tensor_parallel x pipeline_parallel GPUs.
func validateServeFits(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	k := cfg.KubeRay
	perReplica := runtimes.Deref(k.TensorParallel) * runtimes.Deref(k.PipelineParallel)
	if perReplica < 1 || k.MinReplicas == nil || k.MaxReplicas == nil {
		return
	}
	for _, pool := range workerPools(cfg) {
		fits := pool.gpus / perReplica
		if fits < 1 {
			ps.Add("kuberay.tensor_parallel", "one Serve replica needs %d GPUs (tensor_parallel x pipeline_parallel) but the %s has %d: raise %s or lower the parallelism", perReplica, pool.what, pool.gpus, pool.sizeAttrs)
			return
		}
		if *k.MinReplicas > fits {
			ps.Add("kuberay.min_replicas", "%d Serve replicas x %d GPUs each never fit in the %s (%d GPUs, fixed size), so the application would never be RUNNING: at most %d fit; lower kuberay.min_replicas or raise %s", *k.MinReplicas, perReplica, pool.what, pool.gpus, fits, pool.sizeAttrs)
			return
		}
		if *k.MaxReplicas > fits {
			ps.Add("kuberay.max_replicas", "%d Serve replicas x %d GPUs each exceed the %s (%d GPUs, fixed size): at most %d fit; lower kuberay.max_replicas or raise %s", *k.MaxReplicas, perReplica, pool.what, pool.gpus, fits, pool.sizeAttrs)
			return
		}
	}
}

type workerPool struct {
	what, sizeAttrs string
	gpus            int64
}

// workerPools are the GPU worker groups a Serve replica can land on, with their total GPUs.
func workerPools(cfg runtimes.DeploymentConfig) []workerPool {
	if cfg.Mode == runtimes.ModeDisaggregated {
		d := cfg.Disaggregated
		if d == nil {
			return nil
		}
		return []workerPool{
			{"prefill worker group", "disaggregated.prefill_replicas or disaggregated.prefill_gpus", poolSize(cfg, autoscaling.RolePrefill, d.PrefillReplicas) * runtimes.Deref(d.PrefillGPUs)},
			{"decode worker group", "disaggregated.decode_replicas or disaggregated.decode_gpus", poolSize(cfg, autoscaling.RoleDecode, d.DecodeReplicas) * runtimes.Deref(d.DecodeGPUs)},
		}
	}
	return []workerPool{{"GPU worker group", "replicas or gpus", poolSize(cfg, autoscaling.RoleWorker, cfg.Replicas) * runtimes.Deref(cfg.GPUs)}}
}

// poolSize is the most worker pods a group reaches: its fixed replicas, or the autoscaled
// maximum (the Ray autoscaler grows it up to maxReplicas).
func poolSize(cfg runtimes.DeploymentConfig, role string, replicas *int64) int64 {
	if r := cfg.Autoscaling.For(role); r != nil {
		return r.MaxReplicas
	}
	return runtimes.Deref(replicas)
}

func validateKubeRay(ps *runtimes.Problems, k *runtimes.KubeRayConfig) {
	if strings.TrimSpace(k.Image) == "" {
		ps.Add("kuberay.image", "must be a Ray LLM image such as %q", DefaultImage)
	}
	runtimes.CheckToken(ps, "kuberay.image", k.Image)
	runtimes.CheckToken(ps, "kuberay.accelerator_type", k.AcceleratorType)
	runtimes.CheckQuantity(ps, "kuberay.head_cpu", k.HeadCPU)
	runtimes.CheckQuantity(ps, "kuberay.head_memory", k.HeadMemory)
	runtimes.CheckQuantity(ps, "kuberay.worker_cpu", k.WorkerCPU)
	runtimes.CheckQuantity(ps, "kuberay.worker_memory", k.WorkerMemory)
	runtimes.CheckAtLeast(ps, "kuberay.tensor_parallel", k.TensorParallel, 1)
	runtimes.CheckAtLeast(ps, "kuberay.pipeline_parallel", k.PipelineParallel, 1)
	runtimes.CheckAtLeast(ps, "kuberay.max_num_seqs", k.MaxNumSeqs, 1)
	runtimes.CheckRange(ps, "kuberay.min_replicas", k.MinReplicas, 1, runtimes.MaxReplicas)
	runtimes.CheckRange(ps, "kuberay.max_replicas", k.MaxReplicas, 1, runtimes.MaxReplicas)
	if k.MinReplicas != nil && k.MaxReplicas != nil && *k.MinReplicas > *k.MaxReplicas {
		ps.Add("kuberay.max_replicas", "must be at least kuberay.min_replicas (%d), got %d", *k.MinReplicas, *k.MaxReplicas)
	}
	if u := k.GPUMemoryUtilization; u != nil && (*u < 0.1 || *u > 1.0) {
		ps.Add("kuberay.gpu_memory_utilization", "must be a fraction between 0.1 and 1.0, got %g", *u)
	}
	if k.KVConnector == removedKVConnector {
		ps.Add("kuberay.kv_connector", "%q was a vLLM V0 connector and no longer exists in the vLLM (>= 0.11) inside %s: the Serve application would fail with \"Unsupported connector type\". Remove the attribute or set %q", removedKVConnector, DefaultImage, KVConnectorNixl)
	} else {
		runtimes.CheckOneOf(ps, "kuberay.kv_connector", k.KVConnector, KVConnectorNixl)
	}
}

func validateEngineArgs(ps *runtimes.Problems, args map[string]string) {
	kwargs := engineflags.KubeRayEngineKwargs()
	for _, key := range runtimes.SortedKeys(args) {
		switch {
		case !kwargName.MatchString(key):
			ps.AddKey("engine_args", key, "KubeRay passes engine_args as vLLM engine_kwargs: use the snake_case keyword, e.g. \"max_num_batched_tokens\"")
		case managedKwargs[key] != "":
			ps.AddKey("engine_args", key, "%q is managed by this provider: set %s instead", key, managedKwargs[key])
		case !utf8.ValidString(args[key]):
			ps.AddKey("engine_args", key, "the value must be valid UTF-8 text")
		default:
			checkEngineKwarg(ps, kwargs, key, args[key])
		}
	}
}

// checkEngineKwarg checks one engine_args entry against the AsyncEngineArgs fields of the
// vLLM inside the pinned ray-llm image (engineflags.KubeRayEngineKwargs): Ray Serve builds
// AsyncEngineArgs(**engine_kwargs), so an unknown key stops the Serve application with a
// TypeError, and a value of the wrong type fails when vLLM builds its config.
func checkEngineKwarg(ps *runtimes.Problems, kwargs engineflags.Parser, key, value string) {
	if msg := kwargs.Check(key, value); msg != "" {
		ps.AddKey("engine_args", key, "%s", msg)
		return
	}
	// engine_args values are rendered as YAML scalars (serve.go typedValue): a field that
	// takes a mapping or a list would receive a string, which vLLM does not parse.
	switch f, _ := kwargs.Lookup(key); f.Kind {
	case engineflags.JSON:
		ps.AddKey("engine_args", key, "%s takes a mapping, and engine_args values reach engine_kwargs as strings, which vLLM does not parse: this setting cannot be passed through engine_args", key)
	case engineflags.List:
		ps.AddKey("engine_args", key, "%s takes a list, and engine_args values reach engine_kwargs as strings, which vLLM does not parse: this setting cannot be passed through engine_args", key)
	}
}
