package llmd

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/vllm"
)

// Status maps the decode Deployment as the vllm runtime maps a Deployment (kubectl rollout
// status rules), then requires, from the pods, the prefill pool of the P/D path (every
// prefill pod of the current template Ready, as many as the annotation asks for) and a Ready
// endpoint picker: without it the pool routes nothing.
func (Runtime) Status(obj *unstructured.Unstructured, pods []corev1.Pod, events []corev1.Event) runtimes.Status {
	var decode, prefill, epp []corev1.Pod
	for _, p := range pods {
		switch {
		case p.Labels[runtimes.LabelComponent] == componentEPP:
			epp = append(epp, p)
		case p.Labels[runtimes.LabelComponent] == RolePrefill:
			prefill = append(prefill, p)
		default:
			decode = append(decode, p)
		}
	}
	st := vllm.DeploymentStatus(obj, decode, events)
	if st.Phase != runtimes.PhaseRunning && st.Phase != runtimes.PhaseDeploying {
		return st
	}
	var waiting []string
	var waitPods []corev1.Pod
	if want, ok := prefillWanted(obj); ok {
		ready, stale := prefillReady(obj, prefill)
		st.Desired += want
		st.Ready += ready
		st.Available += ready
		if ready != want || stale > 0 {
			waiting = append(waiting, fmt.Sprintf("%d of %d prefill replicas ready", ready, want))
			if stale > 0 {
				waiting[len(waiting)-1] += fmt.Sprintf(" (%d of an older template)", stale)
			}
			waitPods = append(waitPods, prefill...)
		}
	}
	if pods != nil && readyCount(epp) == 0 {
		waiting = append(waiting, "endpoint picker not ready")
		waitPods = append(waitPods, epp...)
	}
	if len(waiting) == 0 {
		return st
	}
	msg := st.Message
	if st.Phase == runtimes.PhaseRunning {
		st.Phase, msg = runtimes.PhaseDeploying, ""
	}
	for _, w := range waiting {
		if msg != "" {
			msg += "; "
		}
		msg += w
	}
	st.Message = runtimes.Explain(msg, waitPods, nil)
	return st
}

// prefillWanted is the prefill replica count a P/D decode Deployment carries.
func prefillWanted(obj *unstructured.Unstructured) (int64, bool) {
	n, err := annotationInt(obj.GetAnnotations(), annotationPrefillReplicas)
	if err != nil {
		return 0, false
	}
	return *n, true
}

// prefillReady counts the live prefill pods of the current template that are Ready, and the
// live pods of another template (a rollout in progress).
func prefillReady(obj *unstructured.Unstructured, pods []corev1.Pod) (ready, stale int64) {
	hash := obj.GetAnnotations()[annotationPrefillTemplate]
	for _, p := range pods {
		switch {
		case p.DeletionTimestamp != nil:
		case p.Annotations[annotationPrefillTemplate] != hash:
			stale++
		case podReady(p):
			ready++
		}
	}
	return ready, stale
}

func readyCount(pods []corev1.Pod) int {
	n := 0
	for _, p := range pods {
		if p.DeletionTimestamp == nil && podReady(p) {
			n++
		}
	}
	return n
}

func podReady(p corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
