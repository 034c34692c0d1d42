package kserve

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Conditions of an LLMInferenceService (knative duck status; pkg/apis/serving/v1alpha2/
// llm_inference_service_lifecycle.go): Ready is WorkloadsReady and RouterReady; the
// workload's comes from MainWorkloadReady, WorkerWorkloadReady, PrefillWorkloadReady, ...,
// which copy the Deployment's Progressing/Available or the LeaderWorkerSet's Available
// condition (workload_single_node.go propagateDeploymentStatus, workload_multi_node.go).
// PresetsCombined is False when a preset or baseRef cannot be found or merged.
var detailConditions = []string{
	"PresetsCombined", "MainWorkloadReady", "WorkerWorkloadReady", "PrefillWorkloadReady", "PrefillWorkerWorkloadReady",
	"ScalingReady", "PrefillScalingReady", "SchedulerWorkloadReady", "GatewaysReady", "HTTPRoutesReady", "InferencePoolReady",
	"WorkloadsReady", "RouterReady",
}

// Status maps the LLMInferenceService's conditions. The status has no replica counts, so
// Ready is the desired count once Ready is True, and the ready pods per replica otherwise.
func (shared) Status(obj *unstructured.Unstructured, pods []corev1.Pod, events []corev1.Event) runtimes.Status {
	observed, _ := runtimes.StatusObservedGeneration(obj)
	desired := int64(1)
	if _, ok, _ := unstructured.NestedFieldNoCopy(obj.Object, "spec", "replicas"); ok {
		desired = runtimes.IntAt(obj.Object, "spec", "replicas")
	}
	st := runtimes.Status{Current: observed >= obj.GetGeneration(), Desired: desired}
	conds := runtimes.Conditions(obj)
	ready, hasReady := runtimes.FindCondition(conds, "Ready")
	presets, hasPresets := runtimes.FindCondition(conds, "PresetsCombined")
	switch {
	case observed == 0 && len(conds) == 0:
		st.Phase = runtimes.PhasePending
		st.Message = "waiting for the KServe LLMInferenceService controller"
	case hasPresets && presets.IsFalse():
		// A missing preset or baseRef (ConfigNotFound) or a merge error: the controller
		// retries, but only a change (or installing the presets) fixes it.
		st.Phase, st.Transient = runtimes.PhaseFailed, true
		st.Message = "PresetsCombined: " + presets.Describe()
	case hasReady && ready.IsTrue():
		st.Phase = runtimes.PhaseRunning
		st.Ready, st.Available = desired, desired
	default:
		st.Phase = runtimes.PhaseDeploying
		st.Message = notReadyMessage(conds)
		for _, typ := range append(detailConditions, "Ready") {
			// The Deployment's own verdict, copied by the controller: final.
			if c, ok := runtimes.FindCondition(conds, typ); ok && c.IsFalse() && c.Reason == "ProgressDeadlineExceeded" {
				st.Phase, st.Message = runtimes.PhaseFailed, c.Type+": "+c.Describe()
				break
			}
		}
		st.Ready = readyPods(pods)
	}
	return runtimes.Finish(st, obj, pods, events)
}

// notReadyMessage names the first False condition, most specific first.
func notReadyMessage(conds []runtimes.Condition) string {
	var parts []string
	for _, typ := range detailConditions {
		if c, ok := runtimes.FindCondition(conds, typ); ok && c.IsFalse() {
			parts = append(parts, typ+": "+c.Describe())
			break
		}
	}
	if len(parts) == 0 {
		if c, ok := runtimes.FindCondition(conds, "Ready"); ok {
			parts = append(parts, "Ready: "+c.Describe())
		}
	}
	return strings.Join(parts, "; ")
}

func readyPods(pods []corev1.Pod) int64 {
	var n int64
	for _, p := range pods {
		for _, c := range p.Status.Conditions {
			if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
				n++
			}
		}
	}
	return n
}
