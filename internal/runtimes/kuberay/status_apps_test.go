package kuberay

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// The Serve application descriptions name each application, its state and KubeRay's message,
// sorted by name, failed ones of the active and then the pending cluster.
func TestServeApplicationDescriptions(t *testing.T) {
	app := func(state, msg string) map[string]any { return map[string]any{"status": state, "message": msg} }
	obj := &unstructured.Unstructured{Object: map[string]any{"status": map[string]any{
		"activeServiceStatus": map[string]any{"applicationStatuses": map[string]any{
			"b": app("UNHEALTHY", "replica died"), "a": app("RUNNING", ""), "c": app("DEPLOYING", "")}},
		"pendingServiceStatus": map[string]any{"applicationStatuses": map[string]any{"d": app("DEPLOY_FAILED", "")}},
	}}}
	if got, want := failedApplications(obj), "Serve application b is UNHEALTHY: replica died; Serve application d is DEPLOY_FAILED"; got != want {
		t.Errorf("failed: got %q, want %q", got, want)
	}
	if got, want := applicationsNotRunning(obj), "Serve application b is UNHEALTHY: replica died; Serve application c is DEPLOYING"; got != want {
		t.Errorf("not running: got %q, want %q", got, want)
	}
	if got := applicationsNotRunning(&unstructured.Unstructured{Object: map[string]any{}}); got != "waiting for KubeRay to report the Serve application status" {
		t.Errorf("none reported: %q", got)
	}
}
