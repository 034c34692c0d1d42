package catalog

import (
	"context"

	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/catalog"
)

// modelFields are the per-model attributes shared by both data sources
// (embedded in their models, so the schemas below must list the same names).
type modelFields struct {
	Name                 types.String `tfsdk:"name"`
	Task                 types.String `tfsdk:"task"`
	ParameterCount       types.Int64  `tfsdk:"parameter_count"`
	SizeLabel            types.String `tfsdk:"size_label"`
	ContextLength        types.Int64  `tfsdk:"context_length"`
	Gated                types.Bool   `tfsdk:"gated"`
	License              types.String `tfsdk:"license"`
	Architecture         types.String `tfsdk:"architecture"`
	Engines              types.List   `tfsdk:"engines"`
	Runtimes             types.List   `tfsdk:"runtimes"`
	EstimatedGPUMemoryGB types.Int64  `tfsdk:"estimated_gpu_memory_gb"`
	RecommendedGPUs      types.Int64  `tfsdk:"recommended_gpus"`
	GPUFit               types.String `tfsdk:"gpu_fit"`
	MinGPUs              types.Int64  `tfsdk:"min_gpus"`
	Compatible           types.Bool   `tfsdk:"compatible"`
	IncompatibleReason   types.String `tfsdk:"incompatible_reason"`
	Source               types.String `tfsdk:"source"`
	PremadeID            types.String `tfsdk:"premade_id"`
	PremadeImage         types.String `tfsdk:"premade_image"`
	GGUFFiles            types.List   `tfsdk:"gguf_files"`
}

func (f *modelFields) set(ctx context.Context, m catalog.Model, gpuMemoryGB types.Float64) diag.Diagnostics {
	var diags diag.Diagnostics
	var d diag.Diagnostics
	f.Name = types.StringValue(m.Name)
	f.Task = stringOrNull(m.Task)
	f.ParameterCount = int64OrNull(m.ParameterCount)
	f.SizeLabel = stringOrNull(m.SizeLabel)
	f.ContextLength = int64OrNull(m.ContextLength)
	f.Gated = types.BoolValue(m.Gated)
	f.License = stringOrNull(m.License)
	f.Architecture = stringOrNull(m.Architecture)
	f.Engines, d = stringList(ctx, m.Engines)
	diags.Append(d...)
	f.Runtimes, d = stringList(ctx, m.Runtimes)
	diags.Append(d...)
	f.EstimatedGPUMemoryGB = int64OrNull(m.EstimatedGPUMemoryGB)
	s := sizeFor(m, gpuMemoryGB)
	f.RecommendedGPUs, f.GPUFit = s.recommended, s.fit
	f.MinGPUs = types.Int64Value(m.MinGPUs)
	f.Compatible = types.BoolValue(m.Compatible)
	f.IncompatibleReason = stringOrNull(m.IncompatibleReason)
	f.Source = types.StringValue(map[bool]string{true: "curated", false: "huggingface"}[m.Curated])
	f.PremadeID = stringOrNull(m.PremadeID)
	f.PremadeImage = stringOrNull(m.PremadeImage)
	f.GGUFFiles, d = ggufFilesValue(m)
	diags.Append(d...)
	return diags
}

// modelAttributes returns the computed per-model attributes.
func modelAttributes() map[string]dschema.Attribute {
	str := func(desc string) dschema.Attribute {
		return dschema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	num := func(desc string) dschema.Attribute {
		return dschema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	}
	list := func(desc string) dschema.Attribute {
		return dschema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: desc}
	}
	return map[string]dschema.Attribute{
		"name":                    str("Display name (the repository name for Hub models)."),
		"task":                    str("Hub pipeline tag, e.g. `text-generation`; null when the Hub has none."),
		"parameter_count":         num("Number of parameters: the Hub's safetensors (or GGUF) total, else parsed from the id (`…-7B`, `…-135M`); null if unknown."),
		"size_label":              str("Human-readable size, e.g. `0.6B`, `8x7B`, `135M`."),
		"context_length":          num("Maximum context length in tokens, when known."),
		"gated":                   dschema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the Hub requires accepting the model's license (`gated` is `auto` or `manual`). Gated models need a token: provider `huggingface.token` or `HF_TOKEN`."},
		"license":                 str("License identifier from the model card or the curated catalog."),
		"architecture":            str("Model architecture (e.g. `LlamaForCausalLM`) from `config.architectures`, or inferred from the id when the Hub hides it."),
		"engines":                 list("Inference engines that can serve the model: `vllm`, `sglang`, `trtllm`, `llamacpp` (GGUF only). Empty when incompatible."),
		"runtimes":                list("Runtimes that can run one of those engines: `dynamo` (vllm, sglang, trtllm), `kuberay` (vllm), `kaito` (vllm, llamacpp), `vllm` (vllm), `kserve` (vllm)."),
		"estimated_gpu_memory_gb": num("GPU memory estimate in GB for FP16 weights plus 20 % overhead: `ceil(parameter_count × 2 × 1.2 / 1024³)`."),
		"recommended_gpus": num("Suggested GPU count: `ceil(estimated_gpu_memory_gb / gpu_memory_gb)` when `gpu_memory_gb` is set, " +
			"else by size (< 3B: 1, < 13B: 2, < 70B: 4, else 8)."),
		"gpu_fit":             str("How the estimate compares to one GPU of `gpu_memory_gb`: `fits`, `warning` (above 80 %) or `exceeds`; null without `gpu_memory_gb`."),
		"min_gpus":            num("Minimum GPUs per replica (0 for CPU-only KAITO premade images)."),
		"compatible":          dschema.BoolAttribute{Computed: true, MarkdownDescription: "Whether at least one engine can serve the model."},
		"incompatible_reason": str("Why the model is not compatible, e.g. `Pipeline tag \"sentence-similarity\" is not supported for inference`; null when compatible."),
		"source":              str("`curated` for the embedded KubeFoundry catalog, `huggingface` for Hub results."),
		"premade_id":          str("For KAITO premade models (`kaito/…`): the AIKit premade id, e.g. `gpt-oss:20b`."),
		"premade_image":       str("For KAITO premade models: the AIKit image, e.g. `ghcr.io/kaito-project/aikit/gpt-oss:20b`."),
		"gguf_files": dschema.ListNestedAttribute{
			Computed:            true,
			MarkdownDescription: "For GGUF repositories: the `.gguf` files, sorted by name; null for other models.",
			NestedObject: dschema.NestedAttributeObject{Attributes: map[string]dschema.Attribute{
				"name":         str("File path in the repository."),
				"size_bytes":   num("File size in bytes (from the Hub file tree)."),
				"quantization": str("Quantization read from the file name, e.g. `Q4_K_M`, `Q8_0`, `IQ4_XS`, `F16`; null if the name does not say."),
				"sha256":       str("SHA-256 of the file content (the Git LFS object id)."),
			}},
		},
	}
}
