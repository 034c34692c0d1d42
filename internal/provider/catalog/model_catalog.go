package catalog

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/catalog"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
)

var _ datasource.DataSourceWithConfigure = (*modelCatalogDataSource)(nil)

// NewModelCatalogDataSource returns the kubefoundry_model_catalog data source.
func NewModelCatalogDataSource() datasource.DataSource { return &modelCatalogDataSource{} }

type modelCatalogDataSource struct {
	data *providerdata.Data
}

type modelCatalogModel struct {
	Engine              types.String  `tfsdk:"engine"`
	Runtime             types.String  `tfsdk:"runtime"`
	IncludeIncompatible types.Bool    `tfsdk:"include_incompatible"`
	IncludeCurated      types.Bool    `tfsdk:"include_curated"`
	GPUMemoryGB         types.Float64 `tfsdk:"gpu_memory_gb"`
	Search              *searchModel  `tfsdk:"search"`
	Models              []catalogItem `tfsdk:"models"`
}

type searchModel struct {
	Query types.String `tfsdk:"query"`
	Limit types.Int64  `tfsdk:"limit"`
}

type catalogItem struct {
	ID types.String `tfsdk:"id"`
	modelFields
}

const defaultSearchLimit = 20

func (d *modelCatalogDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_model_catalog"
}

func (d *modelCatalogDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerdata.From(req.ProviderData, &resp.Diagnostics)
}

func (d *modelCatalogDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	item := modelAttributes()
	item["id"] = schema.StringAttribute{Computed: true, MarkdownDescription: "Model id: a Hub repository (`owner/name`) or a KAITO premade id (`kaito/…`)."}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists models KubeFoundry can deploy: the curated catalog (embedded, no network) plus, with a " +
			"`search` block, Hugging Face Hub results checked for engine compatibility. Each model carries its engines, " +
			"runtimes, a GPU memory estimate and, for GGUF repositories, the `.gguf` files.",
		Attributes: map[string]schema.Attribute{
			"engine": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Keep only models this engine can serve: `vllm`, `sglang`, `trtllm` or `llamacpp`.",
				Validators:          []validator.String{stringvalidator.OneOf(catalog.Engines...)},
			},
			"runtime": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Keep only models this runtime can run: `dynamo`, `kuberay` or `kaito`.",
				Validators:          []validator.String{stringvalidator.OneOf(catalog.Runtimes...)},
			},
			"include_incompatible": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Also list search results no engine can serve, with `compatible = false` and an " +
					"`incompatible_reason`. Defaults to `false`. Filters by `engine`/`runtime` still drop them.",
			},
			"include_curated": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "List the curated catalog entries. Defaults to `true`; set `false` to list search results only.",
			},
			"gpu_memory_gb": schema.Float64Attribute{
				Optional:            true,
				MarkdownDescription: "Memory of one GPU in GB (e.g. `gpu_memory_gb` of `kubefoundry_gpu_capacity`); fills `recommended_gpus` by memory and `gpu_fit`.",
				Validators:          []validator.Float64{float64validator.AtLeast(1)},
			},
			"models": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Matching models: curated entries first (catalog order), then search results (most downloaded first).",
				NestedObject:        schema.NestedAttributeObject{Attributes: item},
			},
		},
		Blocks: map[string]schema.Block{
			"search": schema.SingleNestedBlock{
				MarkdownDescription: "Search the Hugging Face Hub (endpoint and token from the provider's `huggingface` block).",
				Attributes: map[string]schema.Attribute{
					"query": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "Search text matched against model ids, e.g. `llama`. Required when the block is present.",
						Validators:          []validator.String{stringvalidator.LengthAtLeast(2)},
					},
					"limit": schema.Int64Attribute{
						Optional:            true,
						MarkdownDescription: fmt.Sprintf("How many Hub results to examine (1–100, default %d), before compatibility filtering.", defaultSearchLimit),
						Validators:          []validator.Int64{int64validator.Between(1, 100)},
					},
				},
			},
		},
	}
}

func (d *modelCatalogDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg modelCatalogModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var models []catalog.Model
	seen := map[string]bool{}
	if cfg.IncludeCurated.IsNull() || cfg.IncludeCurated.ValueBool() {
		for _, e := range catalog.Curated() {
			models = append(models, catalog.FromEntry(e))
			seen[strings.ToLower(e.ID)] = true
		}
	}
	if cfg.Search != nil {
		if cfg.Search.Query.IsNull() || cfg.Search.Query.ValueString() == "" {
			resp.Diagnostics.AddAttributeError(path.Root("search").AtName("query"), "Missing search query", "The `search` block needs a `query`.")
			return
		}
		limit := defaultSearchLimit
		if !cfg.Search.Limit.IsNull() {
			limit = int(cfg.Search.Limit.ValueInt64())
		}
		found, warnings, err := searchHub(ctx, hubClient(d.data), cfg.Search.Query.ValueString(), limit)
		if err != nil {
			resp.Diagnostics.AddError("Hugging Face search failed", err.Error())
			return
		}
		for _, w := range warnings {
			resp.Diagnostics.AddWarning("Incomplete model metadata", w)
		}
		for _, m := range found {
			if !seen[strings.ToLower(m.ID)] {
				seen[strings.ToLower(m.ID)] = true
				models = append(models, m)
			}
		}
	}

	cfg.Models = []catalogItem{}
	for _, m := range models {
		if !keep(m, cfg) {
			continue
		}
		item := catalogItem{ID: types.StringValue(m.ID)}
		resp.Diagnostics.Append(item.set(ctx, m, cfg.GPUMemoryGB)...)
		cfg.Models = append(cfg.Models, item)
	}
	tflog.Debug(ctx, "model catalog read", map[string]any{"models": len(cfg.Models)})
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

func keep(m catalog.Model, cfg modelCatalogModel) bool {
	if !m.Compatible && !cfg.IncludeIncompatible.ValueBool() {
		return false
	}
	if e := cfg.Engine.ValueString(); e != "" && !slices.Contains(m.Engines, e) {
		return false
	}
	if r := cfg.Runtime.ValueString(); r != "" && !slices.Contains(m.Runtimes, r) {
		return false
	}
	return true
}

// searchHub searches, then fetches per-model documents and (for GGUF repos)
// file trees concurrently. Lookups that fail degrade to the search item and
// are reported as warnings rather than failing the whole read.
func searchHub(ctx context.Context, c *huggingface.Client, query string, limit int) ([]catalog.Model, []string, error) {
	results, err := c.SearchModels(ctx, query, limit)
	if err != nil {
		return nil, nil, err
	}
	var warnings []string
	var ggufIDs []string
	ggufAt := map[string]int{}
	for i, r := range results {
		if r.Err != nil {
			warnings = append(warnings, r.Err.Error())
		}
		if catalog.IsGGUFRepo(r.Info.ID, r.Info.LibraryName) {
			ggufAt[r.Info.ID] = i
			ggufIDs = append(ggufIDs, r.Info.ID)
		}
	}
	trees := make([][]huggingface.TreeEntry, len(results))
	for j, t := range c.Trees(ctx, ggufIDs, "main") {
		if t.Err != nil {
			warnings = append(warnings, fmt.Sprintf("file list of %s: %v", ggufIDs[j], t.Err))
			continue
		}
		trees[ggufAt[ggufIDs[j]]] = t.Files
	}
	out := make([]catalog.Model, len(results))
	for i, r := range results {
		out[i] = catalog.FromHub(r.Info, trees[i])
	}
	return out, warnings, ctx.Err()
}
