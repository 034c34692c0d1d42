package kaito_test

import (
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kaito"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

func TestManifests(t *testing.T) {
	runtimestest.CheckManifests(t, kaito.New())
}
