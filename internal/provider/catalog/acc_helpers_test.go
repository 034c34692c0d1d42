package catalog_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface/hubtest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/provider"
)

var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"kubefoundry": providerserver.NewProtocol6WithError(provider.New("test")()),
}

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

// newHub starts the fake Hub and clears HF_TOKEN so results do not depend on
// the developer's environment.
func newHub(t *testing.T, opts ...hubtest.Option) *hubtest.Server {
	t.Setenv("HF_TOKEN", "")
	return hubtest.New(t, opts...)
}
