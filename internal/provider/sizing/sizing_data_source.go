package sizing

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/perf"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/search"
)

var (
	_ datasource.DataSourceWithConfigure        = (*sizingDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*sizingDataSource)(nil)
)

// NewSizingDataSource returns the kubefoundry_sizing data source.
func NewSizingDataSource() datasource.DataSource { return &sizingDataSource{} }

type sizingDataSource struct{ data *providerdata.Data }

type sizingModel struct {
	Model              types.String  `tfsdk:"model"`
	GPU                types.String  `tfsdk:"gpu"`
	Backend            types.String  `tfsdk:"backend"`
	WeightQuantization types.String  `tfsdk:"weight_quantization"`
	MoEQuantization    types.String  `tfsdk:"moe_quantization"`
	ISL                types.Int64   `tfsdk:"isl"`
	OSL                types.Int64   `tfsdk:"osl"`
	Concurrency        types.Int64   `tfsdk:"concurrency"`
	RequestRate        types.Float64 `tfsdk:"request_rate"`
	TTFTms             types.Float64 `tfsdk:"ttft_ms"`
	TPOTms             types.Float64 `tfsdk:"tpot_ms"`
	MaxGPUs            types.Int64   `tfsdk:"max_gpus"`
	GPUHourlyPrice     types.Float64 `tfsdk:"gpu_hourly_price"`
	Cloud              types.String  `tfsdk:"cloud"`
	GPUHourlyPrices    types.Map     `tfsdk:"gpu_hourly_prices"`
	PricePerGPUHour    types.Float64 `tfsdk:"price_per_gpu_hour"`
	PriceSource        types.String  `tfsdk:"price_source"`
	MaxResults         types.Int64   `tfsdk:"max_results"`
	Configurations     types.List    `tfsdk:"configurations"`
}

var disaggAttrTypes = map[string]attr.Type{
	"prefill_replicas": types.Int64Type, "prefill_gpus": types.Int64Type,
	"decode_replicas": types.Int64Type, "decode_gpus": types.Int64Type,
}

var configAttrTypes = map[string]attr.Type{
	"engine": types.StringType, "mode": types.StringType, "replicas": types.Int64Type, "gpus": types.Int64Type,
	"disaggregated":   types.ObjectType{AttrTypes: disaggAttrTypes},
	"tensor_parallel": types.Int64Type, "attention_data_parallel": types.Int64Type, "moe_expert_parallel": types.Int64Type,
	"batch_size": types.Int64Type, "total_gpus": types.Int64Type,
	"ttft_ms": types.Float64Type, "tpot_ms": types.Float64Type,
	"tokens_per_second_per_gpu": types.Float64Type, "tokens_per_second_per_user": types.Float64Type,
	"hourly_cost": types.Float64Type, "monthly_cost": types.Float64Type, "cost_per_million_tokens": types.Float64Type,
}

func (d *sizingDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sizing"
}

func (d *sizingDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerdata.From(req.ProviderData, &resp.Diagnostics)
}

func (d *sizingDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.Conflicting(path.MatchRoot("concurrency"), path.MatchRoot("request_rate")),
		datasourcevalidator.AtLeastOneOf(path.MatchRoot("ttft_ms"), path.MatchRoot("tpot_ms")),
	}
}

func computedInt(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
}

func computedFloat(desc string) schema.Float64Attribute {
	return schema.Float64Attribute{Computed: true, MarkdownDescription: desc}
}

func (d *sizingDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	in := estimateInputAttributes()
	positive := []validator.Float64{float64validator.AtLeast(0.001)}
	attrs := map[string]schema.Attribute{
		"model":               in["model"],
		"gpu":                 in["gpu"],
		"weight_quantization": in["weight_quantization"],
		"moe_quantization":    in["moe_quantization"],
		"isl":                 in["isl"],
		"osl":                 in["osl"],
		"backend": schema.StringAttribute{Optional: true, Validators: []validator.String{stringvalidator.OneOf(Backends...)},
			MarkdownDescription: "Only this engine (`vllm`, `sglang`, `trtllm`). Default: all three compete."},
		"concurrency": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.AtLeast(1)},
			MarkdownDescription: "Requests in flight the deployment must carry. Conflicts with `request_rate`; with neither, one replica is sized."},
		"request_rate": schema.Float64Attribute{Optional: true, Validators: positive,
			MarkdownDescription: "Requests per second the deployment must complete. Conflicts with `concurrency`."},
		"ttft_ms": schema.Float64Attribute{Optional: true, Validators: positive,
			MarkdownDescription: "Target mean time to first token, milliseconds. At least one of `ttft_ms` and `tpot_ms`."},
		"tpot_ms": schema.Float64Attribute{Optional: true, Validators: positive,
			MarkdownDescription: "Target mean time per output token, milliseconds (1000 / tokens per second per user)."},
		"max_gpus": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.AtLeast(1)},
			MarkdownDescription: "GPU budget: configurations needing more GPUs in all are left out."},
		"max_results": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.Between(1, 50)},
			MarkdownDescription: "How many configurations to return, best first. Default 5."},
		"configurations": schema.ListNestedAttribute{Computed: true,
			MarkdownDescription: "Configurations meeting the targets, ranked by output tokens per second per GPU. `engine`, `mode`, `replicas`, " +
				"`gpus` and `disaggregated` feed `kubefoundry_model_deployment` directly; the parallel layout goes to `engine_args`.",
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"engine":   schema.StringAttribute{Computed: true, MarkdownDescription: "Engine (`kubefoundry_model_deployment.engine`)."},
				"mode":     schema.StringAttribute{Computed: true, MarkdownDescription: "`aggregated` or `disaggregated` (`kubefoundry_model_deployment.mode`)."},
				"replicas": computedInt("Aggregated worker replicas (`kubefoundry_model_deployment.replicas`); 1 when disaggregated."),
				"gpus":     computedInt("GPUs per aggregated worker (`kubefoundry_model_deployment.gpus`); the decode worker's when disaggregated."),
				"disaggregated": schema.SingleNestedAttribute{Computed: true,
					MarkdownDescription: "Prefill/decode workers (`kubefoundry_model_deployment.disaggregated`); null when aggregated.",
					Attributes: map[string]schema.Attribute{
						"prefill_replicas": computedInt("Prefill workers."),
						"prefill_gpus":     computedInt("GPUs per prefill worker."),
						"decode_replicas":  computedInt("Decode workers."),
						"decode_gpus":      computedInt("GPUs per decode worker."),
					}},
				"tensor_parallel":            computedInt("Tensor parallel of the (decode) worker."),
				"attention_data_parallel":    computedInt("Attention data-parallel ranks of the (decode) worker."),
				"moe_expert_parallel":        computedInt("Expert parallel of the (decode) worker; 1 for dense models."),
				"batch_size":                 computedInt("Requests per attention rank of the (decode) worker."),
				"total_gpus":                 computedInt("GPUs in all."),
				"ttft_ms":                    computedFloat("Expected mean time to first token, milliseconds."),
				"tpot_ms":                    computedFloat("Expected mean time per output token, milliseconds."),
				"tokens_per_second_per_gpu":  computedFloat("Output tokens per second per GPU."),
				"tokens_per_second_per_user": computedFloat("Output tokens per second one request sees."),
				"hourly_cost":                computedFloat("USD per hour for all GPUs at `price_per_gpu_hour`; null without a price."),
				"monthly_cost":               computedFloat("USD per 730-hour month; null without a price."),
				"cost_per_million_tokens":    computedFloat("USD per million output tokens at this throughput; null without a price."),
			}},
		},
	}
	for k, v := range pricingInputAttributes() {
		attrs[k] = v
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Sizes a deployment by intent: model, GPU type, workload (`isl`, `osl`, `concurrency` or `request_rate`) and " +
			"latency targets in, ranked aggregated and disaggregated configurations out (engine, tensor/attention-data/expert parallel, " +
			"batch, workers, replicas, GPUs, tokens/s per GPU and per user, cost). Uses the model of `kubefoundry_performance_estimate`. " +
			"When nothing meets the targets the read fails and names the closest configuration.",
		Attributes: attrs,
	}
}

func (d *sizingDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg sizingModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	arch, err := resolveArch(ctx, d.data, cfg.Model.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("model"), "Unknown model architecture", err.Error())
		return
	}
	gpu, err := perf.LookupGPU(cfg.GPU.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("gpu"), "Unknown GPU", err.Error())
		return
	}
	q, priced, diags := quote(ctx, d.data, gpuPriceName(cfg.GPU.ValueString(), gpu),
		priceInputs{Single: cfg.GPUHourlyPrice, Cloud: cfg.Cloud, Map: cfg.GPUHourlyPrices})
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.PricePerGPUHour, cfg.PriceSource = priceValues(q, priced)
	r := search.Request{Arch: arch, GPU: gpu, Backends: Backends,
		WeightQuant: quantOr(cfg.WeightQuantization, arch.WeightQuant), MoEQuant: quantOr(cfg.MoEQuantization, arch.MoEQuant),
		ISL: int(cfg.ISL.ValueInt64()), OSL: int(cfg.OSL.ValueInt64()),
		Concurrency: int(cfg.Concurrency.ValueInt64()), RequestRate: cfg.RequestRate.ValueFloat64(),
		TTFTms: cfg.TTFTms.ValueFloat64(), TPOTms: cfg.TPOTms.ValueFloat64(),
		MaxGPUs: int(cfg.MaxGPUs.ValueInt64()), GPUHourlyPrice: q.PerGPUHour}
	if !cfg.Backend.IsNull() {
		r.Backends = []string{cfg.Backend.ValueString()}
	}
	found, err := search.Run(r)
	if err != nil {
		resp.Diagnostics.AddError("No configuration meets the targets",
			err.Error()+". Relax ttft_ms/tpot_ms, raise max_gpus, lower concurrency, or choose a larger GPU.")
		return
	}
	n := 5
	if !cfg.MaxResults.IsNull() {
		n = int(cfg.MaxResults.ValueInt64())
	}
	found = found[:min(n, len(found))]
	items := make([]attr.Value, 0, len(found))
	for _, c := range found {
		v, diags := configValue(c, priced)
		resp.Diagnostics.Append(diags...)
		items = append(items, v)
	}
	list, diags := types.ListValue(types.ObjectType{AttrTypes: configAttrTypes}, items)
	resp.Diagnostics.Append(diags...)
	cfg.Configurations = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

func configValue(c search.Config, priced bool) (attr.Value, diag.Diagnostics) {
	o := c.Estimate
	i := func(v int) attr.Value { return types.Int64Value(int64(v)) }
	cost := func(v float64) attr.Value {
		if !priced {
			return types.Float64Null()
		}
		return types.Float64Value(round(v, 4))
	}
	mode, replicas := "aggregated", c.Replicas
	disagg := types.ObjectNull(disaggAttrTypes)
	if c.Disaggregated {
		mode, replicas = "disaggregated", 1
		disagg = types.ObjectValueMust(disaggAttrTypes, map[string]attr.Value{
			"prefill_replicas": i(c.Replicas * c.Prefill.Workers), "prefill_gpus": i(c.Prefill.GPUsPerWorker()),
			"decode_replicas": i(c.Replicas * c.Worker.Workers), "decode_gpus": i(c.GPUsPerWorker),
		})
	}
	return types.ObjectValue(configAttrTypes, map[string]attr.Value{
		"engine": types.StringValue(c.Backend), "mode": types.StringValue(mode), "replicas": i(replicas), "gpus": i(c.GPUsPerWorker),
		"disaggregated": disagg, "tensor_parallel": i(c.Worker.TensorParallel), "attention_data_parallel": i(c.Worker.AttentionDataParallel),
		"moe_expert_parallel": i(c.Worker.MoEExpertParallel), "batch_size": i(c.Worker.BatchSize), "total_gpus": i(c.GPUs),
		"ttft_ms": types.Float64Value(round(o.TTFTms, 2)), "tpot_ms": types.Float64Value(round(o.TPOTms, 3)),
		"tokens_per_second_per_gpu":  types.Float64Value(round(o.TokensPerSecondPerGPU, 2)),
		"tokens_per_second_per_user": types.Float64Value(round(o.TokensPerSecUser, 2)),
		"hourly_cost":                cost(c.HourlyCost), "monthly_cost": cost(c.MonthlyCost), "cost_per_million_tokens": cost(c.CostPerMillionTokens),
	})
}
