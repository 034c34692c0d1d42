package runtimestest

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Clone deep-copies a config (Defaults mutates nested blocks in place).
func Clone(t testing.TB, cfg rt.DeploymentConfig) rt.DeploymentConfig {
	t.Helper()
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out rt.DeploymentConfig
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// Defaulted returns a defaulted copy of the case's config and checks that Defaults is
// idempotent and the result validates.
func Defaulted(t testing.TB, r rt.Runtime, c Case) rt.DeploymentConfig {
	t.Helper()
	cfg := Clone(t, c.Config)
	r.Defaults(&cfg)
	again := Clone(t, cfg)
	r.Defaults(&again)
	if !reflect.DeepEqual(cfg, again) {
		t.Fatalf("Defaults is not idempotent:\nfirst:  %s\nsecond: %s", dump(cfg), dump(again))
	}
	if ps := r.Validate(cfg); len(ps) > 0 {
		t.Fatalf("case %s does not validate:\n%v", c.Name, ps.Error())
	}
	return cfg
}

// CheckManifests runs the golden, determinism, label and round-trip checks for every case of r.
func CheckManifests(t *testing.T, r rt.Runtime) {
	cases := Cases(r.ID())
	if len(cases) == 0 {
		t.Fatalf("no cases for runtime %s", r.ID())
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			cfg := Defaulted(t, r, c)
			r := rt.ForConfig(r, cfg) // the renderer of the case's API version
			m, err := r.Manifests(cfg)
			if err != nil {
				t.Fatalf("Manifests: %v", err)
			}
			got := RenderYAML(t, m.All())
			m2, _ := r.Manifests(Clone(t, cfg))
			if string(RenderYAML(t, m2.All())) != string(got) {
				t.Fatal("Manifests is not deterministic")
			}
			Golden(t, c.Name, got)
			checkLabels(t, r, cfg, m.Primary)
			if gvk := m.Primary.GroupVersionKind(); gvk != r.CRD().GVK() {
				t.Errorf("primary object is %v, want %v", gvk, r.CRD().GVK())
			}

			// Round trip through YAML, as an object read back from the API server would be.
			var back unstructured.Unstructured
			b, _ := yaml.Marshal(m.Primary.Object)
			if err := yaml.Unmarshal(b, &back.Object); err != nil {
				t.Fatal(err)
			}
			parsed, err := r.Parse(&back)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			// Workload settings are not read back by Parse: their drift shows through the
			// managed-field projection of the manifest. Everything else must survive them.
			want := cfg
			want.Workload = nil
			if !reflect.DeepEqual(parsed, want) {
				t.Errorf("Parse(Manifests(cfg)) != cfg\nparsed: %s\nwant:   %s", dump(parsed), dump(want))
			}
			if r.Endpoint(cfg) == "" {
				t.Error("empty endpoint")
			}
		})
	}
}

func checkLabels(t *testing.T, r rt.Runtime, cfg rt.DeploymentConfig, obj *unstructured.Unstructured) {
	t.Helper()
	for k, v := range rt.Labels(cfg.Name, r.ID()) {
		if got := obj.GetLabels()[k]; got != v {
			t.Errorf("label %s = %q, want %q", k, got, v)
		}
	}
}

func dump(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// CheckStatus maps every status case of r on an in-memory object (the cluster tests write
// the same statuses through the API server's status subresource).
func CheckStatus(t *testing.T, r rt.Runtime) {
	for _, sc := range StatusCases(r.ID()) {
		t.Run(sc.Name, func(t *testing.T) {
			obj := Primary(t, r)
			obj.SetGeneration(1)
			if sc.Status != nil {
				obj.Object["status"] = runtimeDeepCopy(sc.Status)
			}
			if sc.Stale {
				obj.SetGeneration(2)
			}
			AssertStatus(t, sc, r.Status(obj, nil, nil))
		})
	}
}

// Primary renders the first case of r.
func Primary(t testing.TB, r rt.Runtime) *unstructured.Unstructured {
	t.Helper()
	cfg := Defaulted(t, r, Cases(r.ID())[0])
	m, err := rt.ForConfig(r, cfg).Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m.Primary
}

// AssertStatus checks a mapped status against its case.
func AssertStatus(t testing.TB, sc StatusCase, got rt.Status) {
	t.Helper()
	if got.Phase != sc.Want {
		t.Errorf("phase = %s, want %s (message %q)", got.Phase, sc.Want, got.Message)
	}
	if sc.WantMessage != "" && !strings.Contains(got.Message, sc.WantMessage) {
		t.Errorf("message = %q, want it to contain %q", got.Message, sc.WantMessage)
	}
	if sc.WantReady != nil && *sc.WantReady != got.Ready {
		t.Errorf("ready = %d, want %d", got.Ready, *sc.WantReady)
	}
	if got.Phase == rt.PhaseRunning && (!got.Current || got.Message != "") {
		t.Errorf("Running status must be current and have no message: %+v", got)
	}
	if got.Phase != rt.PhaseRunning && got.Message == "" {
		t.Errorf("%s status without a message", got.Phase)
	}
}

func runtimeDeepCopy(m map[string]any) map[string]any {
	return runtime.DeepCopyJSON(m)
}
