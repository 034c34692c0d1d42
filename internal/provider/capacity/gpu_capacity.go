// Package capacity implements the kubefoundry_gpu_capacity data source.
package capacity

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/capacity"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
)

var _ datasource.DataSourceWithConfigure = (*gpuCapacityDataSource)(nil)

// NewGPUCapacityDataSource returns the kubefoundry_gpu_capacity data source.
func NewGPUCapacityDataSource() datasource.DataSource { return &gpuCapacityDataSource{} }

type gpuCapacityDataSource struct{ data *providerdata.Data }

type gpuCapacityModel struct {
	ID                     types.String `tfsdk:"id"`
	NodeSelector           types.Map    `tfsdk:"node_selector"`
	TotalGPUs              types.Int64  `tfsdk:"total_gpus"`
	RequestedGPUs          types.Int64  `tfsdk:"requested_gpus"`
	AvailableGPUs          types.Int64  `tfsdk:"available_gpus"`
	MaxContiguousAvailable types.Int64  `tfsdk:"max_contiguous_available"`
	MaxNodeGPUs            types.Int64  `tfsdk:"max_node_gpus"`
	GPUNodeCount           types.Int64  `tfsdk:"gpu_node_count"`
	GPUMemoryGB            types.Int64  `tfsdk:"gpu_memory_gb"`
	Autoscaler             types.String `tfsdk:"autoscaler"`
	Nodes                  types.List   `tfsdk:"nodes"`
}

var nodeAttrTypes = map[string]attr.Type{
	"name":          types.StringType,
	"pool":          types.StringType,
	"product":       types.StringType,
	"gpu_memory_gb": types.Int64Type,
	"allocatable":   types.Int64Type,
	"requested":     types.Int64Type,
	"available":     types.Int64Type,
}

func (d *gpuCapacityDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_gpu_capacity"
}

func (d *gpuCapacityDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerdata.From(req.ProviderData, &resp.Diagnostics)
}

func (d *gpuCapacityDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	count := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "GPU capacity of the cluster, per node and in total: allocatable `nvidia.com/gpu`, GPUs requested by " +
			"Running and Pending pods, what is free, and the largest free block on one node. Use it to check that a model fits " +
			"before deploying it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "Identifier of this read (the node selector used, or `all`)."},
			"node_selector": schema.MapAttribute{
				ElementType:         types.StringType,
				Optional:            true,
				MarkdownDescription: "Only count nodes carrying all these labels, e.g. `{ agentpool = \"gpu\" }`.",
			},
			"total_gpus":               count("GPUs allocatable on all GPU nodes."),
			"requested_gpus":           count("GPUs requested by Running and Pending pods on GPU nodes (requests, else limits; init containers aside)."),
			"available_gpus":           count("GPUs free, summed over nodes (a node never counts below zero)."),
			"max_contiguous_available": count("Most GPUs free on a single node: the largest worker that can be scheduled now."),
			"max_node_gpus":            count("Most GPUs allocatable on a single node."),
			"gpu_node_count":           count("Number of nodes with allocatable GPUs."),
			"gpu_memory_gb": count("Largest per-GPU memory in GB among GPU nodes, from the `nvidia.com/gpu.memory` label " +
				"(MiB) or the product name; 0 when unknown."),
			"autoscaler": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Node autoscaler: `none`, `aks-managed`, `cluster-autoscaler`, or `unknown` (not allowed to look).",
			},
			"nodes": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "GPU nodes, sorted by name.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":          schema.StringAttribute{Computed: true, MarkdownDescription: "Node name."},
					"pool":          schema.StringAttribute{Computed: true, MarkdownDescription: "Node pool (AKS, GKE or EKS label), else `default`."},
					"product":       schema.StringAttribute{Computed: true, MarkdownDescription: "GPU product (`nvidia.com/gpu.product`), empty if unlabelled."},
					"gpu_memory_gb": schema.Int64Attribute{Computed: true, MarkdownDescription: "Memory per GPU in GB; 0 when unknown."},
					"allocatable":   schema.Int64Attribute{Computed: true, MarkdownDescription: "Allocatable GPUs."},
					"requested":     schema.Int64Attribute{Computed: true, MarkdownDescription: "GPUs requested by pods on the node."},
					"available":     schema.Int64Attribute{Computed: true, MarkdownDescription: "GPUs free on the node."},
				}},
			},
		},
	}
}

func (d *gpuCapacityDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m gpuCapacityModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := d.data.KubeClient(ctx, &resp.Diagnostics)
	if client == nil {
		return
	}
	selector := map[string]string{}
	resp.Diagnostics.Append(m.NodeSelector.ElementsAs(ctx, &selector, false)...)
	sel := selectorString(selector)

	sum, err := capacity.Read(ctx, client.Typed, sel)
	if err != nil {
		resp.Diagnostics.AddError("Reading GPU capacity failed", err.Error())
		return
	}
	tflog.Debug(ctx, "gpu capacity read", map[string]any{"gpu_nodes": len(sum.Nodes), "total": sum.Total})

	nodeValues := make([]attr.Value, 0, len(sum.Nodes))
	for _, n := range sum.Nodes {
		v, diags := types.ObjectValue(nodeAttrTypes, map[string]attr.Value{
			"name": types.StringValue(n.Name), "pool": types.StringValue(n.Pool), "product": types.StringValue(n.Product),
			"gpu_memory_gb": types.Int64Value(n.GPUMemoryGB), "allocatable": types.Int64Value(n.Allocatable),
			"requested": types.Int64Value(n.Requested), "available": types.Int64Value(n.Available),
		})
		resp.Diagnostics.Append(diags...)
		nodeValues = append(nodeValues, v)
	}
	list, diags := types.ListValue(types.ObjectType{AttrTypes: nodeAttrTypes}, nodeValues)
	resp.Diagnostics.Append(diags...)

	m.ID = types.StringValue(map[bool]string{true: "all", false: sel}[sel == ""])
	m.TotalGPUs = types.Int64Value(sum.Total)
	m.RequestedGPUs = types.Int64Value(sum.Requested)
	m.AvailableGPUs = types.Int64Value(sum.Available)
	m.MaxContiguousAvailable = types.Int64Value(sum.MaxContiguousAvailable)
	m.MaxNodeGPUs = types.Int64Value(sum.MaxNodeGPUs)
	m.GPUNodeCount = types.Int64Value(int64(len(sum.Nodes)))
	m.GPUMemoryGB = types.Int64Value(sum.GPUMemoryGB)
	m.Autoscaler = types.StringValue(capacity.DetectAutoscaler(ctx, client.Typed, sum))
	m.Nodes = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func selectorString(labels map[string]string) string {
	parts := make([]string, 0, len(labels))
	for k, v := range labels {
		parts = append(parts, fmt.Sprintf("%s=%s", k, v))
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}
