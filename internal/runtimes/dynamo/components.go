package dynamo

import "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"

const (
	frontendKey   = "Frontend"
	routerModeEnv = "DYN_ROUTER_MODE"
	rolePrefill   = "prefill"
	roleDecode    = "decode"
)

// Runtime image repositories; the tag is the release a renderer targets. Checked against
// the landscape notes §2 (vllm-runtime, sglang-runtime, tensorrtllm-runtime at 1.4.0).
var images = map[runtimes.Engine]string{
	runtimes.EngineVLLM:   "nvcr.io/nvidia/ai-dynamo/vllm-runtime",
	runtimes.EngineSGLang: "nvcr.io/nvidia/ai-dynamo/sglang-runtime",
	runtimes.EngineTRTLLM: "nvcr.io/nvidia/ai-dynamo/tensorrtllm-runtime",
}

// Worker component names (v1alpha1: service keys) KubeFoundry's UI recognises
// (VllmWorker, SglangPrefillWorker, ...). Both renderers use the same names, so the
// operator's v1alpha1<->v1beta1 conversion maps one onto the other.
var keyPrefixes = map[runtimes.Engine]string{
	runtimes.EngineVLLM:   "Vllm",
	runtimes.EngineSGLang: "Sglang",
	runtimes.EngineTRTLLM: "Trtllm",
}

// Image returns the pinned runtime image of the default (v1beta1, Dynamo 1.4) renderer.
func Image(e runtimes.Engine) string { return imageFor(e, releaseV1Beta1) }

func imageFor(e runtimes.Engine, rel release) string { return images[e] + ":" + rel.version }

func workerKey(e runtimes.Engine, role string) string {
	switch role {
	case rolePrefill:
		return keyPrefixes[e] + "PrefillWorker"
	case roleDecode:
		return keyPrefixes[e] + "DecodeWorker"
	}
	return keyPrefixes[e] + "Worker"
}

func workingDir(e runtimes.Engine) string { return "/workspace/examples/backends/" + string(e) }

// worker is one worker pool of a config: its role ("" when aggregated), replicas and GPUs.
type workerPool struct {
	role     string
	replicas int64
	gpus     int64
}

// workerPools lists the pools a config renders, in rendering order.
func workerPools(cfg runtimes.DeploymentConfig) []workerPool {
	if cfg.Mode == runtimes.ModeDisaggregated {
		d := cfg.Disaggregated
		return []workerPool{
			{rolePrefill, *d.PrefillReplicas, *d.PrefillGPUs},
			{roleDecode, *d.DecodeReplicas, *d.DecodeGPUs},
		}
	}
	return []workerPool{{"", *cfg.Replicas, *cfg.GPUs}}
}
