package dynamo

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// statusV1Alpha1 maps a v1alpha1 object: status.state (pending|successful|failed at 0.7)
// and the Ready condition.
//
// Generation tracking: the 0.6/0.7 operator writes no status.observedGeneration and no
// condition observedGeneration. We use them when present (a 1.x operator serving
// v1alpha1 by conversion), and when neither exists we treat the status as current: the
// operator gives no signal to compare, and refusing Running forever would make every wait
// time out (documented limitation of 0.x).
//
// D6: at 0.7 "failed" only means that one reconcile pass returned an error
// (dynamographdeployment_controller.go:113-118 @ e20adb44) and the next pass may succeed,
// so it is Failed but Transient: the wait fails only when it persists.
func statusV1Alpha1(obj *unstructured.Unstructured, pods []corev1.Pod, events []corev1.Event) runtimes.Status {
	conds := runtimes.Conditions(obj)
	ready, hasReady := runtimes.FindCondition(conds, "Ready")
	st := runtimes.Status{Desired: alphaDesiredReplicas(obj), Current: alphaIsCurrent(obj, conds)}

	switch state := runtimes.StringAt(obj.Object, "status", "state"); state {
	case "successful":
		st.Phase = runtimes.PhaseRunning
	case "failed":
		st.Phase, st.Transient = runtimes.PhaseFailed, true
		st.Message = "deployment failed"
	case "initializing", "deploying":
		st.Phase = runtimes.PhaseDeploying
	case "pending":
		st.Phase = runtimes.PhasePending
	default:
		st.Phase = runtimes.PhasePending
		if hasReady && ready.IsTrue() {
			st.Phase = runtimes.PhaseRunning
		}
	}
	if st.Phase != runtimes.PhaseRunning && hasReady && ready.Describe() != "" {
		st.Message = ready.Describe()
	}
	st.Ready, st.Available = alphaReadyReplicas(obj, st)
	return runtimes.Finish(st, obj, pods, events)
}

func alphaIsCurrent(obj *unstructured.Unstructured, conds []runtimes.Condition) bool {
	observed, ok := runtimes.StatusObservedGeneration(obj)
	if !ok {
		observed, ok = runtimes.ConditionsObservedGeneration(conds)
	}
	return !ok || observed >= obj.GetGeneration()
}

// alphaDesiredReplicas sums the worker pools of the spec (the frontend is not a model replica).
func alphaDesiredReplicas(obj *unstructured.Unstructured) int64 {
	services, _, _ := unstructured.NestedMap(obj.Object, "spec", "services")
	var n int64
	for _, raw := range services {
		svc, _ := raw.(map[string]any)
		if runtimes.StringAt(svc, "componentType") == "worker" {
			r := runtimes.IntAt(svc, "replicas")
			if _, set := svc["replicas"]; !set {
				r = 1
			}
			n += r
		}
	}
	return n
}

// alphaReadyReplicas sums status.services[worker].readyReplicas/availableReplicas (1.x
// operators). 0.x operators report no per-service counts; then a Running deployment counts
// as fully ready.
func alphaReadyReplicas(obj *unstructured.Unstructured, st runtimes.Status) (ready, available int64) {
	statuses, found, _ := unstructured.NestedMap(obj.Object, "status", "services")
	if !found {
		if st.Phase == runtimes.PhaseRunning && st.Current {
			return st.Desired, st.Desired
		}
		return 0, 0
	}
	specServices, _, _ := unstructured.NestedMap(obj.Object, "spec", "services")
	for key, raw := range statuses {
		spec, _ := specServices[key].(map[string]any)
		if runtimes.StringAt(spec, "componentType") != "worker" {
			continue
		}
		svc, _ := raw.(map[string]any)
		ready += runtimes.IntAt(svc, "readyReplicas")
		available += runtimes.IntAt(svc, "availableReplicas")
	}
	return ready, available
}
