package kaito

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Condition types of the v1beta1 Workspace status.
const (
	condResourceReady      = "ResourceReady"
	condInferenceReady     = "InferenceReady"
	condWorkspaceSucceeded = "WorkspaceSucceeded"
	condWorkspaceDeleting  = "WorkspaceDeleting"
)

// Status maps the Workspace conditions; KAITO has no status.phase.
//
// KAITO also sets conditions to False while work is merely in progress (reasons such as
// "WorkspaceInferenceStatusPending", "workspacePending", "WorkspaceInferenceMigration"), so a
// False condition means Failed only when its reason names a failure ("...Failed", "...Error");
// other False reasons report Deploying with the condition's message.
//
// Generation tracking: the Workspace status has no top-level observedGeneration; KAITO stamps
// every condition with the generation it evaluated, so the oldest condition decides.
func (Runtime) Status(obj *unstructured.Unstructured, pods []corev1.Pod, events []corev1.Event) runtimes.Status {
	conds := runtimes.Conditions(obj)
	observed, ok := runtimes.ConditionsObservedGeneration(conds)
	st := runtimes.Status{
		Desired: runtimes.IntAt(obj.Object, "resource", "count"),
		Current: !ok || observed >= obj.GetGeneration(),
	}
	if st.Desired == 0 {
		st.Desired = 1
	}
	if deleting, ok := runtimes.FindCondition(conds, condWorkspaceDeleting); ok && deleting.IsTrue() {
		st.Phase = runtimes.PhaseTerminating
		return runtimes.Finish(st, obj, pods, events)
	}

	inference, hasInference := runtimes.FindCondition(conds, condInferenceReady)
	succeeded, hasSucceeded := runtimes.FindCondition(conds, condWorkspaceSucceeded)
	switch {
	case hasInference && inference.IsTrue() && (!hasSucceeded || succeeded.IsTrue()):
		st.Phase = runtimes.PhaseRunning
		st.Ready = min(workerNodes(obj), st.Desired)
		if st.Ready == 0 {
			st.Ready = st.Desired
		}
		st.Available = st.Ready
	case len(conds) == 0:
		st.Phase = runtimes.PhasePending
	default:
		st.Phase = runtimes.PhaseDeploying
		for _, typ := range []string{condWorkspaceSucceeded, condInferenceReady, condResourceReady} {
			c, ok := runtimes.FindCondition(conds, typ)
			if !ok || !c.IsFalse() {
				continue
			}
			if isFailureReason(c.Reason) {
				st.Phase, st.Message = runtimes.PhaseFailed, typ+": "+c.Describe()
				break
			}
			if st.Message == "" {
				st.Message = typ + ": " + c.Describe()
			}
		}
	}
	return runtimes.Finish(st, obj, pods, events)
}

func isFailureReason(reason string) bool {
	r := strings.ToLower(reason)
	return strings.Contains(r, "fail") || strings.Contains(r, "error")
}

func workerNodes(obj *unstructured.Unstructured) int64 {
	nodes, _, _ := unstructured.NestedStringSlice(obj.Object, "status", "workerNodes")
	return int64(len(nodes))
}
