// Package kubefoundry exposes the provider constructor outside this module, so that
// bridges (for example a Pulumi bridge) can import the provider without internal packages.
package kubefoundry

import (
	"github.com/hashicorp/terraform-plugin-framework/provider"

	internal "github.com/kubefoundry/terraform-provider-kubefoundry/internal/provider"
)

// RegistryAddress is the provider's source address in the Terraform registry.
const RegistryAddress = "registry.terraform.io/kubefoundry/kubefoundry"

// New returns a constructor for the provider at the given version.
func New(version string) func() provider.Provider {
	return internal.New(version)
}
