package catalog

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	gguf "github.com/gpustack/gguf-parser-go"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/catalog"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface"
)

// ggufReadBuffer bounds each ranged read. Headers (metadata + tensor infos)
// are a few MB at most, so only their bytes are fetched, never the weights.
var ggufReadBuffer = 1 << 20

// ggufEstimate is what a GGUF header says about running the file.
type ggufEstimate struct {
	Architecture   string
	FileType       string
	ParameterCount int64
	ContextLength  int64
	BlockCount     int64
	FileSizeBytes  int64
	ModelSizeBytes int64
	VRAMBytes      int64
	RAMBytes       int64
	GPUMemoryGB    int64
}

// estimateGGUF reads the header of file over HTTP range requests and runs the
// llama.cpp memory estimate for full GPU offload. contextSize 0 uses the
// model's trained context length.
func estimateGGUF(ctx context.Context, c *huggingface.Client, model, revision, file string, contextSize int64) (*ggufEstimate, error) {
	opts := []gguf.GGUFReadOption{gguf.SkipCache(), gguf.UseBufferSize(ggufReadBuffer)}
	if c.Token != "" {
		opts = append(opts, gguf.UseBearerAuth(c.Token))
	}
	gf, err := gguf.ParseGGUFFileRemote(ctx, c.FileURL(model, revision, file), opts...)
	if err != nil {
		return nil, fmt.Errorf("reading the GGUF header of %s/%s: %s", model, file, redactToken(err.Error(), c.Token))
	}
	var eopts []gguf.GGUFRunEstimateOption
	if contextSize > 0 {
		eopts = append(eopts, gguf.WithLLaMACppContextSize(int32(min(contextSize, math.MaxInt32))))
	}
	sum := gf.EstimateLLaMACppRun(eopts...).Summarize(true, 0, 0)
	if len(sum.Items) == 0 {
		return nil, errors.New("gguf-parser returned no estimate")
	}
	item := sum.Items[0]
	var vram uint64
	for _, v := range item.VRAMs {
		vram += uint64(v.NonUMA)
	}
	md, arch := gf.Metadata(), gf.Architecture()
	return &ggufEstimate{
		Architecture:   md.Architecture,
		FileType:       md.FileTypeDescriptor,
		ParameterCount: int64(md.Parameters),
		ContextLength:  int64(sum.ContextSize),
		BlockCount:     int64(arch.BlockCount),
		FileSizeBytes:  int64(md.FileSize),
		ModelSizeBytes: int64(md.Size),
		VRAMBytes:      int64(vram),
		RAMBytes:       int64(item.RAM.NonUMA),
		GPUMemoryGB:    int64(math.Ceil(float64(vram) / (1 << 30))),
	}, nil
}

// redactToken keeps the token out of errors from the GGUF reader, which
// builds its own HTTP client.
func redactToken(s, token string) string {
	if token == "" {
		return s
	}
	return strings.ReplaceAll(s, token, "<redacted>")
}

var ggufEstimateAttrTypes = map[string]attr.Type{
	"architecture":            types.StringType,
	"file_type":               types.StringType,
	"quantization":            types.StringType,
	"parameter_count":         types.Int64Type,
	"context_length":          types.Int64Type,
	"block_count":             types.Int64Type,
	"file_size_bytes":         types.Int64Type,
	"model_size_bytes":        types.Int64Type,
	"vram_bytes":              types.Int64Type,
	"ram_bytes":               types.Int64Type,
	"estimated_gpu_memory_gb": types.Int64Type,
}

func (e *ggufEstimate) value(file string) (types.Object, error) {
	o, diags := types.ObjectValue(ggufEstimateAttrTypes, map[string]attr.Value{
		"architecture":            types.StringValue(e.Architecture),
		"file_type":               stringOrNull(e.FileType),
		"quantization":            stringOrNull(catalog.GGUFQuantization(file)),
		"parameter_count":         types.Int64Value(e.ParameterCount),
		"context_length":          types.Int64Value(e.ContextLength),
		"block_count":             types.Int64Value(e.BlockCount),
		"file_size_bytes":         types.Int64Value(e.FileSizeBytes),
		"model_size_bytes":        types.Int64Value(e.ModelSizeBytes),
		"vram_bytes":              types.Int64Value(e.VRAMBytes),
		"ram_bytes":               types.Int64Value(e.RAMBytes),
		"estimated_gpu_memory_gb": types.Int64Value(e.GPUMemoryGB),
	})
	if diags.HasError() {
		return o, fmt.Errorf("%v", diags)
	}
	return o, nil
}

func ggufEstimateSchema() dschema.Attribute {
	num := func(d string) dschema.Attribute {
		return dschema.Int64Attribute{Computed: true, MarkdownDescription: d}
	}
	str := func(d string) dschema.Attribute {
		return dschema.StringAttribute{Computed: true, MarkdownDescription: d}
	}
	return dschema.SingleNestedAttribute{
		Computed: true,
		MarkdownDescription: "Set when `gguf_file` is: figures read from the file's GGUF header over HTTP range requests " +
			"(the weights are not downloaded) and the llama.cpp memory estimate of gguf-parser-go for full GPU offload.",
		Attributes: map[string]dschema.Attribute{
			"architecture":            str("`general.architecture`, e.g. `llama`."),
			"file_type":               str("Quantization type recorded in the header (`general.file_type`), e.g. `Q4_K_M`."),
			"quantization":            str("Quantization read from the file name, e.g. `Q4_K_M`; null if the name does not say."),
			"parameter_count":         num("Parameters counted from the tensor shapes."),
			"context_length":          num("Context size the estimate uses: `context_size` if set, else the trained context length."),
			"block_count":             num("Number of transformer blocks (layers)."),
			"file_size_bytes":         num("Size of the GGUF file."),
			"model_size_bytes":        num("Size of the weights."),
			"vram_bytes":              num("Estimated GPU memory (all devices) to run the file: weights, KV cache and compute buffers."),
			"ram_bytes":               num("Estimated host memory besides the GPU."),
			"estimated_gpu_memory_gb": num("`ceil(vram_bytes / 1024³)`."),
		},
	}
}
