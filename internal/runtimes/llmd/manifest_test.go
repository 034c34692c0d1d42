package llmd_test

import (
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/llmd"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

func TestManifests(t *testing.T) {
	runtimestest.CheckManifests(t, llmd.New())
}
