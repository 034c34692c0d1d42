// Package podrefusal recognises a controller's report that the API server refused to create
// one of a deployment's pods at admission: a missing service account, a ResourceQuota, a Pod
// Security or LimitRange policy, a validating webhook. The controller retries with backoff
// and every retry is refused the same way until a human changes the namespace or the spec,
// so a wait for readiness can end with the controller's words instead of its timeout.
//
// Runtime-neutral: the operators create pods through kube-controller-manager's workload
// controllers (Dynamo: Deployments, KAITO: StatefulSets) or directly (KubeRay: RayCluster),
// and each of those records a Warning event on the object whose pods it could not create.
package podrefusal

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// createFailedReasons are the reasons of the Warning events a pod-creating controller
// records when a pod create fails:
//   - kube-controller-manager's ReplicaSet, StatefulSet, Job and DaemonSet controllers:
//     FailedCreate (k8s.io/kubernetes pkg/controller/controller_utils.go FailedCreatePodReason,
//     and statefulset/stateful_pod_control.go, Kubernetes v1.36);
//   - KubeRay's RayCluster controller: FailedToCreateHeadPod / FailedToCreateWorkerPod
//     (ray-project/kuberay ray-operator/controllers/ray/utils/constant.go, v1.6.2 and v1.7.0).
var createFailedReasons = map[string]bool{
	"FailedCreate":            true,
	"FailedToCreateHeadPod":   true,
	"FailedToCreateWorkerPod": true,
}

// serviceAccountMissing is the ServiceAccount admission plugin's refusal, "error looking up
// service account <ns>/<name>: serviceaccount \"<name>\" not found" (k8s.io/kubernetes
// plugin/pkg/admission/serviceaccount/admission.go; the informer's NotFound says
// "serviceaccount", a live lookup "serviceaccounts").
var serviceAccountMissing = regexp.MustCompile(`serviceaccounts? "([^"]+)" not found`)

// Cause names what refused the pod, for the hint that follows the controller's words.
type Cause string

const (
	CauseServiceAccount Cause = "service account"
	CauseQuota          Cause = "resource quota"
	CausePodSecurity    Cause = "pod security"
	CauseWebhook        Cause = "admission webhook"
	CauseOther          Cause = "admission"
)

// Refusal is one controller event reporting a refused pod create.
type Refusal struct {
	Event corev1.Event
	Cause Cause
	// ServiceAccount is the missing account's name when Cause is CauseServiceAccount.
	ServiceAccount string
}

// Classify reports whether e is a controller's Warning that the API server refused a pod at
// admission ("... is forbidden: ..." or a webhook's "denied the request"). Other create
// failures (a timeout, a conflict, the API server unavailable) pass on their own.
func Classify(e corev1.Event) (Refusal, bool) {
	if e.Type != corev1.EventTypeWarning || !createFailedReasons[e.Reason] {
		return Refusal{}, false
	}
	msg := e.Message
	r := Refusal{Event: e}
	switch {
	case strings.Contains(msg, "error looking up service account"):
		r.Cause = CauseServiceAccount
		if m := serviceAccountMissing.FindStringSubmatch(msg); m != nil {
			r.ServiceAccount = m[1]
		}
	case strings.Contains(msg, "exceeded quota") || strings.Contains(msg, "failed quota"):
		r.Cause = CauseQuota
	case strings.Contains(msg, "violates PodSecurity"):
		r.Cause = CausePodSecurity
	case strings.Contains(msg, "admission webhook") && strings.Contains(msg, "denied the request"):
		r.Cause = CauseWebhook
	case strings.Contains(msg, "is forbidden:"):
		r.Cause = CauseOther
	default:
		return Refusal{}, false
	}
	return r, true
}

// Candidates returns the refusals among events, newest first.
func Candidates(events []corev1.Event) []Refusal {
	var out []Refusal
	for _, e := range events {
		if r, ok := Classify(e); ok {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return eventTime(out[i].Event).After(eventTime(out[j].Event)) })
	return out
}

// Owned reports whether the controller object named by a refusal belongs to the deployment
// whose primary object is owner: owner is its controller (KubeRay's RayCluster), or its pod
// template carries labels owns accepts (a ReplicaSet's template is the Deployment's, so
// Dynamo's graph label and KAITO's workspace label are there).
func Owned(controller, owner *unstructured.Unstructured, owns func(labels map[string]string) bool) bool {
	for _, ref := range controller.GetOwnerReferences() {
		if ref.UID == owner.GetUID() {
			return true
		}
	}
	labels, _, _ := unstructured.NestedStringMap(controller.Object, "spec", "template", "metadata", "labels")
	return owns != nil && len(labels) > 0 && owns(labels)
}

// StillFailing reports whether the controller object, read now, still misses pods it could
// not create: the ReplicaFailure condition the ReplicaSet controller (and KubeRay's RayCluster
// controller, feature gate RayClusterStatusConditions, on by default since v1.2) sets on a
// failed create and removes after a successful one; for a StatefulSet or Job, which keep no
// such condition, fewer pods than wanted. A refusal that stopped (a quota freed by a rollout,
// an account created meanwhile) no longer ends a wait.
func StillFailing(controller *unstructured.Unstructured) bool {
	conds, _, _ := unstructured.NestedSlice(controller.Object, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == "ReplicaFailure" {
			return m["status"] == "True"
		}
	}
	switch controller.GetKind() {
	case "StatefulSet":
		want, found, _ := unstructured.NestedInt64(controller.Object, "spec", "replicas")
		if !found {
			want = 1
		}
		have, _, _ := unstructured.NestedInt64(controller.Object, "status", "replicas")
		return have < want
	case "Job":
		active, _, _ := unstructured.NestedInt64(controller.Object, "status", "active")
		succeeded, _, _ := unstructured.NestedInt64(controller.Object, "status", "succeeded")
		return active == 0 && succeeded == 0
	}
	return false
}

// Describe renders the refusal for a failed wait: the controller's words and what to change.
func (r Refusal) Describe() string {
	e := r.Event
	words := fmt.Sprintf("%s %s cannot create pods: %s: %s", strings.ToLower(e.InvolvedObject.Kind), e.InvolvedObject.Name, e.Reason, e.Message)
	switch r.Cause {
	case CauseServiceAccount:
		if r.ServiceAccount != "" {
			return fmt.Sprintf("%s. Create service account %q in namespace %q, or set pod.service_account_name to an existing one", words, r.ServiceAccount, e.Namespace)
		}
		return words + ". Check pod.service_account_name"
	case CauseQuota:
		return words + ". Raise the namespace's ResourceQuota or request fewer resources"
	case CausePodSecurity:
		return words + ". Relax the namespace's pod-security.kubernetes.io/enforce level or change the pod settings"
	default:
		return words
	}
}

func eventTime(e corev1.Event) time.Time {
	switch {
	case e.Series != nil && !e.Series.LastObservedTime.IsZero(): // events.k8s.io/v1 repeats
		return e.Series.LastObservedTime.Time
	case !e.LastTimestamp.IsZero():
		return e.LastTimestamp.Time
	case !e.EventTime.IsZero():
		return e.EventTime.Time
	default:
		return e.FirstTimestamp.Time
	}
}
