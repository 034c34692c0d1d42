package runtimes

import (
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Phase is the coarse lifecycle state of a deployment.
type Phase string

const (
	PhasePending     Phase = "Pending"
	PhaseDeploying   Phase = "Deploying"
	PhaseRunning     Phase = "Running"
	PhaseFailed      Phase = "Failed"
	PhaseTerminating Phase = "Terminating"
)

// Status is a deployment's observed state.
type Status struct {
	Phase Phase
	// Message is a human-readable reason when the phase is not Running.
	Message   string
	Desired   int64
	Ready     int64
	Available int64
	// Current is false while the status describes an older spec (observedGeneration behind
	// metadata.generation); such a status is never reported as Running.
	Current bool
	// Transient marks a Failed phase the operator retries on its own (e.g. a Dynamo
	// reconcile error): a wait fails on it only when it persists (see TransientFailureGrace).
	Transient bool
}

// TransientFailureGrace is how long a Transient failure may persist before a wait gives up
// on it. Operators retry failed reconciles with backoff within seconds; a cause that lasts
// this long (e.g. missing RBAC) needs a human.
var TransientFailureGrace = 2 * time.Minute

// Condition is a metav1.Condition read from an unstructured status.
type Condition struct {
	Type, Status, Reason, Message string
	ObservedGeneration            int64
	HasObservedGeneration         bool
}

// IsTrue and IsFalse compare the condition status.
func (c Condition) IsTrue() bool  { return c.Status == "True" }
func (c Condition) IsFalse() bool { return c.Status == "False" }

// Describe renders "Reason: message" (or whichever part is set).
func (c Condition) Describe() string {
	switch {
	case c.Reason != "" && c.Message != "":
		return c.Reason + ": " + c.Message
	case c.Message != "":
		return c.Message
	default:
		return c.Reason
	}
}

// Conditions reads the conditions list at the given field path (default status.conditions).
func Conditions(obj *unstructured.Unstructured, path ...string) []Condition {
	if len(path) == 0 {
		path = []string{"status", "conditions"}
	}
	raw, _, _ := unstructured.NestedSlice(obj.Object, path...)
	out := make([]Condition, 0, len(raw))
	for _, item := range raw {
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		c := Condition{
			Type:    str(m["type"]),
			Status:  str(m["status"]),
			Reason:  str(m["reason"]),
			Message: str(m["message"]),
		}
		c.ObservedGeneration, c.HasObservedGeneration = toInt64(m["observedGeneration"])
		out = append(out, c)
	}
	return out
}

// FindCondition returns the condition of the given type.
func FindCondition(conds []Condition, typ string) (Condition, bool) {
	for _, c := range conds {
		if c.Type == typ {
			return c, true
		}
	}
	return Condition{}, false
}

// IsTerminating reports whether the object is being deleted.
func IsTerminating(obj *unstructured.Unstructured) bool {
	return obj.GetDeletionTimestamp() != nil
}

// StatusObservedGeneration reads status.observedGeneration.
func StatusObservedGeneration(obj *unstructured.Unstructured) (int64, bool) {
	v, found, _ := unstructured.NestedFieldNoCopy(obj.Object, "status", "observedGeneration")
	if !found {
		return 0, false
	}
	return toInt64(v)
}

// ConditionsObservedGeneration is the lowest observedGeneration among the conditions that
// carry one: the status is only as current as its stalest condition.
func ConditionsObservedGeneration(conds []Condition) (int64, bool) {
	var lowest int64
	found := false
	for _, c := range conds {
		if c.HasObservedGeneration && (!found || c.ObservedGeneration < lowest) {
			lowest, found = c.ObservedGeneration, true
		}
	}
	return lowest, found
}

// IntAt reads an integer field, 0 when absent.
func IntAt(obj map[string]any, path ...string) int64 {
	v, found, _ := unstructured.NestedFieldNoCopy(obj, path...)
	if !found {
		return 0
	}
	n, _ := toInt64(v)
	return n
}

// StringAt reads a string field, "" when absent.
func StringAt(obj map[string]any, path ...string) string {
	v, _, _ := unstructured.NestedFieldNoCopy(obj, path...)
	return str(v)
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func toInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case int32:
		return int64(n), true
	case float64:
		return int64(n), true
	}
	return 0, false
}

// Container waiting reasons that need a human to act; they are surfaced in Status.Message.
var stuckReasons = map[string]bool{
	"ImagePullBackOff":           true,
	"ErrImagePull":               true,
	"InvalidImageName":           true,
	"CrashLoopBackOff":           true,
	"CreateContainerConfigError": true,
	"CreateContainerError":       true,
	"RunContainerError":          true,
}

// Event reasons worth surfacing (scheduling, mounting, pod creation).
var eventReasons = map[string]bool{
	"FailedScheduling":       true,
	"FailedCreate":           true,
	"FailedMount":            true,
	"FailedAttachVolume":     true,
	"FailedCreatePodSandBox": true,
	// KubeRay's own validation (see neverProgressReasons).
	"InvalidRayServiceMetadata": true,
	"InvalidRayServiceSpec":     true,
	"InvalidRayClusterMetadata": true,
	"InvalidRayClusterSpec":     true,
}

// PodReasons explains why pods are not ready: stuck containers first, then unschedulable pods
// and warning events (newest first). Duplicates are dropped; at most three reasons are kept.
func PodReasons(pods []corev1.Pod, events []corev1.Event) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] && len(out) < 3 {
			seen[s] = true
			out = append(out, s)
		}
	}
	sorted := append([]corev1.Pod(nil), pods...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	for _, p := range sorted {
		statuses := append(append([]corev1.ContainerStatus(nil), p.Status.InitContainerStatuses...), p.Status.ContainerStatuses...)
		for _, cs := range statuses {
			if w := cs.State.Waiting; w != nil && stuckReasons[w.Reason] {
				add(fmt.Sprintf("pod %s container %s: %s", p.Name, cs.Name, joinNonEmpty(": ", w.Reason, w.Message)))
			}
		}
	}
	for _, p := range sorted {
		for _, c := range p.Status.Conditions {
			if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse && c.Message != "" {
				add(fmt.Sprintf("pod %s unschedulable: %s", p.Name, c.Message))
			}
		}
	}
	bound := map[string]bool{}
	for _, p := range pods {
		bound[p.Name] = podScheduled(p)
	}
	warnings := make([]corev1.Event, 0, len(events))
	for _, e := range events {
		if e.Type != corev1.EventTypeWarning || !eventReasons[e.Reason] {
			continue
		}
		// A FailedScheduling event outlives its cause: once the pod is bound (a node joined,
		// a rollout freed a GPU) it no longer explains anything and must not end a wait as
		// "Insufficient nvidia.com/gpu".
		if e.Reason == "FailedScheduling" && e.InvolvedObject.Kind == "Pod" && bound[e.InvolvedObject.Name] {
			continue
		}
		warnings = append(warnings, e)
	}
	sort.SliceStable(warnings, func(i, j int) bool { return eventTime(warnings[i]) > eventTime(warnings[j]) })
	for _, e := range warnings {
		add(fmt.Sprintf("%s %s: %s: %s", strings.ToLower(e.InvolvedObject.Kind), e.InvolvedObject.Name, e.Reason, e.Message))
	}
	return out
}

func podScheduled(p corev1.Pod) bool {
	if p.Spec.NodeName != "" {
		return true
	}
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodScheduled {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func eventTime(e corev1.Event) int64 {
	switch {
	// events.k8s.io/v1 recorders (controller-runtime >= 0.23, e.g. KubeRay 1.7) count repeats
	// in a series and leave lastTimestamp unset.
	case e.Series != nil && !e.Series.LastObservedTime.IsZero():
		return e.Series.LastObservedTime.UnixNano()
	case !e.LastTimestamp.IsZero():
		return e.LastTimestamp.UnixNano()
	case !e.EventTime.IsZero():
		return e.EventTime.UnixNano()
	default:
		return e.FirstTimestamp.UnixNano()
	}
}

// Explain joins a base message (usually from a condition) with pod and event reasons.
func Explain(base string, pods []corev1.Pod, events []corev1.Event) string {
	return joinNonEmpty("; ", append([]string{base}, PodReasons(pods, events)...)...)
}

func joinNonEmpty(sep string, parts ...string) string {
	kept := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

// Finish applies the rules shared by all runtimes: a deleting object is Terminating, a
// status for an older generation is never Running, and a non-Running phase gets a reason
// from the pods and events.
func Finish(st Status, obj *unstructured.Unstructured, pods []corev1.Pod, events []corev1.Event) Status {
	if IsTerminating(obj) {
		st.Phase = PhaseTerminating
		st.Message = "deletion in progress"
		return st
	}
	if st.Phase == PhaseRunning && !st.Current {
		st.Phase = PhaseDeploying
		st.Message = joinNonEmpty("; ", fmt.Sprintf("the operator has not yet observed generation %d", obj.GetGeneration()), st.Message)
	}
	if st.Phase != PhaseRunning {
		st.Message = Explain(st.Message, pods, events)
		if st.Message == "" {
			st.Message = "waiting for the operator to report status"
		}
	} else {
		st.Message = ""
	}
	return st
}
