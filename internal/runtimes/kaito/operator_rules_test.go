package kaito_test

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kaito"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

// Regression tests for the operator review (shared/reference/operator-behaviour.md D4, D5,
// D8, D10) against KAITO 0.12.0 (kaito-project/kaito v0.12.0).

func premade(name string) rt.DeploymentConfig {
	return rt.DeploymentConfig{Name: name, Namespace: "kaito-workspace", Model: "kaito/llama3.2-1b"}
}

func render(t *testing.T, cfg rt.DeploymentConfig) rt.Manifests {
	t.Helper()
	cfg = runtimestest.Defaulted(t, kaito.New(), runtimestest.Case{Name: "t", Config: cfg})
	m, err := kaito.New().Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// D4: what the webhook declares immutable and what the reconciler never rolls out.
func TestD4WorkspaceChangesNeedReplacement(t *testing.T) {
	base := premade("llama")
	prior := render(t, base).Primary
	for _, tc := range []struct {
		name   string
		mutate func(*rt.DeploymentConfig)
		want   string
	}{
		{"replicas", func(c *rt.DeploymentConfig) { c.Replicas = rt.Int64(2) }, "resource.count (replicas) is immutable"},
		{"label selector", func(c *rt.DeploymentConfig) {
			c.KAITO = &rt.KaitoConfig{LabelSelector: map[string]string{"pool": "cpu"}}
		}, "resource.labelSelector"},
		{"compute type", func(c *rt.DeploymentConfig) { c.KAITO = &rt.KaitoConfig{ComputeType: rt.ComputeGPU} }, "resource.labelSelector"},
		{"memory (template)", func(c *rt.DeploymentConfig) { c.Memory = "8Gi" }, "never rolls out inference.template changes"},
		{"model (template)", func(c *rt.DeploymentConfig) { c.Model = "kaito/phi4-14b" }, "never rolls out inference.template changes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := runtimestest.Clone(t, base)
			tc.mutate(&cfg)
			got := kaito.New().ReplaceReasons(prior, render(t, cfg).Primary)
			if !strings.Contains(strings.Join(got, "|"), tc.want) {
				t.Errorf("reasons %q, want one containing %q", got, tc.want)
			}
		})
	}
	// A Workspace read back from the API server (numbers as int64, YAML round trip) is no change.
	again := render(t, base).Primary
	back := &unstructured.Unstructured{Object: runtimestest.RoundTrip(t, prior.Object)}
	if got := kaito.New().ReplaceReasons(back, again); len(got) > 0 {
		t.Errorf("unchanged Workspace needs replacement: %q", got)
	}
}

// D5: names KAITO cannot build objects for are rejected at plan, naming the objects.
func TestD5KaitoNameLimitsAtPlan(t *testing.T) {
	if ps := kaito.New().Validate(runtimestest.Defaulted(t, kaito.New(), runtimestest.Case{Name: "ok", Config: premade(strings.Repeat("a", 52))})); len(ps) > 0 {
		t.Fatalf("a 52-character name must be accepted: %v", ps)
	}
	checkInvalid(t, premade("llama"), []invalid{
		{"53 characters", func(c *rt.DeploymentConfig) { c.Name = strings.Repeat("a", 53) }, "name", `at most 52 fit here: KAITO creates the Services "<name>" and "<name>-headless"`},
		{"leading digit", func(c *rt.DeploymentConfig) { c.Name = "3b-chat" }, "name", `"3b-chat" must start with a lower-case letter`},
	})
}

// D8: KAITO's Service "<name>" selects only pod "<name>-0" (manifests.go
// GenerateServiceManifest, v0.12.0); the endpoint is our Service over every replica.
func TestD8EndpointReachesEveryReplica(t *testing.T) {
	for _, cfg := range []rt.DeploymentConfig{
		func() rt.DeploymentConfig { c := premade("llama"); c.Replicas = rt.Int64(3); return c }(),
		{Name: "phi", Namespace: "ns", Model: "microsoft/Phi-3-mini-4k-instruct", Engine: rt.EngineVLLM, Replicas: rt.Int64(2)},
	} {
		m := render(t, cfg)
		if len(m.Companions) != 1 || m.Companions[0].GetKind() != "Service" {
			t.Fatalf("%s: want one companion Service, got %v", cfg.Name, m.Companions)
		}
		svc := m.Companions[0]
		sel, _, _ := unstructured.NestedStringMap(svc.Object, "spec", "selector")
		if len(sel) != 1 || sel["kaito.sh/workspace"] != cfg.Name {
			t.Errorf("%s: selector %v, want exactly kaito.sh/workspace=%s (every replica)", cfg.Name, sel, cfg.Name)
		}
		d := runtimestest.Defaulted(t, kaito.New(), runtimestest.Case{Name: "t", Config: cfg})
		if ep := kaito.New().Endpoint(d); !strings.HasPrefix(ep, svc.GetName()+".") {
			t.Errorf("%s: endpoint %s is not the companion Service %s", cfg.Name, ep, svc.GetName())
		}
	}
}

// D10: pods by KAITO's exact workspace label only.
func TestD10PodsByExactWorkspaceLabel(t *testing.T) {
	obj := render(t, premade("llama")).Primary
	for labels, want := range map[string]bool{"llama": true, "llama-2": false, "": false} {
		pod := corev1.Pod{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"kaito.sh/workspace": labels}}}
		if got := kaito.New().OwnsPod(obj, pod); got != want {
			t.Errorf("workspace label %q: owned = %v, want %v", labels, got, want)
		}
	}
}

// KAITO 0.12 drops its own node labels from a Workspace selector (api/v1beta1/labels.go
// SanitizedMatchLabels, v0.12.0): say so at plan instead of matching unexpected nodes.
func TestReservedSelectorLabelRejectedAtPlan(t *testing.T) {
	checkInvalid(t, premade("llama"), []invalid{
		{"reserved key", func(c *rt.DeploymentConfig) {
			c.KAITO = &rt.KaitoConfig{LabelSelector: map[string]string{"kaito.sh/workspace": "other"}}
		}, `kaito.label_selector["kaito.sh/workspace"]`, "KAITO 0.12 silently drops it"},
	})
}

// A vLLM Workspace created with the 0.8-era base image (kaito-base:0.1.1) is still read as
// vLLM; re-rendering moves it to KAITO 0.12's base image, which ReplaceReasons reports.
func TestVLLMWorkspaceWithOldBaseImageParses(t *testing.T) {
	cfg := rt.DeploymentConfig{Name: "phi", Namespace: "ns", Model: "microsoft/Phi-3-mini-4k-instruct", Engine: rt.EngineVLLM}
	m := render(t, cfg)
	old := &unstructured.Unstructured{Object: runtimestest.RoundTrip(t, m.Primary.Object)}
	containers, _, _ := unstructured.NestedSlice(old.Object, "inference", "template", "spec", "containers")
	containers[0].(map[string]any)["image"] = "mcr.microsoft.com/aks/kaito/kaito-base:0.1.1"
	if err := unstructured.SetNestedSlice(old.Object, containers, "inference", "template", "spec", "containers"); err != nil {
		t.Fatal(err)
	}
	parsed, err := kaito.New().Parse(old)
	if err != nil {
		t.Fatal(err)
	}
	if parsed.KAITO == nil || parsed.KAITO.ModelSource != rt.KaitoSourceVLLM {
		t.Fatalf("parsed %+v, want model_source vllm", parsed.KAITO)
	}
	if got := kaito.New().ReplaceReasons(old, m.Primary); len(got) == 0 {
		t.Error("moving to the new base image must be a replacement (KAITO never rolls template changes out)")
	}
}
