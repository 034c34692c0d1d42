package llmd_test

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/llmd"
)

// rendered returns the P/D manifests' decode Deployment with a finished rollout status, and
// the prefill pod template's hash annotation.
func rendered(t *testing.T) (*unstructured.Unstructured, string) {
	t.Helper()
	cfg := rt.DeploymentConfig{Runtime: llmd.ID, Name: "pd", Namespace: "default", Model: "Qwen/Qwen3-0.6B", Mode: rt.ModeDisaggregated,
		Disaggregated: &rt.DisaggregatedConfig{PrefillReplicas: rt.Int64(2), DecodeReplicas: rt.Int64(1)}}
	llmd.New().Defaults(&cfg)
	m, err := llmd.New().Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	obj := m.Primary
	obj.SetGeneration(1)
	obj.Object["status"] = map[string]any{"observedGeneration": int64(1), "replicas": int64(1), "updatedReplicas": int64(1),
		"readyReplicas": int64(1), "availableReplicas": int64(1),
		"conditions": []any{map[string]any{"type": "Available", "status": "True"}, map[string]any{"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}}}
	return obj, obj.GetAnnotations()["llmd.kubefoundry.io/prefill-template"]
}

func pod(name, component, hash string, ready bool) corev1.Pod {
	p := corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{rt.LabelInstance: "pd", rt.LabelComponent: component}}}
	if component != "endpoint-picker" {
		p.Labels[rt.LabelProvider] = llmd.ID
	}
	if hash != "" {
		p.Annotations = map[string]string{"llmd.kubefoundry.io/prefill-template": hash}
	}
	st := corev1.ConditionFalse
	if ready {
		st = corev1.ConditionTrue
	}
	p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: st}}
	return p
}

func TestStatusNeedsPrefillPoolAndEndpointPicker(t *testing.T) {
	obj, hash := rendered(t)
	decode := pod("pd-d", "decode", "", true)
	epp := pod("pd-epp", "endpoint-picker", "", true)
	for _, p := range []corev1.Pod{decode, epp, pod("pd-p0", "prefill", hash, true)} {
		if !llmd.New().OwnsPod(obj, p) {
			t.Errorf("OwnsPod(%s) = false", p.Name)
		}
	}
	other := pod("x", "decode", "", true)
	other.Labels[rt.LabelInstance] = "pd2"
	if llmd.New().OwnsPod(obj, other) {
		t.Error("a sibling deployment's pod is owned")
	}
	cases := []struct {
		name  string
		pods  []corev1.Pod
		phase rt.Phase
		msg   string
	}{
		{"all ready", []corev1.Pod{decode, epp, pod("p0", "prefill", hash, true), pod("p1", "prefill", hash, true)}, rt.PhaseRunning, ""},
		{"one prefill short", []corev1.Pod{decode, epp, pod("p0", "prefill", hash, true), pod("p1", "prefill", hash, false)}, rt.PhaseDeploying, "1 of 2 prefill replicas ready"},
		{"older prefill template", []corev1.Pod{decode, epp, pod("p0", "prefill", hash, true), pod("p1", "prefill", hash, true), pod("p2", "prefill", "old", true)},
			rt.PhaseDeploying, "(1 of an older template)"},
		{"no picker", []corev1.Pod{decode, pod("p0", "prefill", hash, true), pod("p1", "prefill", hash, true)}, rt.PhaseDeploying, "endpoint picker not ready"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := llmd.New().Status(obj, c.pods, nil)
			if st.Phase != c.phase || !strings.Contains(st.Message, c.msg) {
				t.Errorf("status = %s %q, want %s containing %q", st.Phase, st.Message, c.phase, c.msg)
			}
		})
	}
	if st := llmd.New().Status(obj, nil, nil); st.Phase == rt.PhaseRunning {
		t.Error("Running without having read the prefill pods")
	}
	unscheduled := pod("p1", "prefill", hash, false)
	unscheduled.Status.Conditions = append(unscheduled.Status.Conditions, corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionFalse,
		Message: "0/2 nodes are available: 2 Insufficient nvidia.com/gpu."})
	st := llmd.New().Status(obj, []corev1.Pod{decode, epp, pod("p0", "prefill", hash, true), unscheduled}, nil)
	if !strings.Contains(st.Message, "pod p1 unschedulable: 0/2 nodes are available: 2 Insufficient nvidia.com/gpu.") {
		t.Errorf("the scheduler's message is not the cause: %q", st.Message)
	}
}
