// Package provider bridges the kubefoundry Terraform provider (plugin framework) to Pulumi with
// github.com/pulumi/pulumi-terraform-bridge/v3 (pkg/pf): every resource, data source and function
// is mapped to a token in the single module "index", e.g. kubefoundry_model_deployment ->
// kubefoundry:index:ModelDeployment and data source kubefoundry_sizing -> kubefoundry:index:getSizing.
package provider

import (
	_ "embed"

	pfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"

	"github.com/kubefoundry/terraform-provider-kubefoundry/pkg/kubefoundry"
	"github.com/kubefoundry/terraform-provider-kubefoundry/pulumi/provider/pkg/version"
)

// Package is the Pulumi package name; resource tokens are kubefoundry:index:<Name>.
const Package = "kubefoundry"

//go:embed cmd/pulumi-resource-kubefoundry/bridge-metadata.json
var bridgeMetadata []byte

// Provider returns the bridge's description of the kubefoundry provider.
func Provider() tfbridge.ProviderInfo {
	prov := tfbridge.ProviderInfo{
		P:                 pfbridge.ShimProvider(kubefoundry.New(version.Version)()),
		Name:              "kubefoundry",
		DisplayName:       "KubeFoundry",
		Version:           version.Version,
		Publisher:         "kubefoundry",
		Description:       "Deploy LLMs on Kubernetes through NVIDIA Dynamo, KubeRay and KAITO.",
		Keywords:          []string{"kubernetes", "llm", "dynamo", "kuberay", "kaito", "category/cloud"},
		License:           "MPL-2.0",
		Homepage:          "https://github.com/kubefoundry/terraform-provider-kubefoundry",
		Repository:        "https://github.com/kubefoundry/terraform-provider-kubefoundry",
		GitHubOrg:         "kubefoundry",
		TFProviderLicense: ref(tfbridge.MPL20LicenseType),
		MetadataInfo:      tfbridge.NewProviderMetadata(bridgeMetadata),
		JavaScript: &tfbridge.JavaScriptInfo{
			PackageName: "@kubefoundry/pulumi-kubefoundry",
		},
		Python: &tfbridge.PythonInfo{
			PackageName: "pulumi_kubefoundry",
		},
		Golang: &tfbridge.GolangInfo{
			ImportBasePath:                 "github.com/kubefoundry/terraform-provider-kubefoundry/pulumi/sdk/go/kubefoundry",
			GenerateResourceContainerTypes: true,
		},
	}
	prov.MustComputeTokens(tokens.SingleModule("kubefoundry_", "index", tokens.MakeStandard(Package)))
	prov.MustApplyAutoAliases()
	return prov
}

func ref[T any](v T) *T { return &v }
