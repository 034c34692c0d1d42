package catalog_test

import (
	"fmt"
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface/hubtest"
)

// The catalog needs no cluster: only the fake Hub.
func TestMain(m *testing.M) { acctest.MainNoCluster(m) }

var protoV6ProviderFactories = acctest.ProtoV6ProviderFactories

// hubProvider is a provider block pointing at the fake Hub.
func hubProvider(s *hubtest.Server) string {
	return fmt.Sprintf(`
provider "kubefoundry" {
  huggingface {
    endpoint = %q
  }
}
`, s.URL)
}

// newHub starts the fake Hub and clears HF_TOKEN so results do not depend
// on the developer's environment.
func newHub(t *testing.T, opts ...hubtest.Option) *hubtest.Server {
	t.Setenv("HF_TOKEN", "")
	return hubtest.New(t, opts...)
}
