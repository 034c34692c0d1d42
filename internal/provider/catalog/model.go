package catalog

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/catalog"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
)

var _ datasource.DataSourceWithConfigure = (*modelDataSource)(nil)

// NewModelDataSource returns the kubefoundry_model data source.
func NewModelDataSource() datasource.DataSource { return &modelDataSource{} }

type modelDataSource struct {
	data *providerdata.Data
}

type modelModel struct {
	ID           types.String  `tfsdk:"id"`
	Revision     types.String  `tfsdk:"revision"`
	GGUFFile     types.String  `tfsdk:"gguf_file"`
	ContextSize  types.Int64   `tfsdk:"context_size"`
	GPUMemoryGB  types.Float64 `tfsdk:"gpu_memory_gb"`
	Downloads    types.Int64   `tfsdk:"downloads"`
	GGUFEstimate types.Object  `tfsdk:"gguf_estimate"`
	modelFields
}

func (d *modelDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_model"
}

func (d *modelDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerdata.From(req.ProviderData, &resp.Diagnostics)
}

func (d *modelDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := modelAttributes()
	attrs["id"] = schema.StringAttribute{
		Required: true,
		MarkdownDescription: "Hub repository (`owner/name`) or curated KAITO premade id (`kaito/…`). Curated KAITO ids " +
			"are answered from the embedded catalog; every other id is looked up on the Hub.",
	}
	attrs["revision"] = schema.StringAttribute{
		Optional:            true,
		MarkdownDescription: "Branch, tag or commit for file lookups. Defaults to `main`.",
	}
	attrs["gguf_file"] = schema.StringAttribute{
		Optional:            true,
		MarkdownDescription: "A `.gguf` file of the repository to estimate memory for from its header (fills `gguf_estimate`).",
	}
	attrs["context_size"] = schema.Int64Attribute{
		Optional:            true,
		MarkdownDescription: "Context size for the GGUF estimate (KV cache). Defaults to the model's trained context length.",
		Validators:          []validator.Int64{int64validator.AtLeast(1)},
	}
	attrs["gpu_memory_gb"] = schema.Float64Attribute{
		Optional:            true,
		MarkdownDescription: "Memory of one GPU in GB; fills `recommended_gpus` by memory and `gpu_fit`.",
		Validators:          []validator.Float64{float64validator.AtLeast(1)},
	}
	attrs["downloads"] = schema.Int64Attribute{Computed: true, MarkdownDescription: "Hub downloads over the last 30 days; null for curated KAITO ids."}
	attrs["gguf_estimate"] = ggufEstimateSchema()
	resp.Schema = schema.Schema{
		MarkdownDescription: "One model in detail: compatibility, engines and runtimes, memory estimate, GGUF files and, for a " +
			"chosen `gguf_file`, a memory estimate read from its GGUF header with HTTP range requests (no full download).",
		Attributes: attrs,
	}
}

func (d *modelDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg modelModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, rev := cfg.ID.ValueString(), cfg.Revision.ValueString()
	if rev == "" {
		rev = "main"
	}
	c := hubClient(d.data)

	m, err := d.describe(ctx, c, id, rev)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Cannot read model "+id, err.Error())
		return
	}
	cfg.Downloads = types.Int64Null()
	if !m.Curated {
		cfg.Downloads = types.Int64Value(m.Downloads)
	}
	cfg.GGUFEstimate = types.ObjectNull(ggufEstimateAttrTypes)
	if file := cfg.GGUFFile.ValueString(); file != "" {
		if err := checkGGUFFile(m, file); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("gguf_file"), "Unknown GGUF file", err.Error())
			return
		}
		est, err := estimateGGUF(ctx, c, id, rev, file, cfg.ContextSize.ValueInt64())
		if err != nil {
			if m.Gated {
				err = fmt.Errorf("%w: model %q is gated; accept the license on the Hub and set a token (provider huggingface.token or HF_TOKEN)", err, id)
			}
			resp.Diagnostics.AddAttributeError(path.Root("gguf_file"), "Cannot estimate GGUF memory", err.Error())
			return
		}
		o, err := est.value(file)
		if err != nil {
			resp.Diagnostics.AddError("Internal error", err.Error())
			return
		}
		cfg.GGUFEstimate = o
	}
	resp.Diagnostics.Append(cfg.set(ctx, m, cfg.GPUMemoryGB)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// describe builds the model view: curated KAITO entries offline; Hub models
// from their document, file tree (GGUF) and config.json (context length).
func (d *modelDataSource) describe(ctx context.Context, c *huggingface.Client, id, rev string) (catalog.Model, error) {
	if e, ok := catalog.Lookup(id); ok && strings.HasPrefix(e.ID, "kaito/") {
		return catalog.FromEntry(e), nil
	}
	info, err := c.ModelInfo(ctx, id)
	if err != nil {
		return catalog.Model{}, err
	}
	var tree []huggingface.TreeEntry
	if catalog.IsGGUFRepo(info.ID, info.LibraryName) {
		if tree, err = c.Tree(ctx, id, rev); err != nil {
			return catalog.Model{}, err
		}
	}
	m := catalog.FromHub(info, tree)
	if e, ok := catalog.Lookup(id); ok {
		// Curated Hub models keep KubeFoundry's name, engines, context and
		// minimums, so both data sources agree on them.
		m.Name, m.MinGPUs, m.Curated = e.Name, e.MinGPUs, true
		m.Engines = slices.Clone(e.SupportedEngines)
		m.Runtimes = catalog.RuntimesForEngines(m.Engines)
		if m.ContextLength == 0 {
			m.ContextLength = e.ContextLength
		}
	}
	if m.ContextLength == 0 && !m.GGUF {
		// config.json of gated models needs a token; the length stays unknown without one.
		n, err := c.ContextLength(ctx, id, rev)
		if err != nil && !errors.Is(err, huggingface.ErrGated) && !errors.Is(err, huggingface.ErrNotFound) {
			return catalog.Model{}, err
		}
		m.ContextLength = n
	}
	return m, nil
}

func checkGGUFFile(m catalog.Model, file string) error {
	if !catalog.IsGGUFFile(file) {
		return fmt.Errorf("%q is not a .gguf file", file)
	}
	if !m.GGUF || m.Curated {
		return fmt.Errorf("%s is not a GGUF repository on the Hub", m.ID)
	}
	names := make([]string, len(m.GGUFFiles))
	for i, f := range m.GGUFFiles {
		names[i] = f.Name
	}
	if !slices.Contains(names, file) {
		return fmt.Errorf("%s has no file %q; available: %s", m.ID, file, strings.Join(names, ", "))
	}
	return nil
}
