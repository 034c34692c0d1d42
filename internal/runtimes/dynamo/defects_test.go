package dynamo_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

// Regression tests for the operator-level defects of operator-behaviour.md (D2, D3, D5, D6,
// D9, D11) and the vLLM flag change of Dynamo 1.x. Each runs against both renderers.

var apiVersions = []string{dynamo.APIVersionV1Beta1, dynamo.APIVersionV1Alpha1}

// render defaults and renders cfg for one API version.
func render(t *testing.T, cfg rt.DeploymentConfig, apiVersion string) *unstructured.Unstructured {
	t.Helper()
	cfg = runtimestest.Clone(t, cfg)
	cfg.Dynamo = &rt.DynamoConfig{APIVersion: apiVersion}
	r := dynamo.New()
	r.Defaults(&cfg)
	m, err := rt.ForConfig(r, cfg).Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Primary.GetAPIVersion(); got != "nvidia.com/"+apiVersion {
		t.Fatalf("rendered %s, want nvidia.com/%s", got, apiVersion)
	}
	return m.Primary
}

// workerArgs returns the main container args of every worker, by component name.
func workerArgs(t *testing.T, obj *unstructured.Unstructured) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	strs := func(raw []any) []string {
		s := make([]string, len(raw))
		for i, v := range raw {
			s[i], _ = v.(string)
		}
		return s
	}
	if services, ok, _ := unstructured.NestedMap(obj.Object, "spec", "services"); ok {
		for key, raw := range services {
			args, _, _ := unstructured.NestedSlice(raw.(map[string]any), "extraPodSpec", "mainContainer", "args")
			if key != "Frontend" {
				out[key] = strs(args)
			}
		}
		return out
	}
	components, _, _ := unstructured.NestedSlice(obj.Object, "spec", "components")
	for _, raw := range components {
		c := raw.(map[string]any)
		if c["type"] == "frontend" {
			continue
		}
		containers, _, _ := unstructured.NestedSlice(c, "podTemplate", "spec", "containers")
		for _, cr := range containers {
			if cr.(map[string]any)["name"] == "main" {
				args, _, _ := unstructured.NestedSlice(cr.(map[string]any), "args")
				out[c["name"].(string)] = strs(args)
			}
		}
	}
	return out
}

// flagValue returns the value after flag, and whether flag is present at all.
func flagValue(args []string, flag string) (string, bool) {
	i := slices.Index(args, flag)
	if i < 0 {
		return "", false
	}
	if i+1 < len(args) {
		return args[i+1], true
	}
	return "", true
}

func disagg(engine rt.Engine) rt.DeploymentConfig {
	return rt.DeploymentConfig{Name: "pd", Namespace: "models", Model: "Qwen/Qwen3-0.6B", Engine: engine, Mode: rt.ModeDisaggregated}
}

// D2: SGLang >= 0.5.3 binds the prefill bootstrap server to --host (default 127.0.0.1);
// Dynamo advertises the pod IP, so both roles need --host 0.0.0.0 (sgl-project/sglang #9931,
// ai-dynamo/dynamo #3666 and examples/backends/sglang/deploy/disagg.yaml).
func TestD2SGLangDisaggregatedWorkersBindAllInterfaces(t *testing.T) {
	for _, v := range apiVersions {
		args := workerArgs(t, render(t, disagg(rt.EngineSGLang), v))
		for _, key := range []string{"SglangPrefillWorker", "SglangDecodeWorker"} {
			if host, _ := flagValue(args[key], "--host"); host != "0.0.0.0" {
				t.Errorf("%s %s: --host = %q, want 0.0.0.0 (args %q)", v, key, host, args[key])
			}
		}
	}
}

// D3: TensorRT-LLM transfers no KV cache without cache_transceiver_config, and prefill-only
// workers must disable the overlap scheduler (ai-dynamo/dynamo recipes/qwen3/trtllm/
// {prefill,decode}.yaml, examples/backends/trtllm/deploy/disagg.yaml @ e20adb44).
// 1.4 carries the same settings as --trtllm.* flags (engine_defects_test.go); 0.7.1 as JSON.
func TestD3TRTLLMDisaggregatedCacheTransceiverConfig(t *testing.T) {
	for _, v := range []string{dynamo.APIVersionV1Alpha1} {
		args := workerArgs(t, render(t, disagg(rt.EngineTRTLLM), v))
		for key, wantOverlapOff := range map[string]bool{"TrtllmPrefillWorker": true, "TrtllmDecodeWorker": false} {
			raw, ok := flagValue(args[key], "--override-engine-args")
			if !ok {
				t.Errorf("%s %s: no --override-engine-args in %q", v, key, args[key])
				continue
			}
			var override struct {
				CacheTransceiver *struct {
					Backend string `json:"backend"`
				} `json:"cache_transceiver_config"`
				DisableOverlap *bool `json:"disable_overlap_scheduler"`
			}
			if err := json.Unmarshal([]byte(raw), &override); err != nil {
				t.Fatalf("%s %s: override is not JSON: %v", v, key, err)
			}
			if override.CacheTransceiver == nil || override.CacheTransceiver.Backend != "DEFAULT" {
				t.Errorf("%s %s: cache_transceiver_config.backend not DEFAULT: %s", v, key, raw)
			}
			if got := override.DisableOverlap != nil && *override.DisableOverlap; got != wantOverlapOff {
				t.Errorf("%s %s: disable_overlap_scheduler = %v, want %v", v, key, got, wantOverlapOff)
			}
		}
	}
	// Aggregated TRT-LLM workers transfer nothing: no override there.
	agg := rt.DeploymentConfig{Name: "trt", Namespace: "models", Model: "Qwen/Qwen3-0.6B", Engine: rt.EngineTRTLLM}
	if _, ok := flagValue(workerArgs(t, render(t, agg, dynamo.APIVersionV1Beta1))["TrtllmWorker"], "--override-engine-args"); ok {
		t.Error("aggregated TRT-LLM worker got --override-engine-args")
	}
}

// vLLM in Dynamo 1.x: --disaggregation-mode replaces --is-prefill-worker and both roles pass
// --kv-transfer-config (landscape notes §2; upstream examples/backends/vllm/deploy/disagg.yaml).
// The 0.7.1 renderer keeps 0.7's --is-prefill-worker.
func TestVLLMDisaggregationFlagsPerRelease(t *testing.T) {
	args := workerArgs(t, render(t, disagg(rt.EngineVLLM), dynamo.APIVersionV1Beta1))
	for key, role := range map[string]string{"VllmPrefillWorker": "prefill", "VllmDecodeWorker": "decode"} {
		if got, _ := flagValue(args[key], "--disaggregation-mode"); got != role {
			t.Errorf("v1beta1 %s: --disaggregation-mode = %q, want %s", key, got, role)
		}
		if got, _ := flagValue(args[key], "--kv-transfer-config"); !strings.Contains(got, `"kv_connector":"NixlConnector"`) {
			t.Errorf("v1beta1 %s: --kv-transfer-config = %q, want NixlConnector", key, got)
		}
		if slices.Contains(args[key], "--is-prefill-worker") {
			t.Errorf("v1beta1 %s: --is-prefill-worker was removed from dynamo.vllm (#12089)", key)
		}
	}
	old := workerArgs(t, render(t, disagg(rt.EngineVLLM), dynamo.APIVersionV1Alpha1))
	if !slices.Contains(old["VllmPrefillWorker"], "--is-prefill-worker") || slices.Contains(old["VllmDecodeWorker"], "--is-prefill-worker") {
		t.Errorf("v1alpha1 (0.7.1) must mark only the prefill worker: %q / %q", old["VllmPrefillWorker"], old["VllmDecodeWorker"])
	}
}

// D11: with the KV router, SGLang and TRT-LLM workers must publish KV events
// (--kv-events-config resp. --publish-kv-events, 0.7.1: --publish-events-and-metrics;
// trtllm/backend_args.py @ e147ceea). vLLM: engine_defects_test.go.
func TestD11KVRouterEnablesKVEventsOnSGLangAndTRTLLM(t *testing.T) {
	for _, v := range apiVersions {
		trtFlag := "--publish-kv-events"
		if v == dynamo.APIVersionV1Alpha1 {
			trtFlag = "--publish-events-and-metrics"
		}
		for engine, flag := range map[rt.Engine]string{rt.EngineSGLang: "--kv-events-config", rt.EngineTRTLLM: trtFlag} {
			cfg := rt.DeploymentConfig{Name: "kv", Namespace: "models", Model: "Qwen/Qwen3-0.6B", Engine: engine, RouterMode: rt.RouterKV}
			for key, args := range workerArgs(t, render(t, cfg, v)) {
				if !slices.Contains(args, flag) {
					t.Errorf("%s %s with router kv: no %s in %q", v, key, flag, args)
				}
			}
			cfg.RouterMode = rt.RouterRoundRobin
			for key, args := range workerArgs(t, render(t, cfg, v)) {
				if slices.Contains(args, flag) {
					t.Errorf("%s %s without the KV router still has %s", v, key, flag)
				}
			}
		}
	}
}

// D9: two deployments of the same name in different Kubernetes namespaces must not share a
// Dynamo namespace (0.x discovery scope). v1alpha1 renders "<ns>-<name>" (what 1.x derives);
// v1beta1 sets neither dynamoNamespace nor globalDynamoNamespace, so 1.4 derives it.
func TestD9DynamoNamespaceUniqueAcrossKubernetesNamespaces(t *testing.T) {
	base := rt.DeploymentConfig{Name: "qwen", Model: "Qwen/Qwen3-0.6B"}
	seen := map[string]string{}
	for _, ns := range []string{"team-a", "team-b"} {
		cfg := base
		cfg.Namespace = ns
		obj := render(t, cfg, dynamo.APIVersionV1Alpha1)
		services, _, _ := unstructured.NestedMap(obj.Object, "spec", "services")
		for key, raw := range services {
			dn, _, _ := unstructured.NestedString(raw.(map[string]any), "dynamoNamespace")
			if other, dup := seen[dn]; dup && other != ns {
				t.Errorf("namespaces %s and %s share dynamoNamespace %q", other, ns, dn)
			}
			seen[dn] = ns
			if dn != ns+"-qwen" {
				t.Errorf("%s/%s: dynamoNamespace = %q, want %q", ns, key, dn, ns+"-qwen")
			}
		}
		beta := render(t, cfg, dynamo.APIVersionV1Beta1)
		y := string(runtimestest.RenderYAML(t, []*unstructured.Unstructured{beta}))
		if strings.Contains(y, "dynamoNamespace") || strings.Contains(y, "globalDynamoNamespace") {
			t.Errorf("v1beta1 must leave the Dynamo namespace to the operator:\n%s", y)
		}
	}
}

// D5: the longest label the operator writes is nvidia.com/selector=<name>-<component>
// (v1alpha1/0.7) or <name>-<component>-<8-char worker hash> (v1beta1/1.4); label values are
// at most 63 characters, and the frontend Service needs a DNS-1035 name.
func TestD5NameLimitFromLongestComponentLabel(t *testing.T) {
	for _, tc := range []struct {
		apiVersion string
		cfg        rt.DeploymentConfig
		max        int
	}{
		{dynamo.APIVersionV1Beta1, disagg(rt.EngineSGLang), 63 - len("-sglangprefillworker-") - 8},
		{dynamo.APIVersionV1Beta1, disagg(rt.EngineVLLM), 63 - len("-vllmprefillworker-") - 8},
		{dynamo.APIVersionV1Beta1, rt.DeploymentConfig{Namespace: "m", Model: "Qwen/Qwen3-0.6B"}, 63 - len("-vllmworker-") - 8},
		{dynamo.APIVersionV1Alpha1, disagg(rt.EngineSGLang), 63 - len("-sglangprefillworker")},
		{dynamo.APIVersionV1Alpha1, rt.DeploymentConfig{Namespace: "m", Model: "Qwen/Qwen3-0.6B"}, 63 - len("-vllmworker")},
	} {
		check := func(name string, wantOK bool) {
			cfg := runtimestest.Clone(t, tc.cfg)
			cfg.Name = name
			cfg.Dynamo = &rt.DynamoConfig{APIVersion: tc.apiVersion}
			r := dynamo.New()
			r.Defaults(&cfg)
			var nameProblem string
			for _, p := range r.Validate(cfg) {
				if p.Path == "name" {
					nameProblem = p.Message
				}
			}
			switch {
			case wantOK && nameProblem != "":
				t.Errorf("%s %s: %d-character name rejected: %s", tc.apiVersion, cfg.Engine, len(name), nameProblem)
			case !wantOK && !strings.Contains(nameProblem, "nvidia.com/selector"):
				t.Errorf("%s %s: %d-character name (limit %d) not rejected with the reason: %q", tc.apiVersion, cfg.Engine, len(name), tc.max, nameProblem)
			}
		}
		check("a"+strings.Repeat("b", tc.max-1), true)
		check("a"+strings.Repeat("b", tc.max), false)
	}
	cfg := rt.DeploymentConfig{Name: "7b-chat", Namespace: "m", Model: "Qwen/Qwen3-0.6B"}
	r := dynamo.New()
	r.Defaults(&cfg)
	if ps := r.Validate(cfg); !strings.Contains(ps.Error(), "must start with a letter") {
		t.Errorf("digit-leading name accepted: %v", ps.Error())
	}
}

// D9 follow-up, found against the real 1.4 operator: it labels every component
// nvidia.com/dynamo-namespace=<namespace>-<name>, so the namespace counts against the
// 63-character label limit too (api/v1beta1 ComputeDynamoNamespace, internal/dynamo/graph.go).
func TestD9DynamoNamespaceLabelFitsWithKubernetesNamespace(t *testing.T) {
	ns := strings.Repeat("n", 40)
	for _, apiVersion := range []string{dynamo.APIVersionV1Beta1, dynamo.APIVersionV1Alpha1} {
		for _, tc := range []struct {
			name   string
			wantOK bool
		}{{"a" + strings.Repeat("b", 63-40-1-1), true}, {"a" + strings.Repeat("b", 63-40-1), false}} {
			cfg := rt.DeploymentConfig{Name: tc.name, Namespace: ns, Model: "Qwen/Qwen3-0.6B", Dynamo: &rt.DynamoConfig{APIVersion: apiVersion}}
			r := dynamo.New()
			r.Defaults(&cfg)
			var got string
			for _, p := range r.Validate(cfg) {
				if p.Path == "name" {
					got = p.Message
				}
			}
			if tc.wantOK != (got == "") || !tc.wantOK && !strings.Contains(got, "nvidia.com/dynamo-namespace") {
				t.Errorf("%s: namespace %d + name %d characters: problem %q, want ok=%v", apiVersion, len(ns), len(tc.name), got, tc.wantOK)
			}
		}
	}
}
