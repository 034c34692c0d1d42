package vllm_test

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/vllm"
)

// render returns the primary object of the named case with generation 1.
func render(t *testing.T, name string) *unstructured.Unstructured {
	t.Helper()
	for _, c := range runtimestest.Cases(vllm.ID) {
		if c.Name != name {
			continue
		}
		cfg := runtimestest.Defaulted(t, vllm.New(), c)
		m, err := rt.ForConfig(vllm.New(), cfg).Manifests(cfg)
		if err != nil {
			t.Fatal(err)
		}
		m.Primary.SetGeneration(1)
		return m.Primary
	}
	t.Fatalf("no case %s", name)
	return nil
}

func cond(typ, status, reason, msg string) map[string]any {
	return map[string]any{"type": typ, "status": status, "reason": reason, "message": msg, "observedGeneration": int64(1)}
}

// Deployment statuses as the Kubernetes v1.36 deployment controller writes them
// (pkg/controller/deployment: sync.go syncDeploymentStatus, progress.go).
func TestDeploymentStatus(t *testing.T) {
	cases := []struct {
		name   string
		status map[string]any
		want   rt.Phase
		msg    string
	}{
		{"new", nil, rt.PhasePending, "waiting for the operator"},
		{"scaling-up", map[string]any{"observedGeneration": int64(1), "replicas": int64(2), "updatedReplicas": int64(2), "readyReplicas": int64(1), "availableReplicas": int64(1),
			"conditions": []any{cond("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
				cond("Progressing", "True", "ReplicaSetUpdated", `ReplicaSet "llama-vllm-5d8f" is progressing.`)}},
			rt.PhaseDeploying, "1 of 2 replicas ready (2 updated, 1 available)"},
		{"rolled-out", map[string]any{"observedGeneration": int64(1), "replicas": int64(2), "updatedReplicas": int64(2), "readyReplicas": int64(2), "availableReplicas": int64(2),
			"conditions": []any{cond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
				cond("Progressing", "True", "NewReplicaSetAvailable", `ReplicaSet "llama-vllm-5d8f" has successfully progressed.`)}},
			rt.PhaseRunning, ""},
		{"old-replica-left", map[string]any{"observedGeneration": int64(1), "replicas": int64(3), "updatedReplicas": int64(2), "readyReplicas": int64(2), "availableReplicas": int64(2)},
			rt.PhaseDeploying, "1 old replicas terminating"},
		{"deadline-exceeded", map[string]any{"observedGeneration": int64(1), "replicas": int64(2), "updatedReplicas": int64(1), "readyReplicas": int64(1), "availableReplicas": int64(1),
			"conditions": []any{cond("Progressing", "False", "ProgressDeadlineExceeded", `ReplicaSet "llama-vllm-5d8f" has timed out progressing.`)}},
			rt.PhaseFailed, "ProgressDeadlineExceeded"},
		{"quota", map[string]any{"observedGeneration": int64(1), "replicas": int64(0),
			"conditions": []any{cond("ReplicaFailure", "True", "FailedCreate", `pods "llama-vllm-5d8f-x" is forbidden: exceeded quota`)}},
			rt.PhaseDeploying, "ReplicaFailure: FailedCreate: pods"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obj := render(t, "vllm-aggregated-full")
			if tc.status != nil {
				obj.Object["status"] = tc.status
			}
			got := vllm.New().Status(obj, nil, nil)
			runtimestest.AssertStatus(t, runtimestest.StatusCase{Name: tc.name, Want: tc.want, WantMessage: tc.msg}, got)
			if got.Desired != 2 {
				t.Errorf("desired = %d, want 2", got.Desired)
			}
		})
	}
	t.Run("stale", func(t *testing.T) {
		obj := render(t, "vllm-aggregated-full")
		obj.Object["status"] = cases[2].status
		obj.SetGeneration(2)
		got := vllm.New().Status(obj, nil, nil)
		runtimestest.AssertStatus(t, runtimestest.StatusCase{Want: rt.PhaseDeploying, WantMessage: "has not yet observed generation 2"}, got)
	})
	t.Run("unschedulable-pod", func(t *testing.T) {
		obj := render(t, "vllm-aggregated-full")
		obj.Object["status"] = cases[1].status
		pod := corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "llama-vllm-5d8f-abcde"}, Status: corev1.PodStatus{Conditions: []corev1.PodCondition{{
			Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: "Unschedulable", Message: "0/3 nodes are available: 3 Insufficient nvidia.com/gpu."}}}}
		got := vllm.New().Status(obj, []corev1.Pod{pod}, nil)
		runtimestest.AssertStatus(t, runtimestest.StatusCase{Want: rt.PhaseDeploying, WantMessage: "Insufficient nvidia.com/gpu"}, got)
	})
}

// LeaderWorkerSet statuses as sigs.k8s.io/lws v0.9.0 writes them
// (pkg/controllers/leaderworkerset_controller.go updateConditions, makeCondition).
func TestLeaderWorkerSetStatus(t *testing.T) {
	cases := []struct {
		name   string
		status map[string]any
		want   rt.Phase
		msg    string
	}{
		{"new", nil, rt.PhasePending, "waiting for the operator"},
		{"progressing", map[string]any{"observedGeneration": int64(1), "replicas": int64(1),
			"conditions": []any{cond("Progressing", "True", "GroupsProgressing", "Replicas are progressing"), cond("Available", "False", "AllGroupsReady", "All replicas are ready")}},
			rt.PhaseDeploying, "Progressing: GroupsProgressing: Replicas are progressing; 0 of 1 groups ready"},
		{"available", map[string]any{"observedGeneration": int64(1), "replicas": int64(1), "readyReplicas": int64(1), "updatedReplicas": int64(1),
			"conditions": []any{cond("Available", "True", "AllGroupsReady", "All replicas are ready"), cond("Progressing", "False", "GroupsProgressing", "Replicas are progressing")}},
			rt.PhaseRunning, ""},
		{"rolling-update", map[string]any{"observedGeneration": int64(1), "replicas": int64(1), "readyReplicas": int64(1), "updatedReplicas": int64(0),
			"conditions": []any{cond("UpdateInProgress", "True", "GroupsUpdating", "Rolling Upgrade is in progress"), cond("Progressing", "True", "GroupsProgressing", "Replicas are progressing")}},
			rt.PhaseDeploying, "UpdateInProgress: GroupsUpdating"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obj := render(t, "vllm-multinode")
			if tc.status != nil {
				obj.Object["status"] = tc.status
			}
			got := vllm.New().Status(obj, nil, nil)
			runtimestest.AssertStatus(t, runtimestest.StatusCase{Name: tc.name, Want: tc.want, WantMessage: tc.msg}, got)
		})
	}
}

func TestReplaceWhenKindChanges(t *testing.T) {
	single, multi := render(t, "vllm-aggregated"), render(t, "vllm-multinode")
	if got := vllm.New().ReplaceReasons(single, multi); len(got) != 1 {
		t.Errorf("Deployment -> LeaderWorkerSet: reasons %q, want one", got)
	}
	if got := vllm.New().ReplaceReasons(single, render(t, "vllm-aggregated-full")); len(got) != 0 {
		t.Errorf("Deployment -> Deployment: reasons %q, want none", got)
	}
}
