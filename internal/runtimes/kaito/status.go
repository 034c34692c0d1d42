package kaito

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Condition types of the v1beta1 Workspace status.
const (
	condNodesReady         = "NodesReady"
	condResourceReady      = "ResourceReady"
	condInferenceReady     = "InferenceReady"
	condWorkspaceSucceeded = "WorkspaceSucceeded"
	condWorkspaceDeleting  = "WorkspaceDeleting"
)

// Top-level status.state of KAITO >= 0.12 (api/v1beta1/workspace_types.go WorkspaceState);
// for inference it is Pending, Ready or NotReady. 0.8 has no state.
const stateReady = "Ready"

// terminalReasons are the only False reasons after which an inference Workspace never becomes
// ready on its own. KAITO keeps retrying everything else: 0.12 reports pod problems as
// reasons (ImagePullError, ContainerCrashLoopBackOff, Unschedulable, ...; the wait itself
// ends on the pod states that need a human), and 0.8 writes "WorkspaceInferenceStatusFailed:
// context deadline exceeded" / "workspaceFailed" when a StatefulSet is not ready within 10
// minutes, then retries and can still succeed (operator review D6). BenchmarkFailed is
// "terminal" per KAITO 0.12's applyBenchmarkStatus (preset workspaces only).
var terminalReasons = map[string]bool{"BenchmarkFailed": true}

// Status maps the Workspace status: the top-level state (0.12) and the conditions, which both
// releases write. A False condition reports Deploying with its reason and message (root cause
// first: nodes, resource, inference, workspace) until the caller's timeout.
//
// Generation tracking: KAITO stamps every condition with the generation it evaluated (0.12
// on every reconcile, 0.8 only when a condition changes), so the oldest condition decides.
// Workspace body changes are replacements (see ReplaceReasons), so generation 1 is the norm.
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

	state := runtimes.StringAt(obj.Object, "status", "state")
	inference, hasInference := runtimes.FindCondition(conds, condInferenceReady)
	succeeded, hasSucceeded := runtimes.FindCondition(conds, condWorkspaceSucceeded)
	switch {
	case hasInference && inference.IsTrue() && (!hasSucceeded || succeeded.IsTrue()) && (state == "" || state == stateReady):
		// InferenceReady=True means the StatefulSet has all replicas ready. status.workerNodes
		// lists every node matching the selector, not replicas, so it is not used.
		st.Phase = runtimes.PhaseRunning
		st.Ready, st.Available = st.Desired, st.Desired
	case len(conds) == 0:
		st.Phase = runtimes.PhasePending
	default:
		st.Phase = runtimes.PhaseDeploying
		for _, typ := range []string{condNodesReady, condResourceReady, condInferenceReady, condWorkspaceSucceeded} {
			c, ok := runtimes.FindCondition(conds, typ)
			if !ok || !c.IsFalse() {
				continue
			}
			if terminalReasons[c.Reason] {
				st.Phase, st.Message = runtimes.PhaseFailed, typ+": "+c.Describe()
				break
			}
			if st.Message == "" {
				st.Message = typ + ": " + c.Describe()
			}
		}
		if st.Message == "" && state != "" {
			st.Message = "workspace state " + state
		}
	}
	return runtimes.Finish(st, obj, pods, events)
}
