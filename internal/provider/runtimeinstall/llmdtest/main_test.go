package llmdtest

import (
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// No GatewayAPI option: the InferencePool CRD must come from the install under test.
func TestMain(m *testing.M) {
	acctest.MainWithOptions(m, testcluster.Options{Kwok: true}, nil)
}
