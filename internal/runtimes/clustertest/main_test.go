package clustertest

import (
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) { testcluster.Main(m) }
