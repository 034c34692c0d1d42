package runtimes

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

func typesUID(s string) types.UID { return types.UID(s) }

func warning(kind, name, uid, reason, msg string, at time.Time) corev1.Event {
	return corev1.Event{Type: corev1.EventTypeWarning, Reason: reason, Message: msg, LastTimestamp: metav1.NewTime(at),
		InvolvedObject: corev1.ObjectReference{Kind: kind, Name: name, UID: typesUID(uid)}}
}

// KubeRay 1.5/1.6 re-emit InvalidRayService* on every retry and never progress; webhook
// denials of objects an operator creates repeat the same way.
func TestNeverProgressUsesTheOperatorsWords(t *testing.T) {
	now := time.Unix(5000, 0)
	evs := []corev1.Event{
		warning("Pod", "p-0", "", "FailedScheduling", "0/1 nodes are available", now),
		warning("RayService", "qwen-ray", "u1", "InvalidRayServiceMetadata", "kuberay-system/qwen-ray: The RayService metadata is invalid: RayService name should be no more than 47 characters", now),
	}
	got := NeverProgress(evs)
	if !strings.Contains(got, "InvalidRayServiceMetadata: kuberay-system/qwen-ray: The RayService metadata is invalid") {
		t.Errorf("NeverProgress = %q", got)
	}
	denied := warning("StatefulSet", "llama", "u2", "FailedCreate", `create Pod llama-0 in StatefulSet llama failed error: admission webhook "policy.example.com" denied the request: privileged containers are not allowed`, now)
	if got := NeverProgress([]corev1.Event{denied}); !strings.Contains(got, `denied the request: privileged containers are not allowed`) {
		t.Errorf("webhook denial not terminal: %q", got)
	}
	if got := NeverProgress(evs[:1]); got != "" {
		t.Errorf("FailedScheduling is progress-able, got %q", got)
	}
}

func TestCurrentEventsDropsStaleAndNamesakes(t *testing.T) {
	since := time.Unix(5000, 0)
	evs := []corev1.Event{
		warning("RayService", "q", "old-uid", "InvalidRayServiceSpec", "deleted namesake", since.Add(time.Minute)),
		warning("RayService", "q", "uid", "InvalidRayServiceSpec", "before the apply", since.Add(-time.Minute)),
		warning("RayService", "q", "uid", "InvalidRayServiceSpec", "current", since.Add(time.Second)),
		warning("Pod", "q-0", "pod-uid", "FailedScheduling", "pod", since),
	}
	got := CurrentEvents(evs, "RayService", typesUID("uid"), since)
	if len(got) != 2 || got[0].Message != "current" || got[1].Message != "pod" {
		t.Errorf("CurrentEvents kept %v", got)
	}
}

// KubeRay 1.7 records through events.k8s.io/v1: a repeated event keeps its first eventTime
// and moves series.lastObservedTime, with no lastTimestamp. It is current while it repeats.
func TestCurrentEventsReadsEventSeries(t *testing.T) {
	since := time.Unix(5000, 0)
	e := corev1.Event{Type: corev1.EventTypeWarning, Reason: "InvalidRayServiceSpec", Message: "repeating",
		EventTime:      metav1.NewMicroTime(since.Add(-time.Hour)),
		Series:         &corev1.EventSeries{Count: 7, LastObservedTime: metav1.NewMicroTime(since.Add(time.Second))},
		InvolvedObject: corev1.ObjectReference{Kind: "RayService", Name: "q", UID: typesUID("uid")}}
	if got := CurrentEvents([]corev1.Event{e}, "RayService", typesUID("uid"), since); len(got) != 1 {
		t.Errorf("a series observed after the wait began was dropped: %v", got)
	}
	e.Series.LastObservedTime = metav1.NewMicroTime(since.Add(-time.Minute))
	if got := CurrentEvents([]corev1.Event{e}, "RayService", typesUID("uid"), since); len(got) != 0 {
		t.Errorf("a series last observed before the wait began was kept: %v", got)
	}
}
