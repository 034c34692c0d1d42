package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/cost"
)

// pricingAttribute is the provider's `pricing`: the cloud whose list prices apply and the
// user's own GPU-hour prices, used by the sizing data sources and model deployments.
func pricingAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional: true,
		MarkdownDescription: "GPU prices for cost estimates (`kubefoundry_sizing`, `kubefoundry_performance_estimate`, " +
			"`kubefoundry_model_deployment.estimated_hourly_cost`). Without it, costs come from the provider's built-in table of " +
			"on-demand list prices (AWS, Azure, Google Cloud; " + cost.PricesAsOf + ") only where the cloud is known from the node " +
			"selector's instance type or accelerator label. See the [sizing guide](../guides/sizing.md).",
		Attributes: map[string]schema.Attribute{
			"cloud": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Cloud whose list prices apply: `aws`, `azure` or `gcp` (`eks`, `aks`, `gke` are accepted too). " +
					"Another name works with `gpu_hourly_prices` keyed `<cloud>/<gpu>`.",
			},
			"gpu_hourly_prices": schema.MapAttribute{
				ElementType: types.Float64Type,
				Optional:    true,
				MarkdownDescription: "Your USD price of one GPU-hour, overriding the table (negotiated, reserved or spot rates, " +
					"other clouds). Keys: a GPU (`h100`, `h200`, `b200`, `a100-80gb`, `a100-40gb`, `l40s`, `l4`, `a10g`, or a node " +
					"product label such as `NVIDIA-H100-80GB-HBM3`) for every cloud, or `<cloud>/<gpu>` (e.g. `aws/h100`) for one.",
				Validators: []validator.Map{mapvalidator.ValueFloat64sAre(float64validator.AtLeast(0))},
			},
		},
	}
}

type pricingModel struct {
	Cloud           types.String `tfsdk:"cloud"`
	GPUHourlyPrices types.Map    `tfsdk:"gpu_hourly_prices"`
}

// pricing reads the `pricing` attribute; a bad key is a diagnostic on it.
func (m providerModel) pricing(ctx context.Context) (cost.Pricing, diag.Diagnostics) {
	var diags diag.Diagnostics
	if m.Pricing.IsNull() || m.Pricing.IsUnknown() {
		p, _ := cost.NewPricing("", nil)
		return p, diags
	}
	var pm pricingModel
	diags.Append(m.Pricing.As(ctx, &pm, basetypes.ObjectAsOptions{})...)
	prices := map[string]float64{}
	if !pm.GPUHourlyPrices.IsNull() && !pm.GPUHourlyPrices.IsUnknown() {
		diags.Append(pm.GPUHourlyPrices.ElementsAs(ctx, &prices, false)...)
	}
	p, err := cost.NewPricing(pm.Cloud.ValueString(), prices)
	if err != nil {
		diags.AddAttributeError(path.Root("pricing").AtName("gpu_hourly_prices"), "Invalid GPU price", err.Error())
	}
	return p, diags
}
