// Command pulumi-resource-kubefoundry is the Pulumi resource plugin of the bridged kubefoundry
// provider; the Pulumi engine starts it (it must be on PATH or named in Pulumi.yaml plugins).
package main

import (
	"context"
	_ "embed"

	pfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"

	"github.com/kubefoundry/terraform-provider-kubefoundry/pulumi/provider"
)

//go:embed schema.json
var schema []byte

func main() {
	pfbridge.Main(context.Background(), provider.Package, provider.Provider(), pfbridge.ProviderMetadata{PackageSchema: schema})
}
