package epptest

import (
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) {
	acctest.MainWithOptions(m, testcluster.Options{Kwok: true, GatewayAPI: true, EndpointPicker: true, LoopbackPodIPs: true}, nil)
}
