// Command pulumi-tfgen-kubefoundry generates the Pulumi package schema, the bridge metadata and the
// language SDKs of the bridged kubefoundry provider (scripts/pulumi-gen.sh runs it).
package main

import (
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfgen"

	"github.com/kubefoundry/terraform-provider-kubefoundry/pulumi/provider"
)

func main() {
	tfgen.Main(provider.Package, provider.Provider())
}
