package kaito_test

import (
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kaito"
)

// vLLM >= 0.8 (V1) turns prefix caching on when neither --enable-prefix-caching nor
// --no-enable-prefix-caching is given (the same rule Dynamo 1.4's vllm/args.py states for
// vLLM 0.26), and KAITO 0.12's base image runs vllm==0.25.1
// (presets/workspace/dependencies/requirements.txt in kaito-0.12.0): the documented
// default false must be rendered, or caching runs although the plan says it is off.
func TestVLLMPrefixCachingRenderedBothWays(t *testing.T) {
	for _, tc := range []struct {
		value      *bool
		want, not  string
		wantParsed bool
	}{
		{nil, "--no-enable-prefix-caching", "--enable-prefix-caching", false},
		{rt.Bool(false), "--no-enable-prefix-caching", "--enable-prefix-caching", false},
		{rt.Bool(true), "--enable-prefix-caching", "--no-enable-prefix-caching", true},
	} {
		cfg := rt.DeploymentConfig{Name: "phi", Namespace: "ns", Model: "microsoft/Phi-3-mini-4k-instruct", Engine: rt.EngineVLLM, EnablePrefixCaching: tc.value}
		m := render(t, cfg)
		containers, _, _ := unstructured.NestedSlice(m.Primary.Object, "inference", "template", "spec", "containers")
		var args []string
		for _, a := range containers[0].(map[string]any)["args"].([]any) {
			args = append(args, a.(string))
		}
		if !slices.Contains(args, tc.want) || slices.Contains(args, tc.not) {
			t.Errorf("enable_prefix_caching=%v: want %s and not %s in %q", tc.value, tc.want, tc.not, args)
		}
		parsed, err := kaito.New().Parse(m.Primary)
		if err != nil {
			t.Fatal(err)
		}
		if rt.Deref(parsed.EnablePrefixCaching) != tc.wantParsed {
			t.Errorf("enable_prefix_caching=%v parsed back as %v", tc.value, rt.Deref(parsed.EnablePrefixCaching))
		}
	}
	cfg := rt.DeploymentConfig{Name: "phi", Namespace: "ns", Model: "microsoft/Phi-3-mini-4k-instruct", Engine: rt.EngineVLLM,
		EngineArgs: map[string]string{"no-enable-prefix-caching": "true"}}
	r := kaito.New()
	r.Defaults(&cfg)
	if ps := r.Validate(cfg); !strings.Contains(ps.Error(), "set enable_prefix_caching instead") {
		t.Errorf("engine_args no-enable-prefix-caching accepted next to the attribute: %v", ps.Error())
	}
}
