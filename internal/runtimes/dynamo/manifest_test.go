package dynamo_test

import (
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

func TestManifests(t *testing.T) {
	runtimestest.CheckManifests(t, dynamo.New())
}
