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

// release is what differs between the Dynamo releases the two renderers target.
type release struct {
	apiVersion string
	version    string // runtime image tag
	// vllmDisaggregationMode: Dynamo >= 1.x replaced vLLM's --is-prefill-worker with
	// --disaggregation-mode prefill|decode and requires --kv-transfer-config on both roles
	// (landscape notes §2 "Removed/deprecated"; ai-dynamo/dynamo #12089, HEAD
	// components/src/dynamo/vllm/args.py:230-246; upstream examples/backends/vllm/deploy/disagg.yaml).
	vllmDisaggregationMode bool
}

var (
	releaseV1Beta1  = release{apiVersion: APIVersionV1Beta1, version: Version, vllmDisaggregationMode: true}
	releaseV1Alpha1 = release{apiVersion: APIVersionV1Alpha1, version: PreviousVersion}
)

// Flag values rendered for the operator/engine rules below (cited where used).
const (
	// vllmKVTransferConfig is upstream's own value for both roles (NixlConnector, kv_both).
	vllmKVTransferConfig = `{"kv_connector":"NixlConnector","kv_role":"kv_both"}`
	// D3: TensorRT-LLM disables KV-cache transfer unless cache_transceiver_config is set, and
	// the overlap scheduler is "not currently supported in prefill only workers"
	// (ai-dynamo/dynamo recipes/qwen3/trtllm/{prefill,decode}.yaml and
	// examples/backends/trtllm/deploy/disagg.yaml @ e20adb44; PR #13015 docs table). The flag
	// --override-engine-args exists in dynamo.trtllm since 0.7 (utils/trtllm_utils.py) and is
	// still used by upstream's launch scripts and profiler (operator-behaviour.md D3; no engine
	// Python is in the 1.4 operator archive, so the 1.4 parser itself was not read here).
	trtllmPrefillOverride = `{"cache_transceiver_config":{"backend":"DEFAULT"},"disable_overlap_scheduler":true}`
	trtllmDecodeOverride  = `{"cache_transceiver_config":{"backend":"DEFAULT"}}`
	// D11: with router_mode = "kv" SGLang workers publish KV events only with
	// --kv-events-config (components/src/dynamo/sglang/publisher.py:118-122 @ e20adb44; Dynamo
	// router guide: "SGLang: Pass --kv-events-config with a JSON config to enable").
	sglangKVEventsConfig = `{"publisher":"zmq","topic":"kv-events","endpoint":"tcp://*:5557"}`
)

// roleFlags are the flags a worker's role and the router mode imply. They are derived, not
// user settings: Parse drops exactly these tokens again.
func roleFlags(cfg runtimes.DeploymentConfig, role string, rel release) []string {
	var out []string
	switch {
	case role == "":
	case cfg.Engine == runtimes.EngineVLLM && rel.vllmDisaggregationMode:
		out = append(out, "--disaggregation-mode", role, "--kv-transfer-config", vllmKVTransferConfig)
	case cfg.Engine == runtimes.EngineVLLM:
		if role == rolePrefill { // Dynamo 0.7: only the prefill worker is marked
			out = append(out, "--is-prefill-worker")
		}
	case cfg.Engine == runtimes.EngineSGLang:
		// D2: SGLang >= 0.5.3 binds the prefill bootstrap server to --host (default
		// 127.0.0.1) while Dynamo advertises the pod IP to the decode worker, so both roles
		// need --host 0.0.0.0 (sgl-project/sglang #9931; ai-dynamo/dynamo #3666, #5309,
		// examples/backends/sglang/deploy/disagg.yaml).
		out = append(out, "--disaggregation-mode", role, "--disaggregation-transfer-backend", "nixl", "--host", "0.0.0.0")
	case cfg.Engine == runtimes.EngineTRTLLM:
		override := trtllmDecodeOverride
		if role == rolePrefill {
			override = trtllmPrefillOverride
		}
		out = append(out, "--disaggregation-mode", role, "--override-engine-args", override)
	}
	if cfg.RouterMode == runtimes.RouterKV {
		switch cfg.Engine {
		case runtimes.EngineSGLang:
			out = append(out, "--kv-events-config", sglangKVEventsConfig)
		case runtimes.EngineTRTLLM:
			// D11: TRT-LLM publishes KV events only with --publish-events-and-metrics
			// (examples/backends/trtllm/deploy/agg_router.yaml). vLLM publishes by default.
			out = append(out, "--publish-events-and-metrics")
		}
	}
	return out
}

// workerArgs is the exec-form argument list after "python3": every value is its own argv
// element, so nothing in a model id or engine arg can reach a shell. (KubeFoundry's UI reads
// the model with /--model\s+(\S+)/ from args[0] of a shell-form container; we keep exec form
// on purpose, see docs/guides/dynamo.md "KubeFoundry UI".)
func workerArgs(cfg runtimes.DeploymentConfig, role string, gpus int64, rel release) []string {
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
	args = append(args, roleFlags(cfg, role, rel)...)
	return append(args, runtimes.EngineArgFlags(cfg.EngineArgs)...)
}

// reservedArgs maps flags rendered from dedicated attributes (or derived from the mode and
// router) to those attributes, so engine_args cannot contradict them.
func reservedArgs(cfg runtimes.DeploymentConfig) map[string]string {
	f := flagsByEngine[cfg.Engine]
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
	if cfg.Mode == runtimes.ModeDisaggregated {
		for _, flag := range []string{"kv-transfer-config", "disaggregation-transfer-backend", "host", "override-engine-args"} {
			out[flag] = "mode"
		}
	}
	if cfg.RouterMode == runtimes.RouterKV {
		out["kv-events-config"] = "router_mode"
		out["publish-events-and-metrics"] = "router_mode"
	}
	return out
}
