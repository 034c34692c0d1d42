package dynamo_test

import (
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

func TestStatus(t *testing.T) {
	runtimestest.CheckStatus(t, dynamo.New())
}
