package dynamo

import (
	"regexp"
	"slices"
	"strings"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/engineflags"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/basics"
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
	basics.RefuseOtherBlocks(&ps, cfg, "kuberay", "kaito")
	switch cfg.Mode {
	case runtimes.ModeAggregated:
		basics.CheckAggregated(&ps, cfg, "worker")
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

func validateDisaggregated(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	basics.CheckDisaggregated(ps, cfg)
	if cfg.RouterMode == runtimes.RouterNone {
		ps.Add("router_mode", "disaggregated serving needs a router between prefill and decode workers: use \"round-robin\" or \"kv\"")
	}
}

// validateEngineOptions rejects options the chosen engine has no flag for, instead of
// emitting vLLM flags to SGLang or TensorRT-LLM workers.
func validateEngineOptions(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	if !slices.Contains([]runtimes.Engine{runtimes.EngineVLLM, runtimes.EngineSGLang, runtimes.EngineTRTLLM}, cfg.Engine) {
		return
	}
	rel := releaseFor(cfg)
	f := flagsFor(cfg.Engine, rel)
	if runtimes.Deref(cfg.EnforceEager) && f.enforceEager == "" {
		ps.Add("enforce_eager", "engine %q has no eager-mode flag: set enforce_eager = false (it only applies to vllm)", cfg.Engine)
	}
	prefix := cfg.EnablePrefixCaching
	switch {
	case prefix != nil && !*prefix && f.prefixCachingOff == nil:
		ps.Add("enable_prefix_caching", "engine %q under Dynamo %s cannot turn KV block reuse off from here: remove enable_prefix_caching or use dynamo.api_version = \"v1beta1\"", cfg.Engine, rel.version)
	case prefix != nil && !*prefix && cfg.RouterMode == runtimes.RouterKV:
		// Workers publish KV events only with prefix caching on: vLLM (dynamo vllm/args.py
		// create_kv_events_config), SGLang (the radix cache emits them), TRT-LLM (block reuse
		// events; trtllm/workers/llm_worker.py warns "KV-aware routing ... falls back").
		ps.Add("enable_prefix_caching", "router_mode = \"kv\" routes on the workers' cached prefixes, which %s only reports with prefix caching on: remove enable_prefix_caching = false or use router_mode = \"round-robin\"", cfg.Engine)
	}
	if cfg.TrustRemoteCode && f.trustRemote == nil {
		ps.Add("trust_remote_code", "engine %q under Dynamo %s has no trust-remote-code flag: set trust_remote_code = false or use dynamo.api_version = \"v1beta1\"", cfg.Engine, rel.version)
	}
	reserved := reservedArgs(cfg)
	if _, set := cfg.EngineArgs["connector"]; set && cfg.Engine == runtimes.EngineVLLM && rel.modernFlags {
		// The flag parses but the 1.4 worker raises on it (vllm/args.py _reject_connector_flag).
		ps.AddKey("engine_args", "connector", "dynamo.vllm %s no longer supports --connector: pass \"kv-transfer-config\" instead (aggregated mode; disaggregated mode renders it)", rel.version)
	}
	generic := map[string]string{}
	for k, v := range cfg.EngineArgs {
		if isTRTLLMDynamic(cfg, k) {
			checkTRTLLMDynamic(ps, cfg, k, v, reserved)
			continue
		}
		generic[k] = v
	}
	runtimes.CheckEngineArgs(ps, generic, reserved)
	checkEngineArgTables(ps, cfg, generic)
	if cfg.Engine == runtimes.EngineTRTLLM {
		for flag, path := range trtllmFlagSettings {
			if _, both := cfg.EngineArgs[flag]; both {
				if _, ok := cfg.EngineArgs[trtllmDynamicPrefix+path]; ok {
					ps.AddKey("engine_args", trtllmDynamicPrefix+path, "sets the same TensorRT-LLM argument as engine_args[%q] (dynamo.trtllm passes --%s as %s): keep one of them", flag, flag, path)
				}
			}
		}
	}
}

// trtllmFlagSettings are the dynamo.trtllm flags that set an LLM argument, by that
// argument's path (trtllm/workers/llm_worker.py arg_map and KvCacheConfig @ e147ceea). A
// trtllm.<path> entry for the same argument would override the flag with a warning: one
// setting, two mechanisms.
var trtllmFlagSettings = map[string]string{
	"pipeline-parallel-size":   "pipeline_parallel_size",
	"expert-parallel-size":     "moe_expert_parallel_size",
	"enable-attention-dp":      "enable_attention_dp",
	"max-batch-size":           "max_batch_size",
	"max-num-tokens":           "max_num_tokens",
	"max-beam-width":           "max_beam_width",
	"gpus-per-node":            "gpus_per_node",
	"free-gpu-memory-fraction": "kv_cache_config.free_gpu_memory_fraction",
}

// checkEngineArgTables checks the engine_args entries that passed the generic checks
// against the flags the 1.4 worker accepts (internal/engineflags, generated from Dynamo's
// and the engines' parsers). The 0.7.1 renderer (v1alpha1) has no tables: not checked.
func checkEngineArgTables(ps *runtimes.Problems, cfg runtimes.DeploymentConfig, args map[string]string) {
	if !releaseFor(cfg).modernFlags {
		return
	}
	reported := map[string]bool{}
	for _, p := range *ps {
		if p.Path == "engine_args" {
			reported[p.Key] = true
		}
	}
	parser := engineflags.DynamoWorker(string(cfg.Engine))
	// An engine with only a nearest table (SGLang, engineflags.EnginePins): flags Dynamo
	// does not define are checked for switch-or-value only.
	nearest, hasNearest := engineflags.DynamoNearest(string(cfg.Engine))
	for _, k := range runtimes.SortedKeys(args) {
		if reported[k] {
			continue
		}
		if _, own := parser.Lookup(k); !own && !parser.Complete {
			if hasNearest {
				if msg := nearest.Check(k, args[k]); msg != "" {
					ps.AddKey("engine_args", k, "%s", msg)
				}
			}
			continue
		}
		if msg := parser.Check(k, args[k]); msg != "" {
			if cfg.Engine == runtimes.EngineTRTLLM {
				if _, known := parser.Lookup(k); !known {
					msg += "; TensorRT-LLM arguments go in as \"trtllm.<path>\" keys, e.g. \"trtllm.kv_cache_config.free_gpu_memory_fraction\""
				}
			}
			ps.AddKey("engine_args", k, "%s", msg)
		}
	}
}

// checkTRTLLMDynamic checks one trtllm.<path> engine_args entry: a dotted path of LLM
// argument names taking a value (dynamic_flags.py: any value, typed by infer_type; the
// path must not end or pass through one the provider renders, or set_nested exits).
func checkTRTLLMDynamic(ps *runtimes.Problems, cfg runtimes.DeploymentConfig, key, value string, reserved map[string]string) {
	if !releaseFor(cfg).modernFlags {
		ps.AddKey("engine_args", key, "Dynamo %s has no --trtllm.* flags (they came with 1.4): use dynamo.api_version = \"v1beta1\" or remove the entry", PreviousVersion)
		return
	}
	path := strings.TrimPrefix(key, trtllmDynamicPrefix)
	for _, seg := range strings.Split(path, ".") {
		if !trtllmPathSegment.MatchString(seg) {
			ps.AddKey("engine_args", key, "the path after \"trtllm.\" must be dot-separated TensorRT-LLM argument names such as \"kv_cache_config.free_gpu_memory_fraction\"")
			return
		}
	}
	for r, attr := range reserved {
		if !strings.HasPrefix(r, trtllmDynamicPrefix) {
			continue
		}
		if r == key || strings.HasPrefix(r, key+".") || strings.HasPrefix(key, r+".") {
			ps.AddKey("engine_args", key, "%q is managed by this provider (it renders --%s): set %s instead", key, r, attr)
			return
		}
	}
	before := len(*ps)
	runtimes.CheckEngineArgText(ps, key, value)
	if len(*ps) == before {
		checkTRTLLMArgTable(ps, cfg, key, value)
	}
}

var trtllmPathSegment = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
