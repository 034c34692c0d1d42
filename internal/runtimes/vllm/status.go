package vllm

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// statusDeployment maps a Deployment the way `kubectl rollout status` judges it
// (k8s.io/kubectl pkg/polymorphichelpers/rollout_status.go): the rollout is done when the
// controller has observed the generation and every replica is updated, available and no
// old replica is left. Progressing=False with reason ProgressDeadlineExceeded is final
// (the deployment controller stops progressing it:
// pkg/controller/deployment/util/deployment_util.go, Kubernetes v1.36).
func statusDeployment(obj *unstructured.Unstructured, pods []corev1.Pod, events []corev1.Event) runtimes.Status {
	observed, _ := runtimes.StatusObservedGeneration(obj)
	want := runtimes.IntAt(obj.Object, "spec", "replicas")
	st := runtimes.Status{
		Current:   observed >= obj.GetGeneration(),
		Desired:   want,
		Ready:     runtimes.IntAt(obj.Object, "status", "readyReplicas"),
		Available: runtimes.IntAt(obj.Object, "status", "availableReplicas"),
	}
	total := runtimes.IntAt(obj.Object, "status", "replicas")
	updated := runtimes.IntAt(obj.Object, "status", "updatedReplicas")
	conds := runtimes.Conditions(obj)
	progressing, hasProgressing := runtimes.FindCondition(conds, "Progressing")
	failure, hasFailure := runtimes.FindCondition(conds, "ReplicaFailure")
	switch {
	case hasProgressing && progressing.IsFalse() && progressing.Reason == "ProgressDeadlineExceeded":
		st.Phase, st.Message = runtimes.PhaseFailed, "Progressing: "+progressing.Describe()
	case observed == 0 && len(conds) == 0:
		st.Phase = runtimes.PhasePending
	case updated == want && st.Available == want && st.Ready == want && total == want:
		st.Phase = runtimes.PhaseRunning
	default:
		st.Phase = runtimes.PhaseDeploying
		st.Message = fmt.Sprintf("%d of %d replicas ready (%d updated, %d available)", st.Ready, want, updated, st.Available)
		if total > want {
			st.Message += fmt.Sprintf("; %d old replicas terminating", total-want)
		}
		if hasFailure && failure.IsTrue() {
			st.Message += "; ReplicaFailure: " + failure.Describe()
		}
	}
	return runtimes.Finish(st, obj, pods, events)
}

// statusLWS maps a LeaderWorkerSet's conditions and counts (sigs.k8s.io/lws v0.9.0
// pkg/controllers/leaderworkerset_controller.go updateConditions): Available (reason
// AllGroupsReady) once every group is ready and updated; Progressing while groups start;
// UpdateInProgress during a rolling update of the templates. Counts are groups (replicas).
func statusLWS(obj *unstructured.Unstructured, pods []corev1.Pod, events []corev1.Event) runtimes.Status {
	observed, _ := runtimes.StatusObservedGeneration(obj)
	want := runtimes.IntAt(obj.Object, "spec", "replicas")
	ready := runtimes.IntAt(obj.Object, "status", "readyReplicas")
	st := runtimes.Status{Current: observed >= obj.GetGeneration(), Desired: want, Ready: ready, Available: ready}
	updated := runtimes.IntAt(obj.Object, "status", "updatedReplicas")
	conds := runtimes.Conditions(obj)
	available, hasAvailable := runtimes.FindCondition(conds, "Available")
	updating, hasUpdating := runtimes.FindCondition(conds, "UpdateInProgress")
	progressing, hasProgressing := runtimes.FindCondition(conds, "Progressing")
	switch {
	case observed == 0 && len(conds) == 0:
		st.Phase = runtimes.PhasePending
	case hasUpdating && updating.IsTrue():
		st.Phase, st.Message = runtimes.PhaseDeploying, "UpdateInProgress: "+updating.Describe()
	case hasAvailable && available.IsTrue() && ready == want && updated == want &&
		(!available.HasObservedGeneration || available.ObservedGeneration >= obj.GetGeneration()):
		st.Phase = runtimes.PhaseRunning
	default:
		st.Phase = runtimes.PhaseDeploying
		st.Message = fmt.Sprintf("%d of %d groups ready (%d updated)", ready, want, updated)
		if hasProgressing && progressing.IsTrue() {
			st.Message = "Progressing: " + progressing.Describe() + "; " + st.Message
		}
	}
	return runtimes.Finish(st, obj, pods, events)
}
