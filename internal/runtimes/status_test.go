package runtimes

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func waitingPod(name, reason, message string) corev1.Pod {
	return corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{{
			Name: "main", State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason, Message: message}},
		}}},
	}
}

func TestPodReasons(t *testing.T) {
	old := metav1.NewTime(time.Unix(1000, 0))
	recent := metav1.NewTime(time.Unix(2000, 0))
	pods := []corev1.Pod{
		waitingPod("w-1", "CrashLoopBackOff", "back-off 5m0s"),
		waitingPod("w-0", "ImagePullBackOff", "Back-off pulling image"),
		waitingPod("w-2", "ContainerCreating", ""), // normal progress: not a reason
	}
	events := []corev1.Event{
		{Type: corev1.EventTypeWarning, Reason: "FailedScheduling", Message: "old message", LastTimestamp: old, InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "f-0"}},
		{Type: corev1.EventTypeNormal, Reason: "Scheduled", Message: "ignored"},
	}
	got := PodReasons(pods, events)
	want := []string{
		"pod w-0 container main: ImagePullBackOff: Back-off pulling image",
		"pod w-1 container main: CrashLoopBackOff: back-off 5m0s",
		"pod f-0: FailedScheduling: old message",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("PodReasons:\ngot  %q\nwant %q", got, want)
	}

	// Newest events first, at most three reasons, duplicates dropped.
	events = append(events,
		corev1.Event{Type: corev1.EventTypeWarning, Reason: "FailedScheduling", Message: "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.", LastTimestamp: recent, InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "f-0"}},
		corev1.Event{Type: corev1.EventTypeWarning, Reason: "FailedScheduling", Message: "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.", LastTimestamp: recent, InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "f-0"}},
	)
	got = PodReasons(nil, events)
	if len(got) != 2 || !strings.Contains(got[0], "Insufficient nvidia.com/gpu") {
		t.Errorf("PodReasons(events) = %q", got)
	}
}

func TestUnschedulableCondition(t *testing.T) {
	pod := corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p"}, Status: corev1.PodStatus{Conditions: []corev1.PodCondition{{
		Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: "Unschedulable", Message: "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.",
	}}}}
	if got := Explain("waiting", []corev1.Pod{pod}, nil); got != "waiting; pod p unschedulable: 0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector." {
		t.Errorf("Explain = %q", got)
	}
}

func TestFinish(t *testing.T) {
	obj := &unstructured.Unstructured{Object: map[string]any{}}
	obj.SetGeneration(3)
	st := Finish(Status{Phase: PhaseRunning, Current: false}, obj, nil, nil)
	if st.Phase != PhaseDeploying || !strings.Contains(st.Message, "generation 3") {
		t.Errorf("stale Running: %+v", st)
	}
	st = Finish(Status{Phase: PhaseRunning, Current: true, Message: "leftover"}, obj, nil, nil)
	if st.Phase != PhaseRunning || st.Message != "" {
		t.Errorf("current Running: %+v", st)
	}
	now := metav1.Now()
	obj.SetDeletionTimestamp(&now)
	if st := Finish(Status{Phase: PhaseRunning, Current: true}, obj, nil, nil); st.Phase != PhaseTerminating {
		t.Errorf("deleting object: %+v", st)
	}
}

func TestConditions(t *testing.T) {
	obj := &unstructured.Unstructured{Object: map[string]any{"status": map[string]any{"conditions": []any{
		map[string]any{"type": "Ready", "status": "False", "reason": "Boom", "message": "it broke", "observedGeneration": int64(4)},
		map[string]any{"type": "Other", "status": "True", "observedGeneration": int64(2)},
		"garbage",
	}}}}
	conds := Conditions(obj)
	if len(conds) != 2 {
		t.Fatalf("conditions = %+v", conds)
	}
	ready, ok := FindCondition(conds, "Ready")
	if !ok || !ready.IsFalse() || ready.Describe() != "Boom: it broke" {
		t.Errorf("Ready = %+v", ready)
	}
	if g, ok := ConditionsObservedGeneration(conds); !ok || g != 2 {
		t.Errorf("oldest observed generation = %d, %v", g, ok)
	}
}

// A FailedScheduling event about a pod that has since been bound is stale: it must not be
// reported (and so cannot end a wait as "Insufficient nvidia.com/gpu"). Events about pods
// not in the list are kept (the caller may pass no pods).
func TestStaleFailedSchedulingIsDropped(t *testing.T) {
	insufficient := func(pod string) corev1.Event {
		return corev1.Event{Type: corev1.EventTypeWarning, Reason: "FailedScheduling",
			Message:        "0/4 nodes are available: 4 Insufficient nvidia.com/gpu.",
			InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: pod}}
	}
	bound := corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "bound"}, Spec: corev1.PodSpec{NodeName: "gpu-1"}}
	pending := corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "pending"}, Status: corev1.PodStatus{Conditions: []corev1.PodCondition{
		{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: "Unschedulable"}}}}
	got := PodReasons([]corev1.Pod{bound, pending}, []corev1.Event{insufficient("bound"), insufficient("unlisted"), insufficient("pending")})
	joined := strings.Join(got, "|")
	if strings.Contains(joined, "pod bound:") || !strings.Contains(joined, "pod pending: FailedScheduling") || !strings.Contains(joined, "pod unlisted: FailedScheduling") {
		t.Errorf("want the pending and unlisted pods' events only, got %q", got)
	}
}
