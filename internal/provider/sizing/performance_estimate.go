package sizing

import (
	"context"
	"fmt"
	"math"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/perf"
)

var (
	_ datasource.DataSourceWithConfigure        = (*estimateDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*estimateDataSource)(nil)
)

// NewPerformanceEstimateDataSource returns the kubefoundry_performance_estimate data source.
func NewPerformanceEstimateDataSource() datasource.DataSource { return &estimateDataSource{} }

type estimateDataSource struct{ data *providerdata.Data }

// Backends are the engines the model is calibrated for.
var Backends = []string{"vllm", "sglang", "trtllm"}

// Quantizations are the measurements' gemm_quant_mode / moe_quant_mode values, plus bf16 for 16-bit.
var Quantizations = []string{"bf16", "fp8", "fp8_block", "nvfp4", "int4_wo"}

type estimateModel struct {
	Model              types.String  `tfsdk:"model"`
	GPU                types.String  `tfsdk:"gpu"`
	Backend            types.String  `tfsdk:"backend"`
	BackendVersion     types.String  `tfsdk:"backend_version"`
	WeightQuantization types.String  `tfsdk:"weight_quantization"`
	MoEQuantization    types.String  `tfsdk:"moe_quantization"`
	ISL                types.Int64   `tfsdk:"isl"`
	OSL                types.Int64   `tfsdk:"osl"`
	Aggregated         types.Object  `tfsdk:"aggregated"`
	Disaggregated      types.Object  `tfsdk:"disaggregated"`
	TTFTms             types.Float64 `tfsdk:"ttft_ms"`
	TPOTms             types.Float64 `tfsdk:"tpot_ms"`
	TokensPerSecGPU    types.Float64 `tfsdk:"tokens_per_second_per_gpu"`
	TokensPerSecUser   types.Float64 `tfsdk:"tokens_per_second_per_user"`
	MemoryPerGPUGiB    types.Float64 `tfsdk:"memory_per_gpu_gib"`
	GPUs               types.Int64   `tfsdk:"gpus"`
	Fits               types.Bool    `tfsdk:"fits"`
	Reason             types.String  `tfsdk:"reason"`
	GPUHourlyPrice     types.Float64 `tfsdk:"gpu_hourly_price"`
	Cloud              types.String  `tfsdk:"cloud"`
	GPUHourlyPrices    types.Map     `tfsdk:"gpu_hourly_prices"`
	PricePerGPUHour    types.Float64 `tfsdk:"price_per_gpu_hour"`
	PriceSource        types.String  `tfsdk:"price_source"`
	HourlyCost         types.Float64 `tfsdk:"hourly_cost"`
	MonthlyCost        types.Float64 `tfsdk:"monthly_cost"`
	CostPerMillion     types.Float64 `tfsdk:"cost_per_million_tokens"`
}

type parallelModel struct {
	BatchSize             types.Int64 `tfsdk:"batch_size"`
	TensorParallel        types.Int64 `tfsdk:"tensor_parallel"`
	PipelineParallel      types.Int64 `tfsdk:"pipeline_parallel"`
	AttentionDataParallel types.Int64 `tfsdk:"attention_data_parallel"`
	MoETensorParallel     types.Int64 `tfsdk:"moe_tensor_parallel"`
	MoEExpertParallel     types.Int64 `tfsdk:"moe_expert_parallel"`
	Workers               types.Int64 `tfsdk:"workers"`
}

func parallelAttributes(workers bool, role string) map[string]schema.Attribute {
	atLeast1 := []validator.Int64{int64validator.AtLeast(1)}
	a := map[string]schema.Attribute{
		"batch_size": schema.Int64Attribute{Optional: true, Validators: atLeast1,
			MarkdownDescription: "Requests each attention data-parallel rank of a " + role + " runs at once (concurrency per rank). Default 1."},
		"tensor_parallel": schema.Int64Attribute{Optional: true, Validators: atLeast1,
			MarkdownDescription: "Tensor-parallel size of attention and dense layers. Default 1."},
		"pipeline_parallel": schema.Int64Attribute{Optional: true, Validators: atLeast1,
			MarkdownDescription: "Pipeline-parallel stages. Default 1."},
		"attention_data_parallel": schema.Int64Attribute{Optional: true, Validators: atLeast1,
			MarkdownDescription: "Attention data-parallel ranks (DeepSeek-style: each rank keeps its own requests and KV cache). " +
				"GPUs per " + role + " = tensor_parallel x attention_data_parallel x pipeline_parallel. Default 1."},
		"moe_tensor_parallel": schema.Int64Attribute{Optional: true, Validators: atLeast1,
			MarkdownDescription: "Tensor-parallel size inside each expert. With `moe_expert_parallel` it splits the experts over the " + role +
				"'s GPUs (their product must equal tensor_parallel x attention_data_parallel). Default: whatever `moe_expert_parallel` leaves. " +
				"No effect for dense models."},
		"moe_expert_parallel": schema.Int64Attribute{Optional: true, Validators: atLeast1,
			MarkdownDescription: "Expert-parallel size: experts are spread over this many GPU groups. Default 1. No effect for dense models."},
	}
	if workers {
		a["workers"] = schema.Int64Attribute{Optional: true, Validators: atLeast1,
			MarkdownDescription: "How many " + role + " workers serve together. Default 1."}
	}
	return a
}

func (d *estimateDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_performance_estimate"
}

func (d *estimateDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerdata.From(req.ProviderData, &resp.Diagnostics)
}

func (d *estimateDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("aggregated"), path.MatchRoot("disaggregated")),
	}
}

func estimateInputAttributes() map[string]schema.Attribute {
	quant := func(what string) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, Validators: []validator.String{stringvalidator.OneOf(Quantizations...)},
			MarkdownDescription: "Precision of the " + what + ": one of `bf16`, `fp8`, `fp8_block`, `nvfp4`, `int4_wo` " +
				"(AIConfigurator's quant modes). Default: the checkpoint's own quantization, else 16-bit."}
	}
	return map[string]schema.Attribute{
		"model": schema.StringAttribute{Required: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			MarkdownDescription: "Hugging Face id. The architecture comes from the embedded table (every model of the sizing " +
				"reference data and its aliases) or else from the Hub's `config.json` (through the provider's `huggingface` settings)."},
		"gpu": schema.StringAttribute{Required: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			MarkdownDescription: "GPU system name (`h100_sxm`, `h200_sxm`, `b200_sxm`, `b300_sxm`, `gb200`, `gb300`, `a100_sxm`, `l40s`, `l4`, …) " +
				"or a node product label (`nvidia.com/gpu.product`, e.g. `NVIDIA-H100-80GB-HBM3`)."},
		"backend": schema.StringAttribute{Required: true, Validators: []validator.String{stringvalidator.OneOf(Backends...)},
			MarkdownDescription: "Inference engine: `vllm`, `sglang` or `trtllm`."},
		"backend_version": schema.StringAttribute{Optional: true,
			MarkdownDescription: "Engine version, for the record; the model is calibrated per engine, not per version."},
		"weight_quantization": quant("attention and dense weights (GEMMs)"),
		"moe_quantization":    quant("expert weights"),
		"isl": schema.Int64Attribute{Required: true, Validators: []validator.Int64{int64validator.AtLeast(1)},
			MarkdownDescription: "Input (prompt) tokens per request."},
		"osl": schema.Int64Attribute{Required: true, Validators: []validator.Int64{int64validator.AtLeast(1)},
			MarkdownDescription: "Output tokens per request."},
		"aggregated": schema.SingleNestedAttribute{Optional: true, Attributes: parallelAttributes(false, "worker"),
			MarkdownDescription: "Aggregated serving: every worker prefills and decodes (in-flight batching). Exactly one of `aggregated` and `disaggregated`."},
		"disaggregated": schema.SingleNestedAttribute{Optional: true,
			MarkdownDescription: "Disaggregated serving: prefill workers hand the KV cache to decode workers. Exactly one of `aggregated` and `disaggregated`.",
			Attributes: map[string]schema.Attribute{
				"prefill": schema.SingleNestedAttribute{Required: true, Attributes: parallelAttributes(true, "prefill worker"),
					MarkdownDescription: "Prefill workers and their layout."},
				"decode": schema.SingleNestedAttribute{Required: true, Attributes: parallelAttributes(true, "decode worker"),
					MarkdownDescription: "Decode workers and their layout; `batch_size` x ranks x workers is the concurrency served."},
			}},
	}
}

func estimateOutputAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"ttft_ms":                    schema.Float64Attribute{Computed: true, MarkdownDescription: "Expected mean time to first token, milliseconds."},
		"tpot_ms":                    schema.Float64Attribute{Computed: true, MarkdownDescription: "Expected mean time per output token after the first, milliseconds."},
		"tokens_per_second_per_gpu":  schema.Float64Attribute{Computed: true, MarkdownDescription: "Output tokens per second per GPU at this concurrency."},
		"tokens_per_second_per_user": schema.Float64Attribute{Computed: true, MarkdownDescription: "Output tokens per second one request sees (1000 / tpot_ms)."},
		"memory_per_gpu_gib":         schema.Float64Attribute{Computed: true, MarkdownDescription: "Memory per GPU of the most loaded worker: weights, KV cache of the batch (up to what fits), activations and engine overhead, GiB."},
		"gpus":                       schema.Int64Attribute{Computed: true, MarkdownDescription: "GPUs of the whole configuration (all workers)."},
		"fits":                       schema.BoolAttribute{Computed: true, MarkdownDescription: "False when the weights plus the KV cache of the batch do not fit in GPU memory (engines queue a batch up to about 4x what the cache holds, so such a batch still fits, with a note in `reason`); the times are then null."},
		"reason":                     schema.StringAttribute{Computed: true, MarkdownDescription: "Why it does not fit, or a note when the KV cache holds fewer requests than the batch (the rest queue); empty otherwise."},
	}
}

func (d *estimateDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := estimateInputAttributes()
	for k, v := range estimateOutputAttributes() {
		attrs[k] = v
	}
	for k, v := range pricingInputAttributes() {
		attrs[k] = v
	}
	attrs["hourly_cost"] = schema.Float64Attribute{Computed: true, MarkdownDescription: "USD per hour for all `gpus` at `price_per_gpu_hour`; null without a price."}
	attrs["monthly_cost"] = schema.Float64Attribute{Computed: true, MarkdownDescription: "USD per 730-hour month; null without a price."}
	attrs["cost_per_million_tokens"] = schema.Float64Attribute{Computed: true,
		MarkdownDescription: "USD per million output tokens at `tokens_per_second_per_gpu`; null without a price or when the configuration does not fit."}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Estimates time to first token, time per output token, throughput and memory of one serving " +
			"configuration (model, GPU, engine, precision, sequence lengths, parallel layout) with an analytic model of the " +
			"hardware and the engine: weights, KV cache and activations per GPU, compute-bound prefill, bandwidth-bound " +
			"decode, in-flight batching, tensor/pipeline/attention-data/expert parallel and disaggregated prefill/decode. " +
			"Offline; GPU facts and calibration from NVIDIA AIConfigurator's data (ai-dynamo/aiconfigurator 095f58a5).",
		Attributes: attrs,
	}
}

func (d *estimateDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg estimateModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in, diags := buildInput(ctx, d.data, &cfg)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	out := perf.Estimate(in)
	setEstimateCost(ctx, d.data, &cfg, in.GPU, out, &resp.Diagnostics)
	cfg.GPUs = types.Int64Value(int64(out.GPUs))
	cfg.Fits = types.BoolValue(out.Fits)
	cfg.Reason = types.StringValue(out.Reason)
	cfg.MemoryPerGPUGiB = types.Float64Value(round(out.MemoryPerGPUGiB, 2))
	if out.Fits {
		cfg.TTFTms = types.Float64Value(round(out.TTFTms, 2))
		cfg.TPOTms = types.Float64Value(round(out.TPOTms, 3))
		cfg.TokensPerSecGPU = types.Float64Value(round(out.TokensPerSecondPerGPU, 2))
		cfg.TokensPerSecUser = types.Float64Value(round(out.TokensPerSecUser, 2))
	} else {
		cfg.TTFTms, cfg.TPOTms = types.Float64Null(), types.Float64Null()
		cfg.TokensPerSecGPU, cfg.TokensPerSecUser = types.Float64Null(), types.Float64Null()
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// round keeps state stable and readable (estimates are not precise to more digits).
func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

func buildInput(ctx context.Context, d *providerdata.Data, cfg *estimateModel) (perf.Input, diag.Diagnostics) {
	var diags diag.Diagnostics
	arch, err := resolveArch(ctx, d, cfg.Model.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("model"), "Unknown model architecture", err.Error())
		return perf.Input{}, diags
	}
	gpu, err := perf.LookupGPU(cfg.GPU.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("gpu"), "Unknown GPU", err.Error())
		return perf.Input{}, diags
	}
	in := perf.Input{Arch: arch, GPU: gpu, Backend: cfg.Backend.ValueString(),
		WeightQuant: quantOr(cfg.WeightQuantization, arch.WeightQuant), MoEQuant: quantOr(cfg.MoEQuantization, arch.MoEQuant),
		ISL: int(cfg.ISL.ValueInt64()), OSL: int(cfg.OSL.ValueInt64())}
	if !cfg.Aggregated.IsNull() {
		p, ds := parallelFrom(ctx, cfg.Aggregated, path.Root("aggregated"))
		diags.Append(ds...)
		in.Aggregated = &p
		return in, diags
	}
	var roles struct {
		Prefill types.Object `tfsdk:"prefill"`
		Decode  types.Object `tfsdk:"decode"`
	}
	diags.Append(cfg.Disaggregated.As(ctx, &roles, basetypes.ObjectAsOptions{})...)
	if diags.HasError() {
		return in, diags
	}
	pre, ds := parallelFrom(ctx, roles.Prefill, path.Root("disaggregated").AtName("prefill"))
	diags.Append(ds...)
	dec, ds := parallelFrom(ctx, roles.Decode, path.Root("disaggregated").AtName("decode"))
	diags.Append(ds...)
	in.Prefill, in.Decode = &pre, &dec
	return in, diags
}

func quantOr(v types.String, checkpoint string) string {
	if v.IsNull() || v.IsUnknown() {
		return checkpoint
	}
	if v.ValueString() == "bf16" {
		return ""
	}
	return v.ValueString()
}

func parallelFrom(ctx context.Context, o types.Object, at path.Path) (perf.Parallel, diag.Diagnostics) {
	var m parallelModel
	attrs := o.Attributes()
	if _, ok := attrs["workers"]; !ok {
		// aggregated has no workers attribute: add it as null so one struct serves both.
		withWorkers := map[string]attr.Value{"workers": types.Int64Null()}
		for k, v := range attrs {
			withWorkers[k] = v
		}
		attrs = withWorkers
	}
	attrTypes := map[string]attr.Type{}
	for k, v := range attrs {
		attrTypes[k] = v.Type(ctx)
	}
	obj, diags := types.ObjectValue(attrTypes, attrs)
	if diags.HasError() {
		return perf.Parallel{}, diags
	}
	diags.Append(obj.As(ctx, &m, basetypes.ObjectAsOptions{})...)
	p := perf.Parallel{
		BatchSize:             intOr(m.BatchSize, 1),
		TensorParallel:        intOr(m.TensorParallel, 1),
		PipelineParallel:      intOr(m.PipelineParallel, 1),
		AttentionDataParallel: intOr(m.AttentionDataParallel, 1),
		Workers:               intOr(m.Workers, 1),
	}
	group := p.TensorParallel * p.AttentionDataParallel
	p.MoEExpertParallel = intOr(m.MoEExpertParallel, 1)
	p.MoETensorParallel = intOr(m.MoETensorParallel, max(1, group/p.MoEExpertParallel))
	if m.MoETensorParallel.IsNull() && group%p.MoEExpertParallel != 0 || p.MoETensorParallel*p.MoEExpertParallel != group {
		diags.AddAttributeError(at.AtName("moe_expert_parallel"), "Expert layout does not match the worker's GPUs",
			fmt.Sprintf("moe_tensor_parallel (%d) x moe_expert_parallel (%d) must equal tensor_parallel x attention_data_parallel (%d): "+
				"the experts are split over the same GPUs as attention. Adjust one of them.", p.MoETensorParallel, p.MoEExpertParallel, group))
	}
	return p, diags
}

func intOr(v types.Int64, def int) int {
	if v.IsNull() || v.IsUnknown() {
		return def
	}
	return int(v.ValueInt64())
}
