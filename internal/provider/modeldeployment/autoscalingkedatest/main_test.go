// Package autoscalingkedatest runs `autoscaling` with a `prometheus` target through terraform
// against a cluster that serves KEDA's CRDs (github.com/kedacore/keda/v2 v2.18.3,
// Options.KEDA) and the real Dynamo 1.4 operator: the ScaledObjects we render are validated
// and stored by the API server with KEDA's own schema. KEDA's operator does not run (it would
// need a Prometheus to query), so nothing scales here; autoscalingtest scales with an HPA.
package autoscalingkedatest

import (
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) {
	acctest.MainWithOptions(m, testcluster.Options{Operators: []testcluster.Operator{testcluster.OperatorDynamo}, KEDA: true}, nil)
}
