package podrefusal

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
)

func ev(kind, name, reason, msg string, at time.Time) corev1.Event {
	return corev1.Event{Type: corev1.EventTypeWarning, Reason: reason, Message: msg, LastTimestamp: metav1.NewTime(at),
		ObjectMeta:     metav1.ObjectMeta{Namespace: "ns"},
		InvolvedObject: corev1.ObjectReference{Kind: kind, Name: name, Namespace: "ns"}}
}

// The messages are the controllers' wording around the admission plugins' errors
// (kube-controller-manager v1.36 ReplicaSet/StatefulSet controllers; KubeRay v1.7.0
// raycluster_controller.go "Failed to create head Pod %s/%s, %v").
func TestClassifyNamesTheCause(t *testing.T) {
	now := time.Unix(1000, 0)
	cases := []struct {
		e     corev1.Event
		cause Cause
		sa    string
	}{
		{ev("ReplicaSet", "q-frontend-5d8f", "FailedCreate", `Error creating: pods "q-frontend-5d8f-" is forbidden: error looking up service account ns/missing-sa: serviceaccount "missing-sa" not found`, now), CauseServiceAccount, "missing-sa"},
		{ev("StatefulSet", "ws", "FailedCreate", `create Pod ws-0 in StatefulSet ws failed error: pods "ws-0" is forbidden: error looking up service account ns/x: serviceaccounts "x" not found`, now), CauseServiceAccount, "x"},
		{ev("RayCluster", "r-abc", "FailedToCreateHeadPod", `Failed to create head Pod ns/r-abc-head, pods "r-abc-head" is forbidden: error looking up service account ns/y: serviceaccount "y" not found`, now), CauseServiceAccount, "y"},
		{ev("ReplicaSet", "rs", "FailedCreate", `Error creating: pods "rs-1" is forbidden: exceeded quota: gpus, requested: requests.nvidia.com/gpu=1, used: requests.nvidia.com/gpu=0, limited: requests.nvidia.com/gpu=0`, now), CauseQuota, ""},
		{ev("ReplicaSet", "rs", "FailedCreate", `Error creating: pods "rs-1" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false`, now), CausePodSecurity, ""},
		{ev("RayCluster", "r", "FailedToCreateWorkerPod", `Failed to create worker Pod for the cluster ns/r, admission webhook "deny.example.com" denied the request: no`, now), CauseWebhook, ""},
		{ev("ReplicaSet", "rs", "FailedCreate", `Error creating: pods "rs-1" is forbidden: maximum cpu usage per Container is 1, but limit is 2`, now), CauseOther, ""},
	}
	for _, tc := range cases {
		r, ok := Classify(tc.e)
		if !ok || r.Cause != tc.cause || r.ServiceAccount != tc.sa {
			t.Errorf("Classify(%q) = %+v, %v; want cause %q account %q", tc.e.Message, r, ok, tc.cause, tc.sa)
		}
	}
	for _, e := range []corev1.Event{
		ev("ReplicaSet", "rs", "FailedCreate", `Error creating: Timeout: request did not complete within requested timeout`, now),
		ev("Pod", "p", "FailedScheduling", `0/1 nodes are available: 1 Insufficient nvidia.com/gpu`, now),
		{Type: corev1.EventTypeNormal, Reason: "FailedCreate", Message: `pods "x" is forbidden: y`},
	} {
		if r, ok := Classify(e); ok {
			t.Errorf("Classify(%q) = %+v; a retried failure is not a refusal", e.Message, r)
		}
	}
}

func TestDescribeNamesTheMissingAccountAndTheFix(t *testing.T) {
	r, _ := Classify(ev("ReplicaSet", "q-frontend-5d8f", "FailedCreate", `Error creating: pods "q-frontend-5d8f-" is forbidden: error looking up service account ns/missing-sa: serviceaccount "missing-sa" not found`, time.Now()))
	got := r.Describe()
	for _, want := range []string{`replicaset q-frontend-5d8f cannot create pods: FailedCreate:`, `serviceaccount "missing-sa" not found`, `Create service account "missing-sa" in namespace "ns"`, "pod.service_account_name"} {
		if !strings.Contains(got, want) {
			t.Errorf("Describe() = %q; want it to contain %q", got, want)
		}
	}
}

func TestCandidatesNewestFirst(t *testing.T) {
	t0 := time.Unix(1000, 0)
	got := Candidates([]corev1.Event{
		ev("ReplicaSet", "old", "FailedCreate", `pods "a" is forbidden: exceeded quota: q`, t0),
		ev("Pod", "p", "FailedScheduling", `0/1 nodes`, t0.Add(time.Hour)),
		ev("ReplicaSet", "new", "FailedCreate", `pods "a" is forbidden: exceeded quota: q`, t0.Add(time.Minute)),
	})
	if len(got) != 2 || got[0].Event.InvolvedObject.Name != "new" {
		t.Fatalf("Candidates = %+v", got)
	}
}

func obj(kind string, m map[string]any) *unstructured.Unstructured {
	u := &unstructured.Unstructured{Object: m}
	u.SetKind(kind)
	return u
}

func TestOwnedByControllerReferenceOrTemplateLabels(t *testing.T) {
	owner := &unstructured.Unstructured{Object: map[string]any{}}
	owner.SetUID(types.UID("rs-uid"))
	byRef := obj("RayCluster", map[string]any{})
	byRef.SetOwnerReferences([]metav1.OwnerReference{{UID: "rs-uid", Kind: "RayService", Name: "r"}})
	if !Owned(byRef, owner, nil) {
		t.Error("a RayCluster controlled by the RayService is owned")
	}
	byLabels := obj("ReplicaSet", map[string]any{"spec": map[string]any{"template": map[string]any{"metadata": map[string]any{
		"labels": map[string]any{"nvidia.com/dynamo-graph-deployment-name": "qwen"}}}}})
	owns := func(l map[string]string) bool { return l["nvidia.com/dynamo-graph-deployment-name"] == "qwen" }
	if !Owned(byLabels, owner, owns) {
		t.Error("a ReplicaSet whose pods carry the graph's label is owned")
	}
	if Owned(byLabels, owner, func(map[string]string) bool { return false }) {
		t.Error("a sibling's ReplicaSet is not owned")
	}
}

func TestStillFailingReadsLiveState(t *testing.T) {
	failing := obj("ReplicaSet", map[string]any{"status": map[string]any{"conditions": []any{
		map[string]any{"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate"}}}})
	if !StillFailing(failing) {
		t.Error("ReplicaFailure=True: still failing")
	}
	if StillFailing(obj("ReplicaSet", map[string]any{"status": map[string]any{}})) {
		t.Error("no ReplicaFailure condition: the controller created the pods since")
	}
	sts := obj("StatefulSet", map[string]any{"spec": map[string]any{"replicas": int64(1)}, "status": map[string]any{"replicas": int64(0)}})
	if !StillFailing(sts) {
		t.Error("a StatefulSet with fewer pods than replicas is still failing")
	}
	sts.Object["status"] = map[string]any{"replicas": int64(1)}
	if StillFailing(sts) {
		t.Error("a StatefulSet with all its pods is not failing")
	}
}
