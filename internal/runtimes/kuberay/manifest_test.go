package kuberay_test

import (
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kuberay"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

func TestManifests(t *testing.T) {
	runtimestest.CheckManifests(t, kuberay.New())
}
