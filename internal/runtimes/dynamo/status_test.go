package dynamo_test

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

func TestStatus(t *testing.T) {
	runtimestest.CheckStatus(t, dynamo.New())
}

func withStatus(t *testing.T, apiVersion string, cfg rt.DeploymentConfig, gen int64, status map[string]any) *unstructured.Unstructured {
	t.Helper()
	obj := render(t, cfg, apiVersion)
	obj.SetGeneration(gen)
	obj.Object["status"] = status
	return obj
}

func replicaStatus(replicas, ready int64) map[string]any {
	return map[string]any{"componentKind": "Deployment", "replicas": replicas, "updatedReplicas": replicas,
		"readyReplicas": ready, "availableReplicas": ready}
}

// D6 (1.4): an update is Running only once the operator has observed the new generation,
// no rolling update is in progress and every worker component is ready; counts come from
// status.components and exclude the frontend.
func TestD6V1Beta1UpdateRunningOnlyWhenRolledOut(t *testing.T) {
	r := dynamo.New()
	cfg := disagg(rt.EngineVLLM)
	cfg.Disaggregated = &rt.DisaggregatedConfig{PrefillReplicas: rt.Int64(2)}
	ready := func(obs int64) map[string]any {
		return map[string]any{"state": "successful", "observedGeneration": obs,
			"components": map[string]any{"Frontend": replicaStatus(1, 1), "VllmPrefillWorker": replicaStatus(2, 2), "VllmDecodeWorker": replicaStatus(1, 1)}}
	}
	st := r.Status(withStatus(t, dynamo.APIVersionV1Beta1, cfg, 2, ready(2)), nil, nil)
	if st.Phase != rt.PhaseRunning || st.Desired != 3 || st.Ready != 3 {
		t.Errorf("rolled out: %+v, want Running 3/3", st)
	}
	if st := r.Status(withStatus(t, dynamo.APIVersionV1Beta1, cfg, 2, ready(1)), nil, nil); st.Phase == rt.PhaseRunning || st.Ready != 0 {
		t.Errorf("observedGeneration 1 < generation 2 must not be Running (nor count old replicas): %+v", st)
	}
	rolling := ready(2)
	rolling["rollingUpdate"] = map[string]any{"phase": "InProgress"}
	if st := r.Status(withStatus(t, dynamo.APIVersionV1Beta1, cfg, 2, rolling), nil, nil); st.Phase != rt.PhaseDeploying || !strings.Contains(st.Message, "rolling update") {
		t.Errorf("rolling update in progress: %+v, want Deploying", st)
	}
	lagging := ready(2)
	lagging["components"].(map[string]any)["VllmDecodeWorker"] = replicaStatus(1, 0)
	if st := r.Status(withStatus(t, dynamo.APIVersionV1Beta1, cfg, 2, lagging), nil, nil); st.Phase != rt.PhaseDeploying || !strings.Contains(st.Message, "VllmDecodeWorker: 0/1 replicas ready") {
		t.Errorf("a worker not ready: %+v, want Deploying naming it", st)
	}
}

// D6: a failed reconcile is retried by the operator (Transient) unless its reason is one the
// 1.4 operator never recovers from; the Ready condition's cause is reported either way.
func TestD6FailedIsTransientUnlessTerminalReason(t *testing.T) {
	r := dynamo.New()
	cfg := rt.DeploymentConfig{Name: "q", Namespace: "m", Model: "Qwen/Qwen3-0.6B"}
	failed := func(reason, msg string) map[string]any {
		return map[string]any{"state": "failed", "conditions": []any{runtimestest.Condition("Ready", "False", reason, msg, 1)}}
	}
	st := r.Status(withStatus(t, dynamo.APIVersionV1Beta1, cfg, 1, failed("failed_to_reconcile_the_resources", `cluster role "x-planner" does not exist`)), nil, nil)
	if st.Phase != rt.PhaseFailed || !st.Transient || !strings.Contains(st.Message, `cluster role "x-planner" does not exist`) {
		t.Errorf("missing ClusterRole: %+v, want Failed, Transient, with the cause", st)
	}
	st = r.Status(withStatus(t, dynamo.APIVersionV1Beta1, cfg, 1, failed("unsupported_workload_provider", "unsupported workload provider \"x\"")), nil, nil)
	if st.Phase != rt.PhaseFailed || st.Transient {
		t.Errorf("terminal reason: %+v, want Failed and not Transient", st)
	}
	// 0.7 has no terminal reasons: every failed pass is retried.
	st = r.Status(withStatus(t, dynamo.APIVersionV1Alpha1, cfg, 1, failed("failed_to_reconcile_the_resources", "conflict")), nil, nil)
	if st.Phase != rt.PhaseFailed || !st.Transient {
		t.Errorf("v1alpha1 failed: %+v, want Failed and Transient", st)
	}
}

// v1alpha1 (0.x): no generation signal at all; per-service counts when a 1.x operator
// converts; the frontend's replicas never count as model replicas.
func TestStatusV1Alpha1(t *testing.T) {
	r := dynamo.New()
	cfg := disagg(rt.EngineVLLM)
	cfg.Disaggregated = &rt.DisaggregatedConfig{PrefillReplicas: rt.Int64(2)}
	st := r.Status(withStatus(t, dynamo.APIVersionV1Alpha1, cfg, 3, map[string]any{"state": "successful"}), nil, nil)
	if st.Phase != rt.PhaseRunning || st.Desired != 3 || st.Ready != 3 {
		t.Errorf("0.7 successful: %+v, want Running 3/3", st)
	}
	st = r.Status(withStatus(t, dynamo.APIVersionV1Alpha1, cfg, 2, map[string]any{"state": "successful", "observedGeneration": int64(2),
		"services": map[string]any{"Frontend": map[string]any{"readyReplicas": int64(1)}, "VllmPrefillWorker": map[string]any{"readyReplicas": int64(2), "availableReplicas": int64(1)},
			"VllmDecodeWorker": map[string]any{"readyReplicas": int64(0)}}}), nil, nil)
	if st.Ready != 2 || st.Available != 1 {
		t.Errorf("per-service counts: %+v, want ready 2, available 1", st)
	}
	st = r.Status(withStatus(t, dynamo.APIVersionV1Alpha1, cfg, 2, map[string]any{"state": "successful", "observedGeneration": int64(1)}), nil, nil)
	if st.Phase == rt.PhaseRunning {
		t.Errorf("observedGeneration behind: %+v", st)
	}
}
