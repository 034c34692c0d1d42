package dynamo

import (
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// terminalFailureReasons are Ready reasons of a failed DGD that the 1.4 operator does not
// retry into success without a spec change: an unsupported workload provider is returned as
// a reconcile.TerminalError, and a multinode component without an orchestrator fails every
// pass the same way (deploy/operator/internal/controller/dynamographdeployment_controller.go
// :55-62,138-148 and dgd_component_program.go:99-108 @ 1.4.0). Every other failure (e.g.
// failed_to_reconcile_the_resources: API conflicts, or "cluster role ... does not exist"
// until the ClusterRoles are created) is retried with backoff, so it is Transient (D6).
var terminalFailureReasons = map[string]bool{
	"unsupported_workload_provider":       true,
	"no_multinode_orchestrator_available": true,
}

// statusV1Beta1 maps a v1beta1 object (Dynamo 1.4): status.observedGeneration, state
// (initializing|pending|successful|failed), the Ready condition and the per-component
// replica counts in status.components (api/v1beta1/dynamographdeployment_types.go:97-134,
// common.go:707-750 @ 1.4.0).
//
// An update is Running only once the new generation is rolled out: observedGeneration has
// reached metadata.generation (the operator stamps it only on a successful pass,
// dgd_workload_program.go:139-150), state is successful, no rolling update is in progress
// and every worker component reports its replicas ready.
func statusV1Beta1(obj *unstructured.Unstructured, pods []corev1.Pod, events []corev1.Event) runtimes.Status {
	conds := runtimes.Conditions(obj)
	ready, hasReady := runtimes.FindCondition(conds, "Ready")
	observed, hasObserved := runtimes.StatusObservedGeneration(obj)
	st := runtimes.Status{Current: hasObserved && observed >= obj.GetGeneration()}
	workers := betaWorkers(obj)
	for _, w := range workers {
		st.Desired += w.desired
		st.Ready += w.ready
		st.Available += w.available
	}

	switch state := runtimes.StringAt(obj.Object, "status", "state"); state {
	case "successful":
		st.Phase = runtimes.PhaseRunning
		if phase := runtimes.StringAt(obj.Object, "status", "rollingUpdate", "phase"); phase == "Pending" || phase == "InProgress" {
			st.Phase, st.Message = runtimes.PhaseDeploying, "rolling update "+strings.ToLower(phase)
		} else if lagging := laggingWorkers(workers); lagging != "" && st.Current {
			// (a stale status is reported by Finish as "not yet observed generation N")
			st.Phase, st.Message = runtimes.PhaseDeploying, lagging
		}
	case "failed":
		st.Phase = runtimes.PhaseFailed
		st.Transient = !hasReady || !terminalFailureReasons[ready.Reason]
		st.Message = "the Dynamo operator failed to reconcile the deployment"
		if st.Transient {
			st.Message += " (it retries)"
		}
	case "initializing":
		st.Phase = runtimes.PhaseDeploying
	case "pending":
		st.Phase = runtimes.PhasePending
		if hasObserved {
			st.Phase = runtimes.PhaseDeploying // the operator has created the components
		}
	default:
		st.Phase = runtimes.PhasePending
	}
	// The Ready condition carries the cause (e.g. which component is not ready, or
	// "cluster role ... does not exist"); report it with whatever phase we map.
	if st.Phase != runtimes.PhaseRunning && hasReady && !ready.IsTrue() && ready.Describe() != "" {
		st.Message = joinMessage(st.Message, ready.Describe())
	}
	if !st.Current {
		st.Ready, st.Available = 0, 0 // counts of an older generation are not this spec's replicas
	}
	return runtimes.Finish(st, obj, pods, events)
}

func joinMessage(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + ": " + b
}

type betaWorker struct {
	name                      string
	desired, ready, available int64
	reported                  bool
}

// betaWorkers pairs every worker-type component of the spec (worker, prefill, decode; the
// frontend is not a model replica) with its status.components entry.
func betaWorkers(obj *unstructured.Unstructured) []betaWorker {
	components, _, _ := unstructured.NestedSlice(obj.Object, "spec", "components")
	statuses, _, _ := unstructured.NestedMap(obj.Object, "status", "components")
	var out []betaWorker
	for _, raw := range components {
		c, _ := raw.(map[string]any)
		switch runtimes.StringAt(c, "type") {
		case typeWorker, rolePrefill, roleDecode:
		default:
			continue
		}
		w := betaWorker{name: runtimes.StringAt(c, "name"), desired: 1}
		if _, set := c["replicas"]; set {
			w.desired = runtimes.IntAt(c, "replicas")
		}
		if s, ok := statuses[w.name].(map[string]any); ok {
			w.reported = true
			w.ready = runtimes.IntAt(s, "readyReplicas")
			w.available = runtimes.IntAt(s, "availableReplicas")
			if _, hasReady := s["readyReplicas"]; !hasReady {
				w.ready = runtimes.IntAt(s, "updatedReplicas") // PodCliqueScalingGroup reports no readyReplicas
			}
		}
		out = append(out, w)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// laggingWorkers names the worker components whose reported ready replicas are below the
// spec ("" when all are ready or the operator reports no counts at all).
func laggingWorkers(workers []betaWorker) string {
	var parts []string
	for _, w := range workers {
		if w.reported && w.ready < w.desired {
			parts = append(parts, fmt.Sprintf("%s: %d/%d replicas ready", w.name, w.ready, w.desired))
		}
	}
	return strings.Join(parts, ", ")
}
