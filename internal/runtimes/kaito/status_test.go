package kaito_test

import (
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kaito"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

func TestStatus(t *testing.T) {
	runtimestest.CheckStatus(t, kaito.New())
}
