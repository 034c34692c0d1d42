package dynamo_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo"
)

// Regression tests for the engine-level defects of issue 17. Each expectation comes from
// the Dynamo 1.4.0 worker's own parser: the fork wxsms/dynamo at e147ceea (upstream's
// history at the 1.4.0 branch point), components/src/dynamo/{vllm,sglang,trtllm}.

// problemsAt validates a defaulted cfg and returns the messages at path (and key).
func problemsAt(t *testing.T, cfg rt.DeploymentConfig, where string) string {
	t.Helper()
	r := dynamo.New()
	r.Defaults(&cfg)
	var out []string
	for _, p := range r.Validate(cfg) {
		if p.Where() == where {
			out = append(out, p.Message)
		}
	}
	return strings.Join(out, "\n")
}

func base(engine rt.Engine) rt.DeploymentConfig {
	return rt.DeploymentConfig{Name: "m", Namespace: "models", Model: "Qwen/Qwen3-0.6B", Engine: engine}
}

// Defect 1: vllm/args.py create_kv_events_config @ e147ceea returns the user's
// --kv-events-config and nothing else (the automatic config was removed in #7591), and
// vLLM's KVEventsConfig.enable_kv_cache_events defaults to false: without the flag, or
// with it but without enable_kv_cache_events true, the KV router gets no events.
func TestVLLMKVRouterRendersKVEventsConfigWithEventsEnabled(t *testing.T) {
	for _, cfg := range []rt.DeploymentConfig{base(rt.EngineVLLM), disagg(rt.EngineVLLM)} {
		cfg.RouterMode = rt.RouterKV
		for key, args := range workerArgs(t, render(t, cfg, dynamo.APIVersionV1Beta1)) {
			raw, ok := flagValue(args, "--kv-events-config")
			if !ok {
				t.Errorf("%s: no --kv-events-config in %q", key, args)
				continue
			}
			var c struct {
				Enable   bool   `json:"enable_kv_cache_events"`
				Endpoint string `json:"endpoint"`
			}
			if err := json.Unmarshal([]byte(raw), &c); err != nil || !c.Enable || c.Endpoint == "" {
				t.Errorf("%s: --kv-events-config %s must enable KV cache events on an endpoint (err %v)", key, raw, err)
			}
		}
		cfg.RouterMode = rt.RouterRoundRobin
		for key, args := range workerArgs(t, render(t, cfg, dynamo.APIVersionV1Beta1)) {
			if slices.Contains(args, "--kv-events-config") {
				t.Errorf("%s publishes KV events without the KV router: %q", key, args)
			}
		}
	}
	// Dynamo 0.7.1 (v1alpha1) still created the config itself when prefix caching was on.
	cfg := base(rt.EngineVLLM)
	cfg.RouterMode = rt.RouterKV
	for key, args := range workerArgs(t, render(t, cfg, dynamo.APIVersionV1Alpha1)) {
		if slices.Contains(args, "--kv-events-config") {
			t.Errorf("v1alpha1 %s: 0.7.1 configures KV events itself, got %q", key, args)
		}
	}
}

// Defect 2: vllm/args.py update_engine_config_with_dynamo @ e147ceea turns prefix caching
// on when neither --enable-prefix-caching nor --no-enable-prefix-caching is given, so false
// must render the negation (vLLM's BooleanOptionalAction). SGLang's radix cache is on
// unless --disable-radix-cache; TensorRT-LLM reuses KV blocks unless
// kv_cache_config.enable_block_reuse is false (set through --trtllm.<path>, dynamic_flags.py).
func TestPrefixCachingRendersWhatRuns(t *testing.T) {
	for _, tc := range []struct {
		engine      rt.Engine
		value       *bool
		want, never []string
	}{
		{rt.EngineVLLM, rt.Bool(false), []string{"--no-enable-prefix-caching"}, []string{"--enable-prefix-caching"}},
		{rt.EngineVLLM, rt.Bool(true), []string{"--enable-prefix-caching"}, []string{"--no-enable-prefix-caching"}},
		{rt.EngineVLLM, nil, []string{"--enable-prefix-caching"}, []string{"--no-enable-prefix-caching"}},
		{rt.EngineSGLang, rt.Bool(false), []string{"--disable-radix-cache"}, nil},
		{rt.EngineSGLang, rt.Bool(true), nil, []string{"--disable-radix-cache"}},
		{rt.EngineSGLang, nil, nil, []string{"--disable-radix-cache"}},
		{rt.EngineTRTLLM, rt.Bool(false), []string{"--trtllm.kv_cache_config.enable_block_reuse", "false"}, nil},
		{rt.EngineTRTLLM, nil, nil, []string{"--trtllm.kv_cache_config.enable_block_reuse"}},
	} {
		cfg := base(tc.engine)
		cfg.EnablePrefixCaching = tc.value
		if msg := problemsAt(t, cfg, "enable_prefix_caching"); msg != "" {
			t.Errorf("%s enable_prefix_caching=%v rejected: %s", tc.engine, fmtBool(tc.value), msg)
			continue
		}
		for key, args := range workerArgs(t, render(t, cfg, dynamo.APIVersionV1Beta1)) {
			if len(tc.want) > 0 && !containsRun(args, tc.want) {
				t.Errorf("%s enable_prefix_caching=%s: want %q in %q", key, fmtBool(tc.value), tc.want, args)
			}
			for _, f := range tc.never {
				if slices.Contains(args, f) {
					t.Errorf("%s enable_prefix_caching=%s: unexpected %s in %q", key, fmtBool(tc.value), f, args)
				}
			}
		}
	}
	// The default is the engines' own: on, for every Dynamo engine.
	for _, e := range []rt.Engine{rt.EngineVLLM, rt.EngineSGLang, rt.EngineTRTLLM} {
		cfg := base(e)
		dynamo.New().Defaults(&cfg)
		if !rt.Deref(cfg.EnablePrefixCaching) {
			t.Errorf("%s: default enable_prefix_caching = %s, want true (the engine's default)", e, fmtBool(cfg.EnablePrefixCaching))
		}
	}
}

// KV-aware routing needs the cache events prefix caching produces (vllm/args.py
// create_kv_events_config returns None when it is off; trtllm/workers/llm_worker.py warns
// that routing "falls back to load-balancing" without block reuse).
func TestKVRouterWithPrefixCachingOffIsRejected(t *testing.T) {
	for _, e := range []rt.Engine{rt.EngineVLLM, rt.EngineSGLang, rt.EngineTRTLLM} {
		cfg := base(e)
		cfg.RouterMode, cfg.EnablePrefixCaching = rt.RouterKV, rt.Bool(false)
		if msg := problemsAt(t, cfg, "enable_prefix_caching"); !strings.Contains(msg, `router_mode = "kv"`) {
			t.Errorf("%s: kv router with prefix caching off: got %q", e, msg)
		}
	}
}

// Defect 3a: trtllm/args.py parse_args @ e147ceea exits when --override-engine-args and a
// --trtllm.* flag are both given ("mutually exclusive"). 1.4 workers carry every LLM
// argument as --trtllm.* flags, so a user's trtllm.* entry joins the role's settings.
func TestTRTLLMDisaggregatedEngineArgsDoNotCollideWithOverride(t *testing.T) {
	cfg := disagg(rt.EngineTRTLLM)
	cfg.EngineArgs = map[string]string{"trtllm.kv_cache_config.free_gpu_memory_fraction": "0.8"}
	if msg := problemsAt(t, cfg, `engine_args["trtllm.kv_cache_config.free_gpu_memory_fraction"]`); msg != "" {
		t.Fatalf("rejected: %s", msg)
	}
	for key, args := range workerArgs(t, render(t, cfg, dynamo.APIVersionV1Beta1)) {
		if slices.Contains(args, "--override-engine-args") {
			t.Errorf("%s: --override-engine-args next to --trtllm.* flags exits the 1.4 worker: %q", key, args)
		}
		if got, _ := flagValue(args, "--trtllm.cache_transceiver_config.backend"); got != "DEFAULT" {
			t.Errorf("%s: cache_transceiver_config.backend = %q, want DEFAULT (D3)", key, got)
		}
		if got, _ := flagValue(args, "--trtllm.kv_cache_config.free_gpu_memory_fraction"); got != "0.8" {
			t.Errorf("%s: user setting lost: %q", key, args)
		}
		_, overlapOff := flagValue(args, "--trtllm.disable_overlap_scheduler")
		if overlapOff != (key == "TrtllmPrefillWorker") {
			t.Errorf("%s: --trtllm.disable_overlap_scheduler present = %v", key, overlapOff)
		}
	}
	// The explicit override flag itself, and paths the provider renders, are refused.
	for k, want := range map[string]string{
		"override-engine-args":                      "trtllm.<path>",
		"trtllm.cache_transceiver_config":           "set mode instead",
		"trtllm.cache_transceiver_config.backend":   "set mode instead",
		"trtllm.trust_remote_code":                  "set trust_remote_code instead",
		"trtllm.kv_cache_config.enable_block_reuse": "set enable_prefix_caching instead",
	} {
		c := disagg(rt.EngineTRTLLM)
		c.EngineArgs = map[string]string{k: `{"backend":"UCX"}`}
		if msg := problemsAt(t, c, `engine_args["`+k+`"]`); !strings.Contains(msg, want) {
			t.Errorf("engine_args[%q]: got %q, want it refused with %q", k, msg, want)
		}
	}
}

// Defect 3b: dynamic_flags.py parse_dynamic_flags exits "requires a value" for a
// --trtllm.* flag without one; "true" is rendered as the value (infer_type reads it as
// True), and "false" is a valid value too.
func TestTRTLLMDynamicFlagsAlwaysCarryAValue(t *testing.T) {
	cfg := base(rt.EngineTRTLLM)
	cfg.EngineArgs = map[string]string{"trtllm.enable_chunked_prefill": "true", "trtllm.print_iter_log": "false"}
	for _, k := range rt.SortedKeys(cfg.EngineArgs) {
		if msg := problemsAt(t, cfg, `engine_args["`+k+`"]`); msg != "" {
			t.Errorf("engine_args[%q] rejected: %s", k, msg)
		}
	}
	args := workerArgs(t, render(t, cfg, dynamo.APIVersionV1Beta1))["TrtllmWorker"]
	for k, v := range cfg.EngineArgs {
		if !containsRun(args, []string{"--" + k, v}) {
			t.Errorf("want --%s %s in %q", k, v, args)
		}
	}
}

// Defect 3c: a key that is neither a dynamo.trtllm flag nor trtllm.* exits "Unrecognized
// argument" (dynamic_flags.py); plan refuses it and names the nearest flags.
func TestTRTLLMUnknownEngineArgRefusedWithSuggestions(t *testing.T) {
	cfg := base(rt.EngineTRTLLM)
	cfg.EngineArgs = map[string]string{"max-num-token": "8192"}
	msg := problemsAt(t, cfg, `engine_args["max-num-token"]`)
	if !strings.Contains(msg, "no flag --max-num-token") || !strings.Contains(msg, `"max-num-tokens"`) || !strings.Contains(msg, "trtllm.<path>") {
		t.Errorf("got %q", msg)
	}
	cfg.EngineArgs = map[string]string{"max-num-tokens": "8192"}
	if msg := problemsAt(t, cfg, `engine_args["max-num-tokens"]`); msg != "" {
		t.Errorf("a dynamo.trtllm flag was refused: %s", msg)
	}
}

// Defect 4: trtllm/backend_args.py @ e147ceea takes --model (--model-path is the obsolete
// alias) and --publish-kv-events (--publish-events-and-metrics is deprecated, removed after
// 1.4: trtllm/args.py parse_args). Dynamo 0.7.1 (v1alpha1) keeps its own spellings.
func TestTRTLLMCurrentFlagSpellings(t *testing.T) {
	cfg := base(rt.EngineTRTLLM)
	cfg.RouterMode = rt.RouterKV
	args := workerArgs(t, render(t, cfg, dynamo.APIVersionV1Beta1))["TrtllmWorker"]
	if v, _ := flagValue(args, "--model"); v != cfg.Model || !slices.Contains(args, "--publish-kv-events") {
		t.Errorf("1.4: want --model %s and --publish-kv-events in %q", cfg.Model, args)
	}
	for _, old := range []string{"--model-path", "--publish-events-and-metrics"} {
		if slices.Contains(args, old) {
			t.Errorf("1.4 renders deprecated %s: %q", old, args)
		}
	}
	old := workerArgs(t, render(t, cfg, dynamo.APIVersionV1Alpha1))["TrtllmWorker"]
	if !slices.Contains(old, "--model-path") || !slices.Contains(old, "--publish-events-and-metrics") {
		t.Errorf("0.7.1 keeps --model-path and --publish-events-and-metrics: %q", old)
	}
}

// Defect 4b: TensorRT-LLM's LLM takes trust_remote_code, which 1.4 passes through the
// engine settings (trtllm/workers/llm_worker.py reads arg_map["trust_remote_code"]).
func TestTRTLLMTrustRemoteCodeThroughEngineSettings(t *testing.T) {
	cfg := base(rt.EngineTRTLLM)
	cfg.TrustRemoteCode = true
	if msg := problemsAt(t, cfg, "trust_remote_code"); msg != "" {
		t.Fatalf("refused: %s", msg)
	}
	args := workerArgs(t, render(t, cfg, dynamo.APIVersionV1Beta1))["TrtllmWorker"]
	if !containsRun(args, []string{"--trtllm.trust_remote_code", "true"}) || slices.Contains(args, "--trust-remote-code") {
		t.Errorf("want --trtllm.trust_remote_code true (dynamo.trtllm has no --trust-remote-code): %q", args)
	}
	cfg.Dynamo = &rt.DynamoConfig{APIVersion: dynamo.APIVersionV1Alpha1}
	if msg := problemsAt(t, cfg, "trust_remote_code"); !strings.Contains(msg, "v1beta1") {
		t.Errorf("0.7.1 has no --trtllm.* flags; got %q", msg)
	}
}

// Every rendered combination parses back to the same settings (import and drift).
func TestEngineFlagsRoundTrip(t *testing.T) {
	for _, e := range []rt.Engine{rt.EngineVLLM, rt.EngineSGLang, rt.EngineTRTLLM} {
		for _, mk := range []func(rt.Engine) rt.DeploymentConfig{base, disagg} {
			for _, prefix := range []*bool{nil, rt.Bool(true), rt.Bool(false)} {
				for _, trust := range []bool{false, true} {
					cfg := mk(e)
					cfg.RouterMode = rt.RouterRoundRobin
					cfg.EnablePrefixCaching, cfg.TrustRemoteCode = prefix, trust
					if e == rt.EngineTRTLLM {
						cfg.EngineArgs = map[string]string{"trtllm.enable_chunked_prefill": "true"}
					}
					obj := render(t, cfg, dynamo.APIVersionV1Beta1)
					got, err := dynamo.New().Parse(obj)
					if err != nil {
						t.Fatalf("%s: %v", e, err)
					}
					dynamo.New().Defaults(&got)
					want := cfg
					want.Dynamo = &rt.DynamoConfig{APIVersion: dynamo.APIVersionV1Beta1}
					dynamo.New().Defaults(&want)
					if rt.Deref(got.EnablePrefixCaching) != rt.Deref(want.EnablePrefixCaching) || got.TrustRemoteCode != want.TrustRemoteCode ||
						len(got.EngineArgs) != len(want.EngineArgs) || got.Model != want.Model {
						t.Errorf("%s %s prefix=%s trust=%v: parsed prefix=%s trust=%v args=%v model=%q", e, cfg.Mode, fmtBool(prefix), trust,
							fmtBool(got.EnablePrefixCaching), got.TrustRemoteCode, got.EngineArgs, got.Model)
					}
				}
			}
		}
	}
}

func containsRun(args, run []string) bool {
	for i := 0; i+len(run) <= len(args); i++ {
		if slices.Equal(args[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

func fmtBool(b *bool) string {
	if b == nil {
		return "unset"
	}
	if *b {
		return "true"
	}
	return "false"
}
