package kaito_test

import (
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kaito"
)

func setConfig(inferenceSet bool) rt.DeploymentConfig {
	cfg := rt.DeploymentConfig{Name: "llama", Namespace: "models", Model: "kaito/llama3.2-1b", Replicas: rt.Int64(2),
		KAITO: &rt.KaitoConfig{InferenceSet: rt.Bool(inferenceSet)}}
	kaito.New().Defaults(&cfg)
	return cfg
}

func renderPrimary(t *testing.T, cfg rt.DeploymentConfig) *unstructured.Unstructured {
	t.Helper()
	m, err := rt.ForConfig(kaito.New(), cfg).Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m.Primary
}

// The InferenceSet carries the Workspace's template unchanged: the same pods either way.
func TestInferenceSetCarriesTheWorkspaceTemplate(t *testing.T) {
	ws, is := renderPrimary(t, setConfig(false)), renderPrimary(t, setConfig(true))
	a, _, _ := unstructured.NestedMap(ws.Object, "inference")
	b, _, _ := unstructured.NestedMap(is.Object, "spec", "template", "inference")
	if ws.GetKind() != "Workspace" || is.GetKind() != "InferenceSet" || !equalYAML(a, b) {
		t.Errorf("kinds %s/%s; inference differs:\n%v\n%v", ws.GetKind(), is.GetKind(), a, b)
	}
	if _, found, _ := unstructured.NestedFieldNoCopy(is.Object, "spec", "template", "resource", "instanceType"); found {
		t.Error("instanceType rendered: KAITO 0.12 rejects it with the BYO node provisioner")
	}
	// Registry runtime given an InferenceSet config still renders the InferenceSet.
	m, err := kaito.New().Manifests(setConfig(true))
	if err != nil || m.Primary.GetKind() != "InferenceSet" {
		t.Errorf("Runtime.Manifests with inference_set: %v %v", m.Primary, err)
	}
}

func equalYAML(a, b map[string]any) bool {
	x, _ := rt.ToMap(a)
	y, _ := rt.ToMap(b)
	return a != nil && reflect.DeepEqual(x, y)
}

// Replicas change in place; a template change and the move between kinds replace.
func TestInferenceSetReplaceReasons(t *testing.T) {
	r := kaito.InferenceSet{}
	prior := renderPrimary(t, setConfig(true))
	more := setConfig(true)
	more.Replicas = rt.Int64(4)
	if got := r.ReplaceReasons(prior, renderPrimary(t, more)); len(got) != 0 {
		t.Errorf("replicas change: %v, want in place", got)
	}
	mem := setConfig(true)
	mem.Memory = "8Gi"
	if got := r.ReplaceReasons(prior, renderPrimary(t, mem)); len(got) != 1 || !strings.Contains(got[0], "never updates the Workspaces") {
		t.Errorf("template change: %v", got)
	}
	ws := renderPrimary(t, setConfig(false))
	for _, got := range [][]string{r.ReplaceReasons(ws, prior), kaito.New().ReplaceReasons(prior, ws)} {
		if len(got) != 1 || !strings.Contains(got[0], "kaito.inference_set moves the deployment") {
			t.Errorf("kind change: %v", got)
		}
	}
}

func TestInferenceSetNameLimit(t *testing.T) {
	cfg := setConfig(true)
	cfg.Name = strings.Repeat("a", kaito.MaxInferenceSetNameLength+1)
	if ps := (kaito.InferenceSet{}).Validate(cfg); !ps.Has("name") {
		t.Errorf("a %d-character InferenceSet name: %v", len(cfg.Name), ps)
	}
	cfg.Name = strings.Repeat("a", kaito.MaxInferenceSetNameLength)
	if ps := (kaito.InferenceSet{}).Validate(cfg); len(ps) != 0 {
		t.Error(ps)
	}
}

// Status as KAITO 0.12's InferenceSet controller writes it (addOrUpdateInferenceSet).
func TestInferenceSetStatus(t *testing.T) {
	r := kaito.InferenceSet{}
	obj := renderPrimary(t, setConfig(true))
	obj.SetGeneration(2)
	cond := func(typ, status, reason, msg string, gen int64) map[string]any {
		return map[string]any{"type": typ, "status": status, "reason": reason, "message": msg, "observedGeneration": gen,
			"lastTransitionTime": "2026-01-01T00:00:00Z"}
	}
	for _, c := range []struct {
		name   string
		status map[string]any
		want   rt.Phase
		msg    string
	}{
		{"no status", nil, rt.PhasePending, ""},
		{"one of two ready", map[string]any{"replicas": int64(2), "readyReplicas": int64(1),
			"conditions": []any{cond("InferenceSetReady", "False", "inferencesetNotReady", "inferenceset is not ready, 1/2 replicas are ready", 2)}},
			rt.PhaseDeploying, "1/2 replicas are ready"},
		{"ready", map[string]any{"replicas": int64(2), "readyReplicas": int64(2),
			"conditions": []any{cond("InferenceSetReady", "True", "inferencesetReady", "inferenceset is ready", 2)}}, rt.PhaseRunning, ""},
		{"ready for an older generation", map[string]any{"replicas": int64(2), "readyReplicas": int64(2),
			"conditions": []any{cond("InferenceSetReady", "True", "inferencesetReady", "inferenceset is ready", 1)}}, rt.PhaseDeploying, "generation 2"},
		{"deleting", map[string]any{"conditions": []any{cond("InferenceSetDeleting", "True", "inferencesetDeleted", "", 2)}}, rt.PhaseTerminating, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := obj.DeepCopy()
			if c.status != nil {
				o.Object["status"] = c.status
			}
			st := r.Status(o, nil, nil)
			if st.Phase != c.want || !strings.Contains(st.Message, c.msg) || st.Desired != 2 {
				t.Errorf("status %+v, want %s with %q, desired 2", st, c.want, c.msg)
			}
		})
	}
}

func TestInferenceSetOwnsPod(t *testing.T) {
	obj := renderPrimary(t, setConfig(true))
	own := corev1.Pod{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"inferenceset.kaito.sh/created-by": "llama", "kaito.sh/workspace": "llama-x7k2p"}}}
	other := corev1.Pod{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"kaito.sh/workspace": "llama"}}}
	if r := (kaito.InferenceSet{}); !r.OwnsPod(obj, own) || r.OwnsPod(obj, other) {
		t.Error("OwnsPod must match the created-by label only")
	}
}
