package dynamo

import (
	"fmt"
	"strings"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// engineFlags names each engine's CLI flags for one Dynamo release. An empty name (or
// token run) means the engine has no such option; Validate rejects the setting instead of
// passing a flag the engine would refuse. Multi-token runs (prefixCachingOff, trustRemote)
// are rendered and read back as a whole.
type engineFlags struct {
	module           string // python module run by the worker
	model            string
	servedName       string
	contextLength    string
	tensorParallel   string
	enforceEager     string
	prefixCachingOn  []string // what enable_prefix_caching = true renders (nil: the engine's default)
	prefixCachingOff []string // what enable_prefix_caching = false renders
	trustRemote      []string
	kvEvents         []string // what router_mode = "kv" needs on every worker
}

// flagsFor returns the flags of engine e in the Dynamo release rel. Sources (Dynamo 1.4.0 =
// wxsms/dynamo e147ceea, components/src/dynamo/<engine>/):
//   - vLLM: vllm/args.py update_engine_config_with_dynamo turns prefix caching on when
//     neither --enable-prefix-caching nor --no-enable-prefix-caching is given, so false
//     must be rendered; create_kv_events_config publishes KV events only when the user
//     passes --kv-events-config with enable_kv_cache_events true (the automatic config was
//     removed in #7591, 2026-03; Dynamo 0.7.1 still created it, so v1alpha1 renders none).
//   - SGLang: the radix cache (prefix caching) is on unless --disable-radix-cache, the
//     spelling 1.4's own launch scripts pass to SGLang 0.5.16
//     (examples/backends/sglang/launch/multimodal_disagg.sh; SGLang's parser itself was
//     not reachable here); KV events need --kv-events-config (sglang/publisher.py).
//   - TensorRT-LLM: trtllm/backend_args.py takes --model (--model-path is its obsolete
//     alias) and --publish-kv-events (--publish-events-and-metrics is a deprecated alias,
//     removed after 1.4); LLM arguments such as trust_remote_code and
//     kv_cache_config.enable_block_reuse (TRT-LLM's default: true) go through the dynamic
//     --trtllm.<path> <value> flags (trtllm/dynamic_flags.py, added in #7335, 2026-03, so
//     not in 0.7.1).
func flagsFor(e runtimes.Engine, rel release) engineFlags {
	switch e {
	case runtimes.EngineVLLM:
		f := engineFlags{
			module: "dynamo.vllm", model: "--model", servedName: "--served-model-name",
			contextLength: "--max-model-len", tensorParallel: "--tensor-parallel-size", enforceEager: "--enforce-eager",
			prefixCachingOn: []string{"--enable-prefix-caching"}, prefixCachingOff: []string{"--no-enable-prefix-caching"},
			trustRemote: []string{"--trust-remote-code"},
		}
		if rel.modernFlags {
			f.kvEvents = []string{"--kv-events-config", vllmKVEventsConfig}
		}
		return f
	case runtimes.EngineSGLang:
		return engineFlags{
			module: "dynamo.sglang", model: "--model-path", servedName: "--served-model-name",
			contextLength: "--context-length", tensorParallel: "--tp",
			prefixCachingOff: []string{"--disable-radix-cache"}, trustRemote: []string{"--trust-remote-code"},
			kvEvents: []string{"--kv-events-config", sglangKVEventsConfig},
		}
	case runtimes.EngineTRTLLM:
		f := engineFlags{
			module: "dynamo.trtllm", model: "--model-path", servedName: "--served-model-name",
			contextLength: "--max-seq-len", tensorParallel: "--tensor-parallel-size",
			kvEvents: []string{"--publish-events-and-metrics"},
		}
		if rel.modernFlags {
			f.model = "--model"
			f.kvEvents = []string{"--publish-kv-events"}
			f.prefixCachingOff = []string{"--" + trtllmDynamicPrefix + "kv_cache_config.enable_block_reuse", "false"}
			f.trustRemote = []string{"--" + trtllmDynamicPrefix + "trust_remote_code", "true"}
		}
		return f
	}
	return engineFlags{}
}

// trtllmDynamicPrefix starts the engine_args keys dynamo.trtllm >= 1.4 turns into LLM
// arguments (--trtllm.a.b value sets {"a": {"b": value}}; trtllm/dynamic_flags.py).
const trtllmDynamicPrefix = "trtllm."

// release is what differs between the Dynamo releases the two renderers target.
type release struct {
	apiVersion string
	version    string // runtime image tag
	// modernFlags: Dynamo >= 1.x replaced vLLM's --is-prefill-worker with
	// --disaggregation-mode prefill|decode and requires --kv-transfer-config on both roles
	// (landscape notes §2 "Removed/deprecated"; ai-dynamo/dynamo #12089, HEAD
	// components/src/dynamo/vllm/args.py:230-246; upstream examples/backends/vllm/deploy/disagg.yaml),
	// and the engine flags of flagsFor changed (1.4 spellings).
	modernFlags bool
}

var (
	releaseV1Beta1  = release{apiVersion: APIVersionV1Beta1, version: Version, modernFlags: true}
	releaseV1Alpha1 = release{apiVersion: APIVersionV1Alpha1, version: PreviousVersion}
)

// releaseFor is the release a (defaulted) config renders for.
func releaseFor(cfg runtimes.DeploymentConfig) release {
	if apiVersion(cfg) == APIVersionV1Alpha1 {
		return releaseV1Alpha1
	}
	return releaseV1Beta1
}

// Flag values rendered for the operator/engine rules below (cited where used).
const (
	// vllmKVTransferConfig is upstream's own value for both roles (NixlConnector, kv_both).
	vllmKVTransferConfig = `{"kv_connector":"NixlConnector","kv_role":"kv_both"}`
	// D3: TensorRT-LLM disables KV-cache transfer unless cache_transceiver_config is set, and
	// the overlap scheduler is "not currently supported in prefill only workers"
	// (examples/backends/trtllm/engine_configs/qwen3/{prefill,decode}.yaml @ e147ceea). Dynamo
	// 0.7.1 takes them as --override-engine-args JSON; 1.4 as --trtllm.* dynamic flags, the
	// one mechanism that also carries the user's trtllm.* engine_args (the two are mutually
	// exclusive: trtllm/args.py parse_args @ e147ceea).
	trtllmPrefillOverride = `{"cache_transceiver_config":{"backend":"DEFAULT"},"disable_overlap_scheduler":true}`
	trtllmDecodeOverride  = `{"cache_transceiver_config":{"backend":"DEFAULT"}}`
	// D11: with router_mode = "kv" SGLang workers publish KV events only with
	// --kv-events-config (components/src/dynamo/sglang/publisher.py:118-122 @ e20adb44; Dynamo
	// router guide: "SGLang: Pass --kv-events-config with a JSON config to enable").
	sglangKVEventsConfig = `{"publisher":"zmq","topic":"kv-events","endpoint":"tcp://*:5557"}`
	// vLLM publishes KV events only with enable_kv_cache_events true (vLLM's KVEventsConfig
	// default is false; dynamo vllm/args.py create_kv_events_config @ e147ceea). Value of
	// upstream's examples/backends/vllm/deploy/{agg,disagg}_router.yaml @ e147ceea.
	vllmKVEventsConfig = `{"publisher":"zmq","topic":"kv-events","endpoint":"tcp://*:20080","enable_kv_cache_events":true}`
)

// trtllmRoleSettings are the LLM arguments a disaggregated TRT-LLM worker needs, as
// dynamic-flag paths (1.4) in rendering order.
func trtllmRoleSettings(role string) [][2]string {
	out := [][2]string{{"cache_transceiver_config.backend", "DEFAULT"}}
	if role == rolePrefill {
		out = append(out, [2]string{"disable_overlap_scheduler", "true"})
	}
	return out
}

// roleFlags are the flags a worker's role and the router mode imply. They are derived, not
// user settings: Parse drops exactly these tokens again.
func roleFlags(cfg runtimes.DeploymentConfig, role string, rel release) []string {
	var out []string
	switch {
	case role == "":
	case cfg.Engine == runtimes.EngineVLLM && rel.modernFlags:
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
	case cfg.Engine == runtimes.EngineTRTLLM && rel.modernFlags:
		out = append(out, "--disaggregation-mode", role)
		for _, kv := range trtllmRoleSettings(role) {
			out = append(out, "--"+trtllmDynamicPrefix+kv[0], kv[1])
		}
	case cfg.Engine == runtimes.EngineTRTLLM:
		override := trtllmDecodeOverride
		if role == rolePrefill {
			override = trtllmPrefillOverride
		}
		out = append(out, "--disaggregation-mode", role, "--override-engine-args", override)
	}
	if cfg.RouterMode == runtimes.RouterKV {
		out = append(out, flagsFor(cfg.Engine, rel).kvEvents...)
	}
	return out
}

// workerArgs is the exec-form argument list after "python3": every value is its own argv
// element, so nothing in a model id or engine arg can reach a shell. (KubeFoundry's UI reads
// the model with /--model\s+(\S+)/ from args[0] of a shell-form container; we keep exec form
// on purpose, see docs/guides/dynamo.md "KubeFoundry UI".)
func workerArgs(cfg runtimes.DeploymentConfig, role string, gpus int64, rel release) []string {
	f := flagsFor(cfg.Engine, rel)
	args := []string{"-m", f.module, f.model, cfg.Model}
	if cfg.ServedModelName != "" {
		args = append(args, f.servedName, cfg.ServedModelName)
	}
	if runtimes.Deref(cfg.EnforceEager) && f.enforceEager != "" {
		args = append(args, f.enforceEager)
	}
	if cfg.EnablePrefixCaching != nil {
		if *cfg.EnablePrefixCaching {
			args = append(args, f.prefixCachingOn...)
		} else {
			args = append(args, f.prefixCachingOff...)
		}
	}
	if cfg.TrustRemoteCode {
		args = append(args, f.trustRemote...)
	}
	if cfg.ContextLength != nil {
		args = append(args, f.contextLength, fmt.Sprint(*cfg.ContextLength))
	}
	// A worker with several GPUs only uses them when the engine shards the model across them.
	if gpus > 1 {
		args = append(args, f.tensorParallel, fmt.Sprint(gpus))
	}
	args = append(args, roleFlags(cfg, role, rel)...)
	return append(args, engineArgFlags(cfg)...)
}

// engineArgFlags renders engine_args. TRT-LLM's dynamic --trtllm.* flags always take a
// value (dynamic_flags.py exits "requires a value" otherwise), so "true" is passed as one.
func engineArgFlags(cfg runtimes.DeploymentConfig) []string {
	var out []string
	for _, k := range runtimes.SortedKeys(cfg.EngineArgs) {
		v := cfg.EngineArgs[k]
		if v == "true" && !isTRTLLMDynamic(cfg, k) {
			out = append(out, "--"+k)
			continue
		}
		out = append(out, "--"+k, v)
	}
	return out
}

func isTRTLLMDynamic(cfg runtimes.DeploymentConfig, key string) bool {
	return cfg.Engine == runtimes.EngineTRTLLM && strings.HasPrefix(key, trtllmDynamicPrefix)
}

// reservedArgs maps flags rendered from dedicated attributes (or derived from the mode and
// router) to those attributes, so engine_args cannot contradict them. Keys are as written in
// engine_args (no dashes).
func reservedArgs(cfg runtimes.DeploymentConfig) map[string]string {
	rel := releaseFor(cfg)
	f := flagsFor(cfg.Engine, rel)
	out := map[string]string{}
	add := func(attr string, flags ...string) {
		for _, flag := range flags {
			if strings.HasPrefix(flag, "--") {
				out[flag[2:]] = attr
				if strings.HasPrefix(flag, "--no-") {
					out[flag[5:]] = attr
				} else {
					out["no-"+flag[2:]] = attr
				}
			}
		}
	}
	add("model", f.model)
	add("served_model_name", f.servedName)
	add("context_length", f.contextLength)
	add("gpus (tensor parallelism follows the GPU count)", f.tensorParallel)
	add("enforce_eager", f.enforceEager)
	add("enable_prefix_caching", f.prefixCachingOn...)
	add("enable_prefix_caching", f.prefixCachingOff...)
	add("trust_remote_code", f.trustRemote...)
	switch cfg.Engine {
	case runtimes.EngineVLLM:
		add("model", "--model", "--model-path") // no second spelling of the model
	case runtimes.EngineSGLang:
		add("model", "--model") // sglang's alias of --model-path (server_args.py)
		// --tp is what upstream's examples pass (an abbreviation of --tp-size, SGLang's
		// alias of --tensor-parallel-size): every spelling follows the GPU count.
		add("gpus (tensor parallelism follows the GPU count)", "--tensor-parallel-size", "--tp-size")
		add("enable_prefix_caching", "--disable-radix-cache")
	case runtimes.EngineTRTLLM:
		add("model", "--model", "--model-path")
		if rel.modernFlags {
			// One mechanism for LLM arguments: the override flag and the --trtllm.* flags
			// are mutually exclusive in 1.4 (trtllm/args.py).
			out["override-engine-args"] = "trtllm.<path> engine_args entries (e.g. \"trtllm.kv_cache_config.free_gpu_memory_fraction\" = \"0.8\")"
			add("context_length", "--trtllm.max_seq_len")
			add("gpus (tensor parallelism follows the GPU count)", "--trtllm.tensor_parallel_size")
			add("model", "--trtllm.model")
			add("enable_prefix_caching", "--trtllm.kv_cache_config.enable_block_reuse")
			add("trust_remote_code", "--trtllm.trust_remote_code")
		}
	}
	out["is-prefill-worker"] = "mode"
	out["disaggregation-mode"] = "mode"
	if cfg.Mode == runtimes.ModeDisaggregated {
		for _, flag := range []string{"kv-transfer-config", "disaggregation-transfer-backend", "host", "override-engine-args"} {
			if out[flag] == "" {
				out[flag] = "mode"
			}
		}
		if cfg.Engine == runtimes.EngineTRTLLM && rel.modernFlags {
			for _, kv := range trtllmRoleSettings(rolePrefill) {
				out[trtllmDynamicPrefix+kv[0]] = "mode"
			}
		}
	}
	// The KV-event flags of every spelling are the router's, whether or not it is on: they
	// would publish to no router, or the router would miss the events.
	for _, flag := range []string{"kv-events-config", "publish-kv-events", "publish-events-and-metrics"} {
		out[flag] = "router_mode"
		out["no-"+flag] = "router_mode"
	}
	return out
}
