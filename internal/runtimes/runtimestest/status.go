package runtimestest

import (
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// StatusCase is a status as an operator would write it, and the phase it must map to.
type StatusCase struct {
	Name string
	// Status is written to the object's status (through the status subresource in cluster tests).
	Status map[string]any
	// Stale bumps metadata.generation after the status was written (a newer spec).
	Stale bool
	Want  rt.Phase
	// WantMessage must be contained in Status.Message ("" = no check).
	WantMessage string
	// WantReady is the expected ready replica count (nil = no check).
	WantReady *int64
	// Since is the operator release whose CRD first has every field of Status ("" = all
	// supported releases), e.g. KAITO's status.state from 0.12.0.
	Since string
}

// Condition builds a metav1.Condition as unstructured data (all fields the CRDs require).
func Condition(typ, status, reason, message string, observedGeneration int64) map[string]any {
	c := map[string]any{
		"type": typ, "status": status, "reason": reason, "message": message,
		"lastTransitionTime": "2026-01-01T00:00:00Z",
	}
	if observedGeneration > 0 {
		c["observedGeneration"] = observedGeneration
	}
	return c
}

func conds(cs ...map[string]any) []any {
	out := make([]any, len(cs))
	for i, c := range cs {
		out[i] = c
	}
	return out
}

// StatusCases returns the status table of one runtime. Objects are created at generation 1.
func StatusCases(runtimeID string) []StatusCase {
	switch runtimeID {
	case "dynamo":
		// Dynamo 1.4 v1beta1 statuses as the operator writes them (api/v1beta1/
		// dynamographdeployment_types.go:97-134, controller/dgd_workload_program.go @ 1.4.0).
		component := func(ready int64) map[string]any {
			return map[string]any{"componentKind": "Deployment", "replicas": int64(1), "updatedReplicas": int64(1),
				"readyReplicas": ready, "availableReplicas": ready}
		}
		return []StatusCase{
			{Name: "no-status", Status: nil, Want: rt.PhasePending, WantReady: rt.Int64(0)},
			{Name: "pending", Status: map[string]any{"state": "pending"}, Want: rt.PhasePending, WantReady: rt.Int64(0)},
			{Name: "pods-not-ready", Status: map[string]any{"state": "pending", "observedGeneration": int64(1), "conditions": conds(
				Condition("Ready", "False", "some_resources_are_not_ready", "Resources not ready: VllmWorker: 0/1 replicas ready", 1)),
				"components": map[string]any{"Frontend": component(1), "VllmWorker": component(0)}},
				Want: rt.PhaseDeploying, WantMessage: "VllmWorker: 0/1 replicas ready", WantReady: rt.Int64(0)},
			{Name: "successful", Status: map[string]any{"state": "successful", "observedGeneration": int64(1), "conditions": conds(
				Condition("Ready", "True", "all_resources_are_ready", "All resources are ready", 1)),
				"components": map[string]any{"Frontend": component(1), "VllmWorker": component(1)}},
				Want: rt.PhaseRunning, WantReady: rt.Int64(1)},
			{Name: "successful-stale", Stale: true, Status: map[string]any{"state": "successful", "observedGeneration": int64(1), "conditions": conds(
				Condition("Ready", "True", "all_resources_are_ready", "All resources are ready", 1)),
				"components": map[string]any{"Frontend": component(1), "VllmWorker": component(1)}},
				Want: rt.PhaseDeploying, WantMessage: "has not yet observed generation 2", WantReady: rt.Int64(0)},
			{Name: "failed-retrying", Status: map[string]any{"state": "failed", "conditions": conds(
				Condition("Ready", "False", "failed_to_reconcile_the_resources", `cluster role "dynamo-platform-dynamo-operator-planner" does not exist`, 1))},
				Want: rt.PhaseFailed, WantMessage: `failed_to_reconcile_the_resources: cluster role "dynamo-platform-dynamo-operator-planner" does not exist`, WantReady: rt.Int64(0)},
			{Name: "failed-terminal", Status: map[string]any{"state": "failed", "conditions": conds(
				Condition("Ready", "False", "no_multinode_orchestrator_available", "no multinode orchestrator available", 1))},
				Want: rt.PhaseFailed, WantMessage: "no_multinode_orchestrator_available", WantReady: rt.Int64(0)},
		}
	case "kuberay":
		cluster := func(ready int64) map[string]any {
			return map[string]any{"desiredWorkerReplicas": int64(1), "readyWorkerReplicas": ready, "availableWorkerReplicas": ready}
		}
		return []StatusCase{
			{Name: "no-status", Status: nil, Want: rt.PhasePending, WantReady: rt.Int64(0)},
			{Name: "initializing", Status: map[string]any{"observedGeneration": int64(1), "conditions": conds(
				Condition("Ready", "False", "Initializing", "RayCluster is being created", 1))},
				Want: rt.PhaseDeploying, WantMessage: "RayCluster is being created"},
			{Name: "ready", Status: map[string]any{"observedGeneration": int64(1), "serviceStatus": "Running",
				"conditions": conds(Condition("Ready", "True", "NonZeroServeEndpoints", "Number of serve endpoints is greater than 0", 1),
					Condition("UpgradeInProgress", "False", "NoPendingCluster", "no pending cluster", 1)),
				"activeServiceStatus": map[string]any{"rayClusterStatus": cluster(1),
					"applicationStatuses": map[string]any{"llm_app": map[string]any{"status": "RUNNING"}}}},
				Want: rt.PhaseRunning, WantReady: rt.Int64(1)},
			{Name: "ready-stale", Stale: true, Status: map[string]any{"observedGeneration": int64(1),
				"conditions": conds(Condition("Ready", "True", "NonZeroServeEndpoints", "ok", 1))},
				Want: rt.PhaseDeploying, WantMessage: "has not yet observed generation 2"},
			{Name: "upgrading", Status: map[string]any{"observedGeneration": int64(1), "conditions": conds(
				Condition("Ready", "True", "NonZeroServeEndpoints", "ok", 1),
				Condition("UpgradeInProgress", "True", "BothActivePendingClustersExist", "pending cluster is being prepared", 1))},
				Want: rt.PhaseDeploying, WantMessage: "pending cluster is being prepared"},
			{Name: "deploy-failed", Status: map[string]any{"observedGeneration": int64(1),
				"conditions": conds(Condition("Ready", "False", "NonReadyServeApplications", "not ready", 1)),
				"activeServiceStatus": map[string]any{"rayClusterStatus": cluster(0),
					"applicationStatuses": map[string]any{"llm_app": map[string]any{"status": "DEPLOY_FAILED", "message": "model Qwen/Qwen3-0.6B not found"}}}},
				Want: rt.PhaseFailed, WantMessage: "llm_app is DEPLOY_FAILED: model Qwen/Qwen3-0.6B not found", WantReady: rt.Int64(0)},
			// D6: an in-place serveConfigV2 change keeps Ready=True while the app redeploys.
			{Name: "serve-update-deploying", Status: map[string]any{"observedGeneration": int64(1),
				"conditions": conds(Condition("Ready", "True", "NonZeroServeEndpoints", "Number of serve endpoints is greater than 0", 1)),
				"activeServiceStatus": map[string]any{"rayClusterStatus": cluster(1),
					"applicationStatuses": map[string]any{"llm_app": map[string]any{"status": "DEPLOYING"}}}},
				Want: rt.PhaseDeploying, WantMessage: "Serve application llm_app is DEPLOYING"},
			// KubeRay 1.6.2 rejects an invalid RayService with this condition (and an event).
			{Name: "validation-failed", Status: map[string]any{"conditions": conds(
				Condition("Ready", "False", "ValidationFailed", "The RayService metadata is invalid: RayService name should be no more than 47 characters", 0))},
				Want: rt.PhaseFailed, WantMessage: "ValidationFailed: The RayService metadata is invalid"},
			{Name: "unhealthy", Status: map[string]any{"observedGeneration": int64(1),
				"conditions":          conds(Condition("Ready", "True", "NonZeroServeEndpoints", "ok", 1)),
				"activeServiceStatus": map[string]any{"applicationStatuses": map[string]any{"llm_app": map[string]any{"status": "UNHEALTHY", "message": "replica crashed"}}}},
				Want: rt.PhaseFailed, WantMessage: "UNHEALTHY: replica crashed"},
			// A spec changed mid-upgrade: KubeRay rolls back to the active cluster first. The
			// reason is TargetClusterChanged before 1.7.0, DesiredClusterSpecChanged since
			// (apis/ray/v1/rayservice_types.go, v1.7.0); either is still an upgrade.
			{Name: "rollback-target-cluster-changed", Status: map[string]any{"observedGeneration": int64(1), "conditions": conds(
				Condition("Ready", "True", "NonZeroServeEndpoints", "ok", 1),
				Condition("RollbackInProgress", "True", "TargetClusterChanged", "Goal state changed mid-upgrade, rolling back to original cluster.", 1))},
				Want: rt.PhaseDeploying, WantMessage: "rolling back an upgrade: TargetClusterChanged"},
			{Name: "rollback-desired-cluster-spec-changed", Status: map[string]any{"observedGeneration": int64(1), "conditions": conds(
				Condition("Ready", "True", "NonZeroServeEndpoints", "ok", 1),
				Condition("RollbackInProgress", "True", "DesiredClusterSpecChanged", "Goal state reverted to original cluster, rolling back.", 1))},
				Want: rt.PhaseDeploying, WantMessage: "rolling back an upgrade: DesiredClusterSpecChanged"},
			// spec.suspend = true (KubeRay 1.7.0 handleSuspend): Suspended=True with reason
			// SuspendComplete; nothing is served until it is false again.
			{Name: "suspended", Status: map[string]any{"observedGeneration": int64(1), "conditions": conds(
				Condition("Ready", "False", "SuspendComplete", "RayService is suspended.", 1),
				Condition("Suspended", "True", "SuspendComplete", "All owned resources have been deleted.", 1))},
				Want: rt.PhaseFailed, WantMessage: "set spec.suspend to false to resume"},
		}
	case "kaito":
		// Reasons and messages as KAITO writes them: 0.12.0 (pkg/workspace/controllers/
		// workspace_controller.go applyInferenceWorkspaceStatus, classifyInferencePodFailure;
		// pkg/nodeprovision/byo-provisioner) unless the case name says 0.8.
		return []StatusCase{
			{Name: "no-status", Status: nil, Want: rt.PhasePending, WantReady: rt.Int64(0)},
			{Name: "waiting-for-nodes", Since: "0.12.0", Status: map[string]any{"state": "Pending", "conditions": conds(
				Condition("NodesReady", "False", "NodeNotReady", "Not enough Nodes are ready", 1),
				Condition("ResourceReady", "False", "workspaceResourceStatusNotReady", "node status condition not ready", 1),
				Condition("InferenceReady", "False", "WorkspaceInferenceStatusPending", "Inference workload is not ready", 1),
				Condition("WorkspaceSucceeded", "False", "workspacePending", "workspace is waiting for inference workload readiness", 1))},
				Want: rt.PhaseDeploying, WantMessage: "NodesReady: NodeNotReady: Not enough Nodes are ready", WantReady: rt.Int64(0)},
			{Name: "inference-pending", Since: "0.12.0", Status: map[string]any{"state": "Pending", "conditions": conds(
				Condition("NodesReady", "True", "NodesReady", "Enough Nodes are ready", 1),
				Condition("ResourceReady", "True", "workspaceResourceStatusSuccess", "workspace resource is ready", 1),
				Condition("InferenceReady", "False", "WorkspaceInferenceStatusPending", "Inference workload is not ready", 1),
				Condition("WorkspaceSucceeded", "False", "workspacePending", "workspace is waiting for inference workload readiness", 1))},
				Want: rt.PhaseDeploying, WantMessage: "InferenceReady: WorkspaceInferenceStatusPending: Inference workload is not ready"},
			// A pod problem KAITO classifies is still progress as far as KAITO is concerned;
			// the wait ends on the pod state (ImagePullBackOff) itself.
			{Name: "image-pull-error", Since: "0.12.0", Status: map[string]any{"state": "Pending", "conditions": conds(
				Condition("ResourceReady", "True", "workspaceResourceStatusSuccess", "workspace resource is ready", 1),
				Condition("InferenceReady", "False", "ImagePullError", `container "model" image pull failed (ImagePullBackOff): Back-off pulling image`, 1),
				Condition("WorkspaceSucceeded", "False", "workspacePending", "workspace is waiting for inference workload readiness", 1))},
				Want: rt.PhaseDeploying, WantMessage: "ImagePullError: container \"model\" image pull failed (ImagePullBackOff)"},
			// D6: KAITO 0.8 gives up on a StatefulSet after 10 minutes, writes these, retries.
			{Name: "slow-start-0.8", Status: map[string]any{"conditions": conds(
				Condition("ResourceReady", "True", "workspaceResourceStatusSuccess", "workspace resource is ready", 1),
				Condition("InferenceReady", "False", "WorkspaceInferenceStatusFailed", "context deadline exceeded", 1),
				Condition("WorkspaceSucceeded", "False", "workspaceFailed", "context deadline exceeded", 1))},
				Want: rt.PhaseDeploying, WantMessage: "InferenceReady: WorkspaceInferenceStatusFailed: context deadline exceeded"},
			{Name: "ready", Since: "0.12.0", Status: map[string]any{"state": "Ready", "workerNodes": []any{"node-a", "node-b"}, "conditions": conds(
				Condition("ResourceReady", "True", "workspaceResourceStatusSuccess", "workspace resource is ready", 1),
				Condition("InferenceReady", "True", "WorkspaceInferenceStatusSuccess", "Inference has been deployed successfully", 1),
				Condition("WorkspaceSucceeded", "True", "workspaceSucceeded", "workspace succeeds", 1))},
				Want: rt.PhaseRunning, WantReady: rt.Int64(1)},
			{Name: "ready-0.8", Status: map[string]any{"workerNodes": []any{"node-a"}, "conditions": conds(
				Condition("ResourceReady", "True", "workspaceResourceStatusSuccess", "ok", 1),
				Condition("InferenceReady", "True", "WorkspaceInferenceStatusSuccess", "Inference has been deployed successfully", 1),
				Condition("WorkspaceSucceeded", "True", "workspaceSucceeded", "workspace succeeds", 1))},
				Want: rt.PhaseRunning, WantReady: rt.Int64(1)},
			{Name: "not-ready-after-ready", Since: "0.12.0", Status: map[string]any{"state": "NotReady", "conditions": conds(
				Condition("ResourceReady", "True", "workspaceResourceStatusSuccess", "workspace resource is ready", 1),
				Condition("InferenceReady", "False", "ContainerCrashLoopBackOff", `container "model" is in CrashLoopBackOff`, 1),
				Condition("WorkspaceSucceeded", "False", "workspacePending", "workspace is waiting for inference workload readiness", 1))},
				Want: rt.PhaseDeploying, WantMessage: "ContainerCrashLoopBackOff"},
			{Name: "ready-stale", Since: "0.12.0", Stale: true, Status: map[string]any{"state": "Ready", "conditions": conds(
				Condition("InferenceReady", "True", "WorkspaceInferenceStatusSuccess", "ok", 1),
				Condition("WorkspaceSucceeded", "True", "workspaceSucceeded", "workspace succeeds", 1))},
				Want: rt.PhaseDeploying, WantMessage: "has not yet observed generation 2"},
			{Name: "benchmark-failed", Since: "0.12.0", Status: map[string]any{"state": "NotReady", "conditions": conds(
				Condition("InferenceReady", "True", "WorkspaceInferenceStatusSuccess", "Inference has been deployed successfully", 1),
				Condition("WorkspaceSucceeded", "False", "BenchmarkFailed", "benchmark result could not be parsed", 1))},
				Want: rt.PhaseFailed, WantMessage: "WorkspaceSucceeded: BenchmarkFailed: benchmark result could not be parsed"},
			{Name: "deleting", Status: map[string]any{"conditions": conds(
				Condition("WorkspaceDeleting", "True", "workspaceDeleted", "workspace is being deleted", 1))},
				Want: rt.PhaseTerminating},
		}
	case "kserve":
		return kserveStatusCases()
	}
	return nil
}
