package vllm_test

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/vllm"
)

// A Deployment of the same name that this runtime did not render is not claimed (import
// and lookups skip it), and only pods with the instance and provider labels are read.
func TestClaimsAndOwnsPod(t *testing.T) {
	obj := render(t, "vllm-aggregated")
	r := vllm.New()
	if !r.Claims(obj) {
		t.Error("a rendered Deployment is not claimed")
	}
	foreign := obj.DeepCopy()
	foreign.SetLabels(map[string]string{"app": "qwen-vllm"})
	if r.Claims(foreign) {
		t.Error("a Deployment without the provider label is claimed")
	}
	pod := func(labels map[string]string) corev1.Pod {
		return corev1.Pod{ObjectMeta: metav1.ObjectMeta{Labels: labels}}
	}
	if !r.OwnsPod(obj, pod(map[string]string{"app.kubernetes.io/instance": "qwen-vllm", "kubefoundry.io/provider": "vllm"})) {
		t.Error("own pod not recognised")
	}
	for _, l := range []map[string]string{
		{"app.kubernetes.io/instance": "qwen-vllm"}, // e.g. the model download Job's pod
		{"app.kubernetes.io/instance": "qwen-vllm-2", "kubefoundry.io/provider": "vllm"},
	} {
		if r.OwnsPod(obj, pod(l)) {
			t.Errorf("pod with labels %v taken as the deployment's", l)
		}
	}
}
