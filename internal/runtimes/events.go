package runtimes

import (
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
)

// neverProgressReasons are Warning event reasons an operator emits when it has rejected the
// object and will keep requeueing without ever changing it: waiting longer changes nothing.
//
//   - KubeRay writes InvalidRayServiceMetadata / InvalidRayServiceSpec (and the RayCluster
//     variants) when its own validation fails; 1.5 writes no status at all, 1.6 adds a Ready
//     condition with reason ValidationFailed (ray-project/kuberay ray-operator
//     controllers/ray/utils/constant.go and rayservice_controller.go, v1.5.1 and v1.6.2).
var neverProgressReasons = map[string]bool{
	"InvalidRayServiceMetadata": true,
	"InvalidRayServiceSpec":     true,
	"InvalidRayClusterMetadata": true,
	"InvalidRayClusterSpec":     true,
}

// admissionDenied matches the API server's wording when a validating admission webhook
// rejects an object an operator tries to create (it reports it as a FailedCreate event):
// `admission webhook "<name>" denied the request: <reason>`. A denial repeats on every
// retry until the spec changes, so it never progresses on its own.
func admissionDenied(e corev1.Event) bool {
	return strings.Contains(e.Message, "admission webhook") && strings.Contains(e.Message, "denied the request")
}

// NeverProgress returns the operator's words for the newest Warning event that means the
// deployment will never become ready without a change ("" when there is none). Callers pass
// only events that are current: see CurrentEvents.
func NeverProgress(events []corev1.Event) string {
	var hits []corev1.Event
	for _, e := range events {
		if e.Type == corev1.EventTypeWarning && (neverProgressReasons[e.Reason] || admissionDenied(e)) {
			hits = append(hits, e)
		}
	}
	if len(hits) == 0 {
		return ""
	}
	sort.SliceStable(hits, func(i, j int) bool { return eventTime(hits[i]) > eventTime(hits[j]) })
	e := hits[0]
	return fmt.Sprintf("%s %s: %s: %s", strings.ToLower(e.InvolvedObject.Kind), e.InvolvedObject.Name, e.Reason, e.Message)
}

// CurrentEvents keeps the events that can describe the object as it is now: events about
// an object of the primary's kind only when they carry its UID (events of a deleted namesake
// live on for an hour), and only events last seen at or after since (an operator re-emits a
// rejection on every retry, so a stale one from before a fix stops being refreshed).
func CurrentEvents(events []corev1.Event, kind string, uid types.UID, since time.Time) []corev1.Event {
	var out []corev1.Event
	for _, e := range events {
		if e.InvolvedObject.Kind == kind && uid != "" && e.InvolvedObject.UID != "" && e.InvolvedObject.UID != uid {
			continue
		}
		if !since.IsZero() && eventTime(e) < since.Truncate(time.Second).UnixNano() {
			continue
		}
		out = append(out, e)
	}
	return out
}
