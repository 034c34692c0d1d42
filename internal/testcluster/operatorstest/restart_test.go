package operatorstest

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// A restarted operator serves its webhooks again: Dynamo converts v1alpha1 and reconciles,
// KAITO denies an immutable change, each from its new process (ports change on restart).
func TestRestartedOperatorsServeTheirWebhooksAgain(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	ctx := context.Background()
	for _, op := range []testcluster.Operator{testcluster.OperatorDynamo, testcluster.OperatorKAITO} {
		if err := c.RestartOperator(ctx, op); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(strings.TrimSuffix(c.LogFile(op.LogName()), ".log") + ".1.log"); err != nil {
			t.Errorf("the log of the stopped %s process was not kept: %v", op, err)
		}
	}

	ns := shortNamespace(t, c, "restart")
	gpuNodes(t, c, ns, 1, 1, map[string]string{"pool": ns})
	create(t, c, dgdV1alpha1, ns, dgdV1alpha1Agg)
	waitSuccessful(t, c, dgdV1alpha1, ns, "agg-alpha")

	create(t, c, workspaceGVR, ns, workspaceManifest(ns))
	err := setWorkspaceCount(c, ns, 3)
	if err == nil || !strings.Contains(err.Error(), "field is immutable") {
		t.Errorf("count change after the KAITO restart: %v, want the webhook's denial", err)
	}
}
