package runtimes

import "github.com/kubefoundry/terraform-provider-kubefoundry/internal/autoscaling"

// Engine is the inference engine that serves the model.
type Engine string

const (
	EngineVLLM     Engine = "vllm"
	EngineSGLang   Engine = "sglang"
	EngineTRTLLM   Engine = "trtllm"
	EngineLlamaCpp Engine = "llamacpp"
)

// Engines lists every engine known to any runtime.
var Engines = []Engine{EngineVLLM, EngineSGLang, EngineTRTLLM, EngineLlamaCpp}

// Mode is aggregated (one worker type) or disaggregated (separate prefill and decode workers).
type Mode string

const (
	ModeAggregated    Mode = "aggregated"
	ModeDisaggregated Mode = "disaggregated"
)

// RouterMode selects how the Dynamo frontend routes requests to workers.
type RouterMode string

const (
	RouterNone       RouterMode = "none"
	RouterKV         RouterMode = "kv"
	RouterRoundRobin RouterMode = "round-robin"
)

// DeploymentConfig is the runtime-independent description of one model deployment.
// Pointer fields distinguish "unset" (nil, filled by Runtime.Defaults) from an explicit value,
// so that e.g. an explicit replicas = 0 is reported instead of silently defaulted.
type DeploymentConfig struct {
	Name      string
	Namespace string
	Runtime   string // runtime ID: dynamo, kuberay, kaito
	// Model is the Hugging Face model ID (e.g. "Qwen/Qwen3-0.6B"). For KAITO premade models it
	// is the catalogue ID ("kaito/llama3.2-1b").
	Model           string
	Engine          Engine
	Mode            Mode
	ServedModelName string
	RouterMode      RouterMode
	Replicas        *int64
	GPUs            *int64 // per worker
	Memory          string // per worker, Kubernetes quantity
	ContextLength   *int64
	EnforceEager    *bool
	// EnablePrefixCaching: nil takes the runtime's default (Runtime.Defaults), which is what
	// that runtime's engine does when no flag is given.
	EnablePrefixCaching *bool
	// TrustRemoteCode defaults to false, so a plain bool suffices.
	TrustRemoteCode bool
	// EngineArgs are extra engine flags: key without leading dashes; "true" renders a bare
	// flag, anything else renders "--key value" (each runtime checks keys and values against
	// its engines' flag tables).
	EngineArgs    map[string]string
	Disaggregated *DisaggregatedConfig
	// HFTokenSecret names a Secret with key HF_TOKEN. Empty means a public model: no secret
	// reference is rendered at all (a missing secret would block pod start).
	HFTokenSecret string
	KubeRay       *KubeRayConfig
	KAITO         *KaitoConfig
	// Workload holds pod, metadata, model cache, Hub mirror and overrides settings
	// (workload.go); nil renders none of them.
	Workload *Workload
	Dynamo   *DynamoConfig
	// Gateway adds an HTTPRoute (and an InferencePool with its endpoint picker) in front of
	// the deployment (gateway.go); nil renders none of it.
	Gateway *Gateway
	// Autoscaling scales the worker pools with load (internal/autoscaling); nil renders
	// fixed replicas, exactly as before.
	Autoscaling *autoscaling.Spec
	VLLM        *VLLMConfig
	// KServe holds the LLMInferenceService-only settings (runtime "kserve").
	KServe *KServeConfig
}

// VLLMConfig holds the settings of the plain vLLM runtime (vllm serve in a Deployment, or
// a LeaderWorkerSet of Ray nodes when one replica spans several pods).
type VLLMConfig struct {
	TensorParallel   *int64
	PipelineParallel *int64
	// Nodes is the number of pods (hosts) one replica spans, each with GPUs GPUs; more than
	// one renders a LeaderWorkerSet.
	Nodes *int64
	// SharedMemory is the size of the in-memory /dev/shm volume (NCCL, the engine's IPC).
	SharedMemory string
}

// KServeConfig holds the settings of a KServe LLMInferenceService (serving.kserve.io).
type KServeConfig struct {
	// APIVersion is "v1alpha2" (KServe >= 0.19, the default) or "v1alpha1".
	APIVersion string
	// Parallelism of each workload (spec.parallelism): tensor and pipeline on one node;
	// data and data_local (ranks per pod) across pods, which renders spec.worker.
	TensorParallel    *int64
	PipelineParallel  *int64
	DataParallel      *int64
	DataLocalParallel *int64
	ExpertParallel    *bool
	// Scheduler renders router.scheduler (the llm-d endpoint picker and an InferencePool);
	// nil: on when the gateway block routes through a pool.
	Scheduler *bool
}

// DynamoConfig holds the DynamoGraphDeployment-only settings.
type DynamoConfig struct {
	// APIVersion is the nvidia.com API version rendered: "v1beta1" (Dynamo >= 1.2, the
	// default) or "v1alpha1" (Dynamo 0.x clusters, which serve nothing newer).
	APIVersion string
}

// DisaggregatedConfig sizes the prefill and decode worker pools.
type DisaggregatedConfig struct {
	PrefillReplicas *int64
	PrefillGPUs     *int64
	DecodeReplicas  *int64
	DecodeGPUs      *int64
}

// KubeRayConfig holds the RayService-only settings.
type KubeRayConfig struct {
	Image                string
	HeadCPU              string
	HeadMemory           string
	WorkerCPU            string
	WorkerMemory         string
	TensorParallel       *int64
	PipelineParallel     *int64
	GPUMemoryUtilization *float64
	MaxNumSeqs           *int64
	MinReplicas          *int64
	MaxReplicas          *int64
	EnableChunkedPrefill *bool
	KVConnector          string // NixlConnector (SimpleConnector is rejected: gone from vLLM >= 0.11)
	AcceleratorType      string // Ray accelerator type, e.g. "A10G"; empty = any
}

// KAITO model sources.
const (
	KaitoSourcePremade     = "premade"
	KaitoSourceHuggingFace = "huggingface"
	KaitoSourceVLLM        = "vllm"
)

// KAITO GGUF run modes and compute types.
const (
	KaitoRunDirect = "direct"
	KaitoRunBuild  = "build"
	ComputeCPU     = "cpu"
	ComputeGPU     = "gpu"
)

// KaitoConfig holds the Workspace-only settings.
type KaitoConfig struct {
	ModelSource  string // premade | huggingface | vllm
	PremadeModel string // catalogue id, e.g. "llama3.2:1b"
	GGUFFile     string // huggingface source: file inside the model repository
	RunMode      string // huggingface source: direct | build
	ImageRef     string // build mode (or an override for premade): image to run
	ComputeType  string // cpu | gpu
	// LabelSelector selects the nodes; empty means a default derived from ComputeType.
	LabelSelector map[string]string
	CPU           string
	// InferenceSet renders a KAITO InferenceSet (replicas as Workspaces it creates, with a
	// scale subresource for autoscaling) instead of one Workspace. Defaults to false.
	InferenceSet *bool
}

// Int64 returns a pointer to v.
func Int64(v int64) *int64 { return &v }

// Bool returns a pointer to v.
func Bool(v bool) *bool { return &v }

// Float64 returns a pointer to v.
func Float64(v float64) *float64 { return &v }

// Deref returns *p, or zero when p is nil.
func Deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// SetDefault sets *p to v when it is nil.
func SetDefault[T any](p **T, v T) {
	if *p == nil {
		*p = &v
	}
}

// EffectiveServedModelName is the name clients use in API requests.
func (c DeploymentConfig) EffectiveServedModelName() string {
	if c.ServedModelName != "" {
		return c.ServedModelName
	}
	return c.Model
}
