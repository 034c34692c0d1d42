package vllm_test

import (
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/vllm"
)

func TestManifests(t *testing.T) {
	runtimestest.CheckManifests(t, vllm.New())
}
