// Package provider implements the kubefoundry Terraform provider: its configuration and
// the list of resources, data sources and functions it serves.
package provider

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/provider/capacity"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/provider/catalog"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/provider/deploymentmetrics"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/provider/deploymentrequest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/provider/functions"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/provider/ggufimage"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/provider/ggufimage/buildinfra"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/provider/modeldeployment"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/provider/runtimeinstall"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/provider/sizing"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
)

var (
	_ provider.Provider              = (*kubefoundryProvider)(nil)
	_ provider.ProviderWithFunctions = (*kubefoundryProvider)(nil)
)

// New returns the provider constructor for a version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &kubefoundryProvider{version: version} }
}

type kubefoundryProvider struct {
	version string
}

func (p *kubefoundryProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "kubefoundry"
	resp.Version = p.version
}

func (p *kubefoundryProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = providerSchema()
}

func (p *kubefoundryProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	data := &providerdata.Data{
		Version:     p.version,
		HuggingFace: cfg.huggingFace(os.Getenv("HF_TOKEN")),
	}
	data.DefaultNamespace = cfg.DefaultNamespace.ValueString()
	data.OwnershipID = cfg.OwnershipID.ValueString()
	pricing, pricingDiags := cfg.pricing(ctx)
	data.Pricing = pricing
	resp.Diagnostics.Append(pricingDiags...)
	// Connection settings unknown at plan (a cluster created in the same apply) leave the
	// client unset: plan-time work needs no cluster, and apply sees known values.
	if !cfg.connectionUnknown() {
		kc, diags := cfg.kubeConfig(ctx)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		data.Kube = kube.NewLazy(kc)
	} else if req.ClientCapabilities.DeferralAllowed {
		resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
	}
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.EphemeralResourceData = data
}

func (p *kubefoundryProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		modeldeployment.NewResource,
		ggufimage.NewResource,
		runtimeinstall.NewResource,
		buildinfra.NewResource,
		deploymentrequest.NewResource,
	}
}

func (p *kubefoundryProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		capacity.NewGPUCapacityDataSource,
		modeldeployment.NewDeploymentDataSource,
		modeldeployment.NewManifestDataSource,
		catalog.NewModelCatalogDataSource,
		catalog.NewModelDataSource,
		sizing.NewPerformanceEstimateDataSource,
		sizing.NewSizingDataSource,
		deploymentmetrics.NewDataSource,
	}
}

func (p *kubefoundryProvider) Functions(_ context.Context) []func() function.Function {
	return functions.All()
}
