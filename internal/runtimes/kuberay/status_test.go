package kuberay_test

import (
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kuberay"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

func TestStatus(t *testing.T) {
	runtimestest.CheckStatus(t, kuberay.New())
}
