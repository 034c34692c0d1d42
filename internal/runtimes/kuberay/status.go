package kuberay

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Serve application states that mean the deployment is broken rather than progressing.
var failedAppStates = map[string]bool{"DEPLOY_FAILED": true, "UNHEALTHY": true}

// Ready condition reasons after which KubeRay never progresses on its own: its validation
// rejected the object (1.6: reason ValidationFailed, next to the InvalidRayService* event) or
// the ray.io/initializing-timeout annotation expired (apis/ray/v1/rayservice_types.go,
// controllers/ray/rayservice_controller.go, ray-project/kuberay v1.6.2).
var terminalReadyReasons = map[string]bool{"ValidationFailed": true, "InitializingTimeout": true}

// KubeRay 1.7 conditions (apis/ray/v1/rayservice_types.go, ray-project/kuberay v1.7.0):
//   - RollbackInProgress: a spec changed mid-upgrade, traffic goes back to the active
//     cluster first. Its reason was TargetClusterChanged before 1.7.0 and is
//     DesiredClusterSpecChanged since; both mean the same here.
//   - Suspending / Suspended: spec.suspend = true (new in 1.7.0; we never render it, so
//     someone set it out of band). KubeRay deletes the RayClusters and Services and
//     reconciles nothing else until it is false again: no wait can end Running.
const (
	condRollback   = "RollbackInProgress"
	condSuspending = "Suspending"
	condSuspended  = "Suspended"
)

// Status maps the RayService conditions (Ready, UpgradeInProgress; KubeRay >= 1.3;
// RollbackInProgress, Suspending, Suspended; 1.7) and the Serve application statuses.
// status.serviceStatus is deprecated and only used when no conditions exist.
func (Runtime) Status(obj *unstructured.Unstructured, pods []corev1.Pod, events []corev1.Event) runtimes.Status {
	conds := runtimes.Conditions(obj)
	observed, _ := runtimes.StatusObservedGeneration(obj)
	st := runtimes.Status{Current: observed >= obj.GetGeneration()}
	cluster := []string{"status", "activeServiceStatus", "rayClusterStatus"}
	st.Desired = runtimes.IntAt(obj.Object, append(cluster, "desiredWorkerReplicas")...)
	if st.Desired == 0 {
		st.Desired = specWorkerReplicas(obj)
	}
	st.Ready = runtimes.IntAt(obj.Object, append(cluster, "readyWorkerReplicas")...)
	st.Available = runtimes.IntAt(obj.Object, append(cluster, "availableWorkerReplicas")...)

	ready, hasReady := runtimes.FindCondition(conds, "Ready")
	upgrading, hasUpgrade := runtimes.FindCondition(conds, "UpgradeInProgress")
	rollback, hasRollback := runtimes.FindCondition(conds, condRollback)
	suspended, hasSuspended := runtimes.FindCondition(conds, condSuspended)
	suspending, hasSuspending := runtimes.FindCondition(conds, condSuspending)
	switch failed := failedApplications(obj); {
	case (hasSuspended && suspended.IsTrue()) || (hasSuspending && suspending.IsTrue()) || suspendRequested(obj):
		st.Phase, st.Message = runtimes.PhaseFailed, "the RayService is suspended (spec.suspend = true, set outside this "+
			"provider; KubeRay deletes its RayClusters and Services and serves nothing): set spec.suspend to false to resume"
	case failed != "":
		st.Phase, st.Message = runtimes.PhaseFailed, failed
	case hasReady && ready.IsFalse() && terminalReadyReasons[ready.Reason]:
		st.Phase, st.Message = runtimes.PhaseFailed, ready.Describe()
	case hasRollback && rollback.IsTrue():
		st.Phase, st.Message = runtimes.PhaseDeploying, "rolling back an upgrade: "+rollback.Describe()
	case hasUpgrade && upgrading.IsTrue():
		st.Phase, st.Message = runtimes.PhaseDeploying, "upgrade in progress: "+upgrading.Describe()
	case hasReady && ready.IsTrue():
		// Ready only means "serve endpoints > 0": after an in-place serveConfigV2 change the
		// old replicas keep serving while the new config deploys (applicationStatuses go
		// DEPLOYING), so Running also needs every application RUNNING.
		st.Phase = runtimes.PhaseRunning
		if waiting := applicationsNotRunning(obj); st.Current && waiting != "" {
			st.Phase, st.Message = runtimes.PhaseDeploying, waiting
		}
	case hasReady:
		st.Phase, st.Message = runtimes.PhaseDeploying, ready.Describe()
	case runtimes.StringAt(obj.Object, "status", "serviceStatus") == "Running":
		st.Phase = runtimes.PhaseRunning
	default:
		st.Phase = runtimes.PhasePending
	}
	return runtimes.Finish(st, obj, pods, events)
}

// failedApplications describes every Serve application in DEPLOY_FAILED or UNHEALTHY, in
// the active (serving) and pending (upgrading) clusters.
func failedApplications(obj *unstructured.Unstructured) string {
	var parts []string
	for _, side := range []string{"activeServiceStatus", "pendingServiceStatus"} {
		apps, _, _ := unstructured.NestedMap(obj.Object, "status", side, "applicationStatuses")
		parts = append(parts, describeApplications(apps, func(state string) bool { return failedAppStates[state] })...)
	}
	return strings.Join(parts, "; ")
}

// applicationsNotRunning describes the active cluster's Serve applications that are not
// RUNNING, or says that none is reported yet ("" when all are RUNNING).
func applicationsNotRunning(obj *unstructured.Unstructured) string {
	apps, _, _ := unstructured.NestedMap(obj.Object, "status", "activeServiceStatus", "applicationStatuses")
	if len(apps) == 0 {
		return "waiting for KubeRay to report the Serve application status"
	}
	return strings.Join(describeApplications(apps, func(state string) bool { return state != "RUNNING" }), "; ")
}

// describeApplications says, by name, "Serve application <name> is <state>[: <message>]"
// for each application of an applicationStatuses map whose state pick selects.
func describeApplications(apps map[string]any, pick func(state string) bool) []string {
	var out []string
	for _, name := range runtimes.SortedKeys(apps) {
		app, _ := apps[name].(map[string]any)
		state := runtimes.StringAt(app, "status")
		if !pick(state) {
			continue
		}
		msg := fmt.Sprintf("Serve application %s is %s", name, state)
		if m := runtimes.StringAt(app, "message"); m != "" {
			msg += ": " + m
		}
		out = append(out, msg)
	}
	return out
}

func specWorkerReplicas(obj *unstructured.Unstructured) int64 {
	groups, _, _ := unstructured.NestedSlice(obj.Object, "spec", "rayClusterConfig", "workerGroupSpecs")
	var n int64
	for _, g := range groups {
		m, _ := g.(map[string]any)
		n += runtimes.IntAt(m, "replicas")
	}
	return n
}

var _ runtimes.Settler = Runtime{}

// SettleAfterUpdate covers the one reconcile in which KubeRay stamps the new
// observedGeneration but still reports the Serve application statuses it read before
// submitting the new serveConfigV2 (reconcileServe reads them first, then
// updateServeDeployment; rayservice_controller.go, ray-project/kuberay v1.6.2). The next
// reconcile follows after ServiceDefaultRequeueDuration = 2 s; two of them fit in 5 s.
func (Runtime) SettleAfterUpdate() time.Duration { return 5 * time.Second }

// suspendRequested reads spec.suspend (KubeRay >= 1.7.0; older CRDs prune it).
func suspendRequested(obj *unstructured.Unstructured) bool {
	v, _, _ := unstructured.NestedBool(obj.Object, "spec", "suspend")
	return v
}
