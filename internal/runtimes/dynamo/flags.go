package dynamo

import (
	"fmt"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// engineFlags names each engine's CLI flags. An empty name means the engine has no such
// option; Validate rejects the setting instead of passing a flag the engine would refuse.
type engineFlags struct {
	module         string // python module run by the worker
	model          string
	servedName     string
	contextLength  string
	tensorParallel string
	enforceEager   string
	prefixCaching  string
	trustRemote    string
}

var flagsByEngine = map[runtimes.Engine]engineFlags{
	runtimes.EngineVLLM: {
		module: "dynamo.vllm", model: "--model", servedName: "--served-model-name",
		contextLength: "--max-model-len", tensorParallel: "--tensor-parallel-size",
		enforceEager: "--enforce-eager", prefixCaching: "--enable-prefix-caching", trustRemote: "--trust-remote-code",
	},
	runtimes.EngineSGLang: {
		module: "dynamo.sglang", model: "--model-path", servedName: "--served-model-name",
		contextLength: "--context-length", tensorParallel: "--tp", trustRemote: "--trust-remote-code",
	},
	runtimes.EngineTRTLLM: {
		module: "dynamo.trtllm", model: "--model-path", servedName: "--served-model-name",
		contextLength: "--max-seq-len", tensorParallel: "--tensor-parallel-size",
	},
}

// disaggregationFlags are the per-role flags of each engine at the pinned Dynamo version:
// vLLM marks only the prefill worker; SGLang and TensorRT-LLM name the role explicitly.
func disaggregationFlags(e runtimes.Engine, role string) []string {
	switch {
	case role == "":
		return nil
	case e == runtimes.EngineVLLM:
		if role == rolePrefill {
			return []string{"--is-prefill-worker"}
		}
		return nil
	case e == runtimes.EngineSGLang:
		return []string{"--disaggregation-mode", role, "--disaggregation-transfer-backend", "nixl"}
	default:
		return []string{"--disaggregation-mode", role}
	}
}

// workerArgs is the exec-form argument list after "python3": every value is its own argv
// element, so nothing in a model id or engine arg can reach a shell.
func workerArgs(cfg runtimes.DeploymentConfig, role string, gpus int64) []string {
	f := flagsByEngine[cfg.Engine]
	args := []string{"-m", f.module, f.model, cfg.Model}
	if cfg.ServedModelName != "" {
		args = append(args, f.servedName, cfg.ServedModelName)
	}
	if runtimes.Deref(cfg.EnforceEager) && f.enforceEager != "" {
		args = append(args, f.enforceEager)
	}
	if cfg.EnablePrefixCaching && f.prefixCaching != "" {
		args = append(args, f.prefixCaching)
	}
	if cfg.TrustRemoteCode && f.trustRemote != "" {
		args = append(args, f.trustRemote)
	}
	if cfg.ContextLength != nil {
		args = append(args, f.contextLength, fmt.Sprint(*cfg.ContextLength))
	}
	// A worker with several GPUs only uses them when the engine shards the model across them.
	if gpus > 1 {
		args = append(args, f.tensorParallel, fmt.Sprint(gpus))
	}
	args = append(args, disaggregationFlags(cfg.Engine, role)...)
	return append(args, runtimes.EngineArgFlags(cfg.EngineArgs)...)
}

// reservedArgs maps flags rendered from dedicated attributes to those attributes, so
// engine_args cannot contradict them.
func reservedArgs(e runtimes.Engine) map[string]string {
	f := flagsByEngine[e]
	out := map[string]string{}
	add := func(flag, attr string) {
		if flag != "" {
			out[flag[2:]] = attr
		}
	}
	add(f.model, "model")
	add(f.servedName, "served_model_name")
	add(f.contextLength, "context_length")
	add(f.tensorParallel, "gpus (tensor parallelism follows the GPU count)")
	add(f.enforceEager, "enforce_eager")
	add(f.prefixCaching, "enable_prefix_caching")
	add(f.trustRemote, "trust_remote_code")
	out["is-prefill-worker"] = "mode"
	out["disaggregation-mode"] = "mode"
	return out
}
