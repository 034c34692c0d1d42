// Package functions holds the provider's pure functions (Terraform >= 1.8):
// estimate_gpu_memory, gpus_needed, gguf_quantization, gpu_hourly_cost and
// cost_per_million_tokens. None touches the network.
package functions

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/catalog"
)

// All returns the constructors of every provider function.
func All() []func() function.Function {
	return append([]func() function.Function{
		func() function.Function { return estimateGPUMemory{} },
		func() function.Function { return gpusNeeded{} },
		func() function.Function { return ggufQuantization{} },
	}, costFunctions()...)
}

type estimateGPUMemory struct{}

func (estimateGPUMemory) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "estimate_gpu_memory"
}

func (estimateGPUMemory) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "GPU memory in GB to serve a model with FP16 weights",
		MarkdownDescription: "Returns KubeFoundry's estimate `ceil(parameter_count × 2 × 1.2 / 1024³)`: two bytes per " +
			"parameter plus 20 % for KV cache and activations, in GB (GiB). Returns 0 for 0 parameters.",
		Parameters: []function.Parameter{
			function.Float64Parameter{Name: "parameter_count", MarkdownDescription: "Number of parameters, e.g. `7e9`."},
		},
		Return: function.Int64Return{},
	}
}

func (estimateGPUMemory) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var params float64
	if resp.Error = req.Arguments.Get(ctx, &params); resp.Error != nil {
		return
	}
	if resp.Error = nonNegativeArg(0, "parameter_count", params); resp.Error != nil {
		return
	}
	resp.Error = resp.Result.Set(ctx, catalog.EstimateGPUMemoryGB(params))
}

type gpusNeeded struct{}

func (gpusNeeded) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "gpus_needed"
}

func (gpusNeeded) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Number of GPUs whose memory holds a model",
		MarkdownDescription: "Returns `ceil(memory_gb / gpu_memory_gb)`, at least 1 when `memory_gb` is positive and 0 " +
			"when it is 0, e.g. `gpus_needed(157, 80)` is 2.",
		Parameters: []function.Parameter{
			function.Float64Parameter{Name: "memory_gb", MarkdownDescription: "Memory the model needs in GB, e.g. from `estimate_gpu_memory`."},
			function.Float64Parameter{Name: "gpu_memory_gb", MarkdownDescription: "Memory of one GPU in GB (> 0)."},
		},
		Return: function.Int64Return{},
	}
}

func (gpusNeeded) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var mem, gpu float64
	if resp.Error = req.Arguments.Get(ctx, &mem, &gpu); resp.Error != nil {
		return
	}
	if resp.Error = nonNegativeArg(0, "memory_gb", mem); resp.Error != nil {
		return
	}
	if resp.Error = positiveArg(1, "gpu_memory_gb", gpu); resp.Error != nil {
		return
	}
	resp.Error = resp.Result.Set(ctx, catalog.GPUsNeeded(mem, gpu))
}

type ggufQuantization struct{}

func (ggufQuantization) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "gguf_quantization"
}

func (ggufQuantization) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Quantization named in a GGUF file name",
		MarkdownDescription: "Returns the upper-case quantization at the end of a `.gguf` file name, after `.`, `-` or `_`: " +
			"`Q4_K_M`, `Q8_0`, `Q4_0`, `IQ4_XS`, `MXFP4`, `BF16`, `F16`, … (shard suffixes like `-00001-of-00003` are ignored). " +
			"Returns an empty string when the name does not say; `coalesce(…, \"custom\")` gives KubeFoundry's image tag.",
		Parameters: []function.Parameter{
			function.StringParameter{Name: "file_name", MarkdownDescription: "GGUF file name or path, e.g. `Llama-3.2-1B-Instruct-Q4_K_M.gguf`."},
		},
		Return: function.StringReturn{},
	}
}

func (ggufQuantization) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var name string
	if resp.Error = req.Arguments.Get(ctx, &name); resp.Error != nil {
		return
	}
	resp.Error = resp.Result.Set(ctx, catalog.GGUFQuantization(name))
}
