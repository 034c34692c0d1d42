package functions

import (
	"context"
	"math"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/cost"
)

// costFunctions are the pricing functions; All lists them.
func costFunctions() []func() function.Function {
	return []func() function.Function{
		func() function.Function { return gpuHourlyCost{} },
		func() function.Function { return costPerMillionTokens{} },
	}
}

type gpuHourlyCost struct{}

func (gpuHourlyCost) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "gpu_hourly_cost"
}

func (gpuHourlyCost) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "On-demand USD list price of one GPU-hour on a cloud",
		MarkdownDescription: "Returns the built-in table's on-demand list price of one GPU-hour (" + cost.PricesAsOf + "): the hourly price " +
			"of the cloud's instance type with that GPU divided by its GPUs, e.g. `gpu_hourly_cost(\"NVIDIA-H100-80GB-HBM3\", \"aws\")` " +
			"is p5.48xlarge / 8. Fails when the cloud does not list the GPU on demand. The provider's `pricing` does not apply here " +
			"(functions cannot read provider settings).",
		Parameters: []function.Parameter{
			function.StringParameter{Name: "gpu", MarkdownDescription: "GPU: `h100`, `h200`, `b200`, `a100-80gb`, `a100-40gb`, `l40s`, `l4`, `a10g`, " +
				"a node product label (`NVIDIA-L40S`), a GKE accelerator (`nvidia-l4`) or a system name (`h100_sxm`)."},
			function.StringParameter{Name: "cloud", MarkdownDescription: "`aws`, `azure` or `gcp`."},
		},
		Return: function.Float64Return{},
	}
}

func (gpuHourlyCost) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var gpu, cloud string
	if resp.Error = req.Arguments.Get(ctx, &gpu, &cloud); resp.Error != nil {
		return
	}
	if _, ok := cost.GPUKey(gpu); !ok {
		resp.Error = function.NewArgumentFuncError(0, "unknown GPU "+quote(gpu)+": use one of "+strings.Join(cost.GPUKeys(), ", ")+" or a node product label")
		return
	}
	p, ok := cost.Lookup(cloud, gpu)
	if !ok {
		resp.Error = function.NewArgumentFuncError(1, "the table has no on-demand "+quote(cloud)+" price for "+quote(gpu)+
			" (clouds: "+strings.Join(cost.Clouds, ", ")+"); pass your own price to the data sources' gpu_hourly_price instead")
		return
	}
	resp.Error = resp.Result.Set(ctx, math.Round(p.PerGPUHour()*1e4)/1e4)
}

func quote(s string) string { return "\"" + s + "\"" }

type costPerMillionTokens struct{}

func (costPerMillionTokens) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "cost_per_million_tokens"
}

func (costPerMillionTokens) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "USD per million tokens at an hourly cost and a throughput",
		MarkdownDescription: "Returns `hourly_cost / (tokens_per_second × 3600) × 1e6`, e.g. " +
			"`cost_per_million_tokens(55.04, 8000)` is 1.9111 (eight GPUs at 1,000 tokens/s each).",
		Parameters: []function.Parameter{
			function.Float64Parameter{Name: "hourly_cost", MarkdownDescription: "USD per hour of the GPUs producing the tokens (≥ 0)."},
			function.Float64Parameter{Name: "tokens_per_second", MarkdownDescription: "Tokens per second those GPUs produce together (> 0)."},
		},
		Return: function.Float64Return{},
	}
}

func (costPerMillionTokens) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var hourly, tps float64
	if resp.Error = req.Arguments.Get(ctx, &hourly, &tps); resp.Error != nil {
		return
	}
	if resp.Error = nonNegativeArg(0, "hourly_cost", hourly); resp.Error != nil {
		return
	}
	v, ok := cost.PerMillionTokens(hourly, tps)
	if !ok {
		resp.Error = function.NewArgumentFuncError(1, "tokens_per_second must be a finite number > 0")
		return
	}
	resp.Error = resp.Result.Set(ctx, math.Round(v*1e4)/1e4)
}
