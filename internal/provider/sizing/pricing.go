package sizing

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/cost"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/perf"
)

// pricingInputAttributes are the price inputs both sizing data sources share.
func pricingInputAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"gpu_hourly_price": schema.Float64Attribute{Optional: true, Validators: []validator.Float64{float64validator.AtLeast(0)},
			MarkdownDescription: "Price of one GPU-hour in USD. Wins over `gpu_hourly_prices`, the provider's `pricing` and the built-in table."},
		"cloud": schema.StringAttribute{Optional: true,
			MarkdownDescription: "Cloud whose on-demand list price applies (`aws`, `azure`, `gcp`), from the provider's built-in table (" +
				cost.PricesAsOf + "). Default: the provider's `pricing.cloud`. Without a cloud or a price, costs are null."},
		"gpu_hourly_prices": schema.MapAttribute{ElementType: types.Float64Type, Optional: true,
			Validators: []validator.Map{mapvalidator.ValueFloat64sAre(float64validator.AtLeast(0))},
			MarkdownDescription: "USD per GPU-hour by GPU (`h100`, `a100-80gb`, …) or `<cloud>/<gpu>`, layered over the provider's " +
				"`pricing.gpu_hourly_prices` and the built-in table."},
		"price_per_gpu_hour": schema.Float64Attribute{Computed: true,
			MarkdownDescription: "The USD price of one GPU-hour the costs use; null when none is known."},
		"price_source": schema.StringAttribute{Computed: true,
			MarkdownDescription: "Where `price_per_gpu_hour` comes from (`gpu_hourly_price`, an override key, or the table's instance " +
				"type and date), or why there is no price."},
	}
}

// priceInputs are the values of pricingInputAttributes.
type priceInputs struct {
	Single types.Float64
	Cloud  types.String
	Map    types.Map
}

// gpuPriceName is the GPU's name for the price table: what the user wrote when the table
// knows it, else the system's (A100 systems by their memory).
func gpuPriceName(input string, g perf.GPU) string {
	if _, ok := cost.GPUKey(input); ok {
		return input
	}
	if strings.HasPrefix(g.Name, "a100") {
		if g.MemCapacity > 60*(1<<30) {
			return "a100-80gb"
		}
		return "a100-40gb"
	}
	return g.Name
}

// quote resolves the GPU-hour price. ok is false (with the reason as source) when none is
// known; a cloud given here that the table lacks for this GPU is a warning, not an error.
func quote(ctx context.Context, d *providerdata.Data, gpu string, in priceInputs) (q cost.Quote, ok bool, diags diag.Diagnostics) {
	if !in.Single.IsNull() && !in.Single.IsUnknown() {
		return cost.Quote{PerGPUHour: in.Single.ValueFloat64(), Source: "gpu_hourly_price"}, true, diags
	}
	base := cost.Pricing{}
	if d != nil {
		base = d.Pricing
	}
	prices := map[string]float64{}
	if !in.Map.IsNull() && !in.Map.IsUnknown() {
		diags.Append(in.Map.ElementsAs(ctx, &prices, false)...)
	}
	local, err := cost.NewPricing(in.Cloud.ValueString(), prices)
	if err != nil {
		diags.AddAttributeError(path.Root("gpu_hourly_prices"), "Invalid GPU price", err.Error())
		return q, false, diags
	}
	q, err = base.Over(local).Quote(gpu, "")
	if err != nil {
		if !in.Cloud.IsNull() || len(prices) > 0 {
			diags.AddAttributeWarning(path.Root("cloud"), "No GPU price: costs are null", err.Error())
		}
		return cost.Quote{Source: err.Error()}, false, diags
	}
	return q, true, diags
}

// priceValues are price_per_gpu_hour and price_source.
func priceValues(q cost.Quote, ok bool) (types.Float64, types.String) {
	if !ok {
		return types.Float64Null(), types.StringValue(q.Source)
	}
	return types.Float64Value(round(q.PerGPUHour, 4)), types.StringValue(q.Source)
}

// setEstimateCost fills the estimate's price and cost attributes.
func setEstimateCost(ctx context.Context, d *providerdata.Data, cfg *estimateModel, g perf.GPU, out perf.Output, diags *diag.Diagnostics) {
	q, ok, ds := quote(ctx, d, gpuPriceName(cfg.GPU.ValueString(), g), priceInputs{Single: cfg.GPUHourlyPrice, Cloud: cfg.Cloud, Map: cfg.GPUHourlyPrices})
	diags.Append(ds...)
	cfg.PricePerGPUHour, cfg.PriceSource = priceValues(q, ok)
	cfg.HourlyCost, cfg.MonthlyCost, cfg.CostPerMillion = types.Float64Null(), types.Float64Null(), types.Float64Null()
	if !ok {
		return
	}
	hourly := cost.Hourly(q.PerGPUHour, out.GPUs)
	cfg.HourlyCost = types.Float64Value(round(hourly, 4))
	cfg.MonthlyCost = types.Float64Value(round(cost.Monthly(hourly), 2))
	if perM, ok := cost.PerMillionTokens(hourly, out.TokensPerSecondPerGPU*float64(out.GPUs)); ok && out.Fits {
		cfg.CostPerMillion = types.Float64Value(round(perM, 4))
	}
}
