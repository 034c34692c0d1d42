package runtimestest

import rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"

// kserveCondition is a knative condition as the KServe controller writes it (no
// observedGeneration; that is on the status).
func kserveCondition(typ, status, reason, message string) map[string]any {
	c := map[string]any{"type": typ, "status": status, "lastTransitionTime": "2026-01-01T00:00:00Z"}
	if reason != "" {
		c["reason"] = reason
	}
	if message != "" {
		c["message"] = message
	}
	return c
}

// kserveStatusCases are LLMInferenceService statuses as KServe v0.19.0's controller writes
// them (pkg/apis/serving/v1alpha2/llm_inference_service_lifecycle.go; the workload
// conditions copy the Deployment's: workload_single_node.go propagateDeploymentStatus).
func kserveStatusCases() []StatusCase {
	url := "http://inference-gateway.gateway-system.svc.cluster.local/default/qwen-kserve"
	return []StatusCase{
		{Name: "no-status", Status: nil, Want: rt.PhasePending, WantMessage: "KServe", WantReady: rt.Int64(0)},
		{Name: "progressing", Status: map[string]any{"observedGeneration": int64(1), "conditions": conds(
			kserveCondition("MainWorkloadReady", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
			kserveCondition("PresetsCombined", "True", "", ""),
			kserveCondition("Ready", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
			kserveCondition("WorkloadsReady", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."))},
			Want: rt.PhaseDeploying, WantMessage: "MainWorkloadReady: MinimumReplicasUnavailable: Deployment does not have minimum availability.", WantReady: rt.Int64(0)},
		{Name: "ready", Status: map[string]any{"observedGeneration": int64(1), "url": url, "conditions": conds(
			kserveCondition("MainWorkloadReady", "True", "", ""), kserveCondition("PresetsCombined", "True", "", ""),
			kserveCondition("Ready", "True", "", ""), kserveCondition("RouterReady", "True", "", ""),
			kserveCondition("WorkloadsReady", "True", "", ""))},
			Want: rt.PhaseRunning, WantReady: rt.Int64(1)},
		{Name: "ready-stale", Stale: true, Status: map[string]any{"observedGeneration": int64(1), "conditions": conds(
			kserveCondition("Ready", "True", "", ""))},
			Want: rt.PhaseDeploying, WantMessage: "has not yet observed generation 2"},
		{Name: "preset-missing", Status: map[string]any{"observedGeneration": int64(1), "conditions": conds(
			kserveCondition("PresetsCombined", "False", "ConfigNotFound", `LLMInferenceServiceConfig "kserve-config-llm-template" not found`),
			kserveCondition("Ready", "False", "ConfigNotFound", `LLMInferenceServiceConfig "kserve-config-llm-template" not found`))},
			Want: rt.PhaseFailed, WantMessage: "PresetsCombined: ConfigNotFound"},
		{Name: "progress-deadline", Status: map[string]any{"observedGeneration": int64(1), "conditions": conds(
			kserveCondition("MainWorkloadReady", "False", "ProgressDeadlineExceeded", `ReplicaSet "qwen-kserve-kserve-5d4f" has timed out progressing.`),
			kserveCondition("Ready", "False", "ProgressDeadlineExceeded", `ReplicaSet "qwen-kserve-kserve-5d4f" has timed out progressing.`))},
			Want: rt.PhaseFailed, WantMessage: "MainWorkloadReady: ProgressDeadlineExceeded"},
		{Name: "router-not-ready", Status: map[string]any{"observedGeneration": int64(1), "conditions": conds(
			kserveCondition("MainWorkloadReady", "True", "", ""),
			kserveCondition("HTTPRoutesReady", "False", "HTTPRouteNotReady", "HTTPRoute default/qwen-kserve-kserve-route is not ready"),
			kserveCondition("Ready", "False", "HTTPRouteNotReady", "HTTPRoute default/qwen-kserve-kserve-route is not ready"),
			kserveCondition("RouterReady", "False", "HTTPRouteNotReady", "HTTPRoute default/qwen-kserve-kserve-route is not ready"))},
			Want: rt.PhaseDeploying, WantMessage: "HTTPRoutesReady: HTTPRouteNotReady"},
	}
}
