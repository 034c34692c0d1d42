package resilience_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// The played operator (a stand-in: the real operators need GPUs and a kubelet) reports
// Running shortly after each generation; names starting with "hold-" stay Deploying until
// the test itself writes the status.
func TestMain(m *testing.M) {
	ctx, cancel := context.WithCancel(context.Background())
	acctest.MainWith(m, func(c *testcluster.Cluster) func() {
		go testcluster.PlayOperators(ctx, c.Dynamic, func(_ string, obj *unstructured.Unstructured) testcluster.Outcome {
			if strings.HasPrefix(obj.GetName(), "hold-") {
				return testcluster.Outcome{Phase: "Deploying"}
			}
			return testcluster.Outcome{Phase: "Running", Delay: 700 * time.Millisecond}
		})
		return cancel
	})
}
