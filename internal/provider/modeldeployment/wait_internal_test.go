package modeldeployment

import (
	"testing"
	"time"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// D6: a transient Dynamo "failed" (the operator retries it) does not end a wait at once;
// it does when it persists for rt.TransientFailureGrace, and a recovery resets the clock.
// A non-transient failure ends the wait at once.
// fatal drops the reason: these cases only ask whether the wait ends.
func fatal(c *failureClock, st rt.Status, now time.Time) bool {
	_, stop := c.fatal(st, nil, now)
	return stop
}

func TestFailureClockToleratesTransientFailures(t *testing.T) {
	var c failureClock
	t0 := time.Now()
	transient := rt.Status{Phase: rt.PhaseFailed, Transient: true, Message: "failed_to_reconcile_the_resources: conflict"}
	if fatal(&c, transient, t0) {
		t.Fatal("a fresh transient failure ended the wait")
	}
	if fatal(&c, transient, t0.Add(rt.TransientFailureGrace/2)) {
		t.Fatal("a transient failure within the grace period ended the wait")
	}
	if fatal(&c, rt.Status{Phase: rt.PhaseDeploying}, t0.Add(rt.TransientFailureGrace/2)) {
		t.Fatal("Deploying ended the wait")
	}
	if fatal(&c, transient, t0.Add(rt.TransientFailureGrace)) {
		t.Fatal("the clock did not restart after the operator recovered")
	}
	if !fatal(&c, transient, t0.Add(2*rt.TransientFailureGrace)) {
		t.Fatal("a transient failure persisting for the grace period did not end the wait")
	}
	var fresh failureClock
	if !fatal(&fresh, rt.Status{Phase: rt.PhaseFailed, Message: "no_multinode_orchestrator_available"}, t0) {
		t.Fatal("a terminal failure did not end the wait")
	}
	if !fatal(&fresh, rt.Status{Phase: rt.PhaseDeploying, Message: "pod x container main: ImagePullBackOff"}, t0) {
		t.Fatal("ImagePullBackOff did not end the wait")
	}
}
