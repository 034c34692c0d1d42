package dynamo

import (
	"slices"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

// renderedGraphs renders every Dynamo case at the default API version, plus each with a main
// image whose tag is not a semantic version (a user's image override).
func renderedGraphs(t *testing.T) map[string]*unstructured.Unstructured {
	t.Helper()
	out := map[string]*unstructured.Unstructured{}
	r := New()
	for _, tc := range runtimestest.Cases(ID) {
		cfg := runtimestest.Defaulted(t, r, tc)
		if apiVersion(cfg) != APIVersionV1Beta1 {
			continue
		}
		for _, image := range []string{"", "registry.local/dynamo/vllm-runtime:dev"} {
			c := cfg
			if image != "" {
				if c.Engine != rt.EngineVLLM {
					continue
				}
				w := rt.Workload{}
				if c.Workload != nil {
					w = *c.Workload
				}
				w.Pod.Image = image
				c.Workload = &w
			}
			m, err := r.Manifests(c)
			if err != nil {
				t.Fatalf("%s: %v", tc.Name, err)
			}
			out[tc.Name+"/"+image] = m.Primary
		}
	}
	if len(out) == 0 {
		t.Fatal("no v1beta1 Dynamo case rendered")
	}
	return out
}

func mainContainerOf(comp map[string]any) map[string]any {
	containers, _, _ := unstructured.NestedSlice(comp, "podTemplate", "spec", "containers")
	for _, c := range containers {
		if m, _ := c.(map[string]any); m["name"] == mainContainerName {
			return m
		}
	}
	return nil
}

// Dynamo 1.4 (verified by running the operator) through 1.7 (release notes): one rendered
// graph is right on each. A non-semver main image tag carries runtimeVersionOverride; the
// default API version is v1beta1 (1.5+ removed v1alpha1 admission); no container sets
// either name of the router's KV-events switch (renamed in 1.5); and a component name always
// has the same type, so an in-place update (engine and mode changes replace) never changes a
// component's type (immutable in 1.5+).
func TestRenderedGraphHoldsOnDynamo14Through17(t *testing.T) {
	if len(operatorReleases) == 0 || !operatorReleases[0].Verified || operatorReleases[0].Versions[0] != Version {
		t.Fatalf("the first release must be the pinned %s, verified by running its operator", Version)
	}
	typeOf := map[string]string{}
	sawOverride := false
	for name, obj := range renderedGraphs(t) {
		if obj.GetAPIVersion() != "nvidia.com/"+APIVersionV1Beta1 {
			t.Errorf("%s: default render is %s", name, obj.GetAPIVersion())
		}
		comps, _, _ := unstructured.NestedSlice(obj.Object, "spec", "components")
		for _, raw := range comps {
			comp, _ := raw.(map[string]any)
			cname, _ := comp["name"].(string)
			typ, _ := comp["type"].(string)
			if prev, ok := typeOf[cname]; ok && prev != typ {
				t.Errorf("component %s is %s in one render and %s in another", cname, prev, typ)
			}
			typeOf[cname] = typ
			main := mainContainerOf(comp)
			if main == nil {
				t.Errorf("%s %s: no main container", name, cname)
				continue
			}
			image, _ := main["image"].(string)
			_, has := comp["runtimeVersionOverride"]
			if needs := needsRuntimeVersionOverride(image); needs != has {
				t.Errorf("%s %s image %s: runtimeVersionOverride set %v, needed %v", name, cname, image, has, needs)
			} else if has {
				sawOverride = true
				if comp["runtimeVersionOverride"] != Version {
					t.Errorf("%s %s: runtimeVersionOverride %v, want %s", name, cname, comp["runtimeVersionOverride"], Version)
				}
			}
			containers, _, _ := unstructured.NestedSlice(comp, "podTemplate", "spec", "containers")
			for _, c := range containers {
				env, _, _ := unstructured.NestedSlice(c.(map[string]any), "env")
				for _, e := range env {
					if n, _ := e.(map[string]any)["name"].(string); slices.Contains(kvEventsEnv, n) {
						t.Errorf("%s %s sets %s, which only some releases read", name, cname, n)
					}
				}
			}
		}
	}
	if !sawOverride {
		t.Error("no render needed runtimeVersionOverride: the non-semver image case did not render")
	}
}
