package kserve_test

import (
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kserve"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

func TestStatus(t *testing.T) {
	runtimestest.CheckStatus(t, kserve.New())
}
