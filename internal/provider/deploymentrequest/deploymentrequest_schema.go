package deploymentrequest

import (
	"context"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo/dgdr"
)

var dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

func (r *requestResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Deploy by SLA with NVIDIA Dynamo: a `DynamoGraphDeploymentRequest` (`nvidia.com/v1beta1`, Dynamo 1.4). " +
			"You give the model, the workload and the latency targets; the Dynamo operator runs a profiling Job (AIConfigurator or online " +
			"sweeps on the GPUs), picks the configuration that meets the SLA, generates a `DynamoGraphDeployment` and, with `auto_apply`, " +
			"creates it. Apply waits through the phases (Pending, Profiling and its sub-phases, Ready, Deploying, Deployed) and logs each " +
			"one; the generated graph is in `graph_yaml` and `graph`. The operator refuses spec changes once profiling has started, so " +
			"every input except `auto_apply` (false to true) replaces the request. A request the operator marked `Failed` (for example " +
			"because its graph was deleted) is replaced on the next apply: the operator never retries one. On destroy the generated " +
			"graph, which the operator deliberately does not own, is deleted too unless `keep_graph_on_destroy` is set.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<namespace>/<name>`; also the import ID.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Name of the request (a DNS-1123 label). The generated graph is `<name>-dgd` unless `graph_override` names it. " +
					"Changing it replaces the request.",
				Validators:    []validator.String{stringvalidator.RegexMatches(dnsLabel, "must be a DNS-1123 label: lower-case letters, digits and '-'"), stringvalidator.LengthBetween(1, 59)},
				PlanModifiers: replace,
			},
			"namespace": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Namespace (must exist); the profiling Job and the generated graph run there. Defaults to the provider's " +
					"`default_namespace`, else KubeFoundry's configured default, else `default`. Changing it replaces the request.",
				Validators:    []validator.String{stringvalidator.RegexMatches(dnsLabel, "must be a DNS-1123 label")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace(), stringplanmodifier.UseStateForUnknown()},
			},
			"model": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Model to deploy: a Hugging Face ID (`Qwen/Qwen3-0.6B`) or a private model name. Changing it replaces the request.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers:       replace,
			},
			"backend": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(dgdr.DefaultBackend),
				MarkdownDescription: "Inference backend: " + code(dgdr.Backends) + ". Default `auto` (the profiler chooses). Changing it replaces the request.",
				Validators:          []validator.String{stringvalidator.OneOf(dgdr.Backends...)},
				PlanModifiers:       replace,
			},
			"search_strategy": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(dgdr.DefaultSearchStrategy),
				MarkdownDescription: "Profiling depth: `rapid` (a fast sweep, default) or `thorough` (more configurations; needs a specific `backend`). " +
					"Changing it replaces the request.",
				Validators:    []validator.String{stringvalidator.OneOf(dgdr.SearchStrategies...)},
				PlanModifiers: replace,
			},
			"auto_apply": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Create the generated graph once profiling is done. Default `true`. With `false` apply ends at phase `Ready` " +
					"with the graph in `graph_yaml` for review; turning it `true` afterwards deploys that same graph in place (the operator allows " +
					"this only in phase `Ready`; in any other phase the request is replaced). Turning it `false` replaces the request.",
			},
			"image": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Profiler image (Dynamo's planner image). Default, set by the operator's admission webhook: " +
					"`nvcr.io/nvidia/ai-dynamo/dynamo-planner:<operator version>`. Its tag must be a semantic version unless " +
					"`runtime_version_override` is set. Changing it replaces the request.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), stringplanmodifier.UseStateForUnknown()},
			},
			"runtime_version_override": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Dynamo runtime version (`1.4.0`) of the generated graph's components, for an `image` whose tag is not a version. Changing it replaces the request.",
				PlanModifiers:       replace,
			},
			"workload": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Traffic the profiler sizes for. Without it the profiler's defaults apply (ISL 4000, OSL 1000, maximum throughput). Changing it replaces the request.",
				PlanModifiers:       []planmodifier.Object{objectplanmodifier.RequiresReplace()},
				Attributes: map[string]schema.Attribute{
					"isl": schema.Int64Attribute{
						Optional: true, Computed: true, Default: int64default.StaticInt64(dgdr.DefaultISL),
						MarkdownDescription: "Input sequence length in tokens. Default 4000.",
						Validators:          []validator.Int64{int64validator.AtLeast(1)},
					},
					"osl": schema.Int64Attribute{
						Optional: true, Computed: true, Default: int64default.StaticInt64(dgdr.DefaultOSL),
						MarkdownDescription: "Output sequence length in tokens. Default 1000.",
						Validators:          []validator.Int64{int64validator.AtLeast(1)},
					},
					"concurrency": schema.Float64Attribute{
						Optional:            true,
						MarkdownDescription: "Target number of concurrent requests. Conflicts with `request_rate`.",
						Validators: []validator.Float64{float64validator.AtLeast(0.000001),
							float64validator.ConflictsWith(path.MatchRelative().AtParent().AtName("request_rate"))},
					},
					"request_rate": schema.Float64Attribute{
						Optional:            true,
						MarkdownDescription: "Target request rate in requests per second. Conflicts with `concurrency`.",
						Validators:          []validator.Float64{float64validator.AtLeast(0.000001)},
					},
				},
			},
			"sla": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "Latency targets the selected configuration must meet. Without it the profiler's defaults apply " +
					"(TTFT 2000 ms, ITL 30 ms). Changing it replaces the request.",
				PlanModifiers: []planmodifier.Object{objectplanmodifier.RequiresReplace()},
				Attributes: map[string]schema.Attribute{
					"ttft_ms":           floatAttr("Time to first token target, in milliseconds."),
					"itl_ms":            floatAttr("Inter-token latency (time per output token) target, in milliseconds."),
					"e2e_latency_ms":    floatAttr("End-to-end request latency target in milliseconds, instead of `ttft_ms` + `itl_ms`."),
					"optimization_type": schema.StringAttribute{Optional: true, MarkdownDescription: "What to optimise within the targets: `latency` or `throughput`.", Validators: []validator.String{stringvalidator.OneOf(dgdr.OptimizationTypes...)}},
				},
			},
			"hardware": schema.SingleNestedAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "GPUs to profile and deploy on. What is left out the operator discovers from the nodes' GPU Feature Discovery " +
					"labels (or DCGM) and writes back, so after apply every field shows what the profiler used. `total_gpus` is the GPU budget " +
					"(discovered: all GPUs of the chosen type, capped at 32 by the operator). Changing a configured field replaces the request.",
				// Per field, not on the object: a discovered field is unknown in an update's plan
				// until its own UseStateForUnknown runs, which would read as a change of the object.
				PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
				Attributes: map[string]schema.Attribute{
					"gpu_sku": schema.StringAttribute{
						Optional: true, Computed: true,
						MarkdownDescription: "GPU type, as AIConfigurator names it: " + code(dgdr.GPUSKUs) + ". Restricts discovery to nodes of that type.",
						Validators:          []validator.String{stringvalidator.OneOf(dgdr.GPUSKUs...)},
						PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplaceIfConfigured()},
					},
					"vram_mib": schema.Float64Attribute{Optional: true, Computed: true, MarkdownDescription: "Memory per GPU in MiB.",
						Validators:    []validator.Float64{float64validator.AtLeast(1)},
						PlanModifiers: []planmodifier.Float64{float64planmodifier.UseStateForUnknown(), float64planmodifier.RequiresReplaceIfConfigured()}},
					"total_gpus": schema.Int64Attribute{Optional: true, Computed: true, MarkdownDescription: "GPU budget for profiling and the deployment (upper limit).",
						Validators:    []validator.Int64{int64validator.AtLeast(1)},
						PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown(), int64planmodifier.RequiresReplaceIfConfigured()}},
					"gpus_per_node": schema.Int64Attribute{Optional: true, Computed: true, MarkdownDescription: "GPUs per node.",
						Validators:    []validator.Int64{int64validator.AtLeast(1)},
						PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown(), int64planmodifier.RequiresReplaceIfConfigured()}},
					"interconnect": schema.StringAttribute{Optional: true, Computed: true,
						MarkdownDescription: "GPU-to-GPU interconnect within a node (`nvlink`, `pcie`); metadata only, it configures nothing.",
						PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplaceIfConfigured()}},
					"rdma": schema.BoolAttribute{Optional: true, Computed: true, MarkdownDescription: "Whether RDMA networking is available; metadata only.",
						PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown(), boolplanmodifier.RequiresReplaceIfConfigured()}},
				},
			},
			"model_cache": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "A PersistentVolumeClaim in the namespace holding the weights, mounted read-only into the profiler instead of downloading. Changing it replaces the request.",
				PlanModifiers:       []planmodifier.Object{objectplanmodifier.RequiresReplace()},
				Attributes: map[string]schema.Attribute{
					"pvc_name":       schema.StringAttribute{Required: true, MarkdownDescription: "Name of the claim (must exist: the operator fails the request otherwise)."},
					"pvc_model_path": schema.StringAttribute{Optional: true, MarkdownDescription: "Path of the model directory inside the claim."},
					"pvc_mount_path": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("/opt/model-cache"), MarkdownDescription: "Mount path in the container. Default `/opt/model-cache`."},
				},
			},
			"mocker": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Deploy Dynamo's simulated (mocker) workers instead of real engines, for tests at scale without GPUs. Changing it replaces the request.",
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"graph_override": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "A partial `DynamoGraphDeployment` (YAML or JSON, with `apiVersion: nvidia.com/v1beta1` and `kind`) the profiler merges " +
					"into the generated graph: e.g. labels, a component's environment or `metadata.name` to name the graph. Changing it replaces the request.",
				PlanModifiers: replace,
			},
			"wait": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Wait until the request is `Deployed` (with `auto_apply`) or `Ready` (without). Default `true`. Profiling on real " +
					"GPUs takes minutes (rapid) to hours (thorough): size `timeouts` for it, or set `false` and read the phase later.",
			},
			"keep_graph_on_destroy": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Keep the generated graph (and the GPUs it holds) when the request is destroyed. Default `false`: the operator " +
					"does not own the graph (it outlives its request by design), so destroy deletes it explicitly; with `true` it is left " +
					"running and destroy warns with its name.",
			},
			"phase":              computedString("Phase of the request: `Pending`, `Profiling`, `Ready`, `Deploying`, `Deployed` or `Failed`."),
			"profiling_phase":    computedString("Profiler sub-phase while `phase` is `Profiling`: `Initializing`, `SweepingPrefill`, `SweepingDecode`, `SelectingConfig`, `BuildingCurves`, `GeneratingDGD`, `Done`."),
			"message":            computedString("The operator's message for the current phase (its `Succeeded` condition); the cause when `Failed`."),
			"profiling_job_name": computedString("Name of the profiling Job."),
			"graph_name":         computedString("Name of the generated `DynamoGraphDeployment` (created in `namespace` when `auto_apply`)."),
			"graph_yaml":         computedString("The generated `DynamoGraphDeployment` (the profiler's selected configuration) as YAML; empty until profiling is done."),
			"graph": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Key fields of the generated graph; null until profiling is done.",
				Attributes: map[string]schema.Attribute{
					"backend_framework": computedString("Backend of the graph (`vllm`, `sglang`, `trtllm`)."),
					"gpus":              schema.Int64Attribute{Computed: true, MarkdownDescription: "GPUs of all replicas of all components."},
					"components": schema.ListNestedAttribute{
						Computed:            true,
						MarkdownDescription: "Components by name.",
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"name":     computedString("Component name."),
							"type":     computedString("Component type (`frontend`, `worker`, `prefill`, `decode`, `planner`, …)."),
							"replicas": schema.Int64Attribute{Computed: true, MarkdownDescription: "Replicas."},
							"gpus":     schema.Int64Attribute{Computed: true, MarkdownDescription: "GPUs per replica."},
						}},
					},
				},
			},
			"replicas":           schema.Int64Attribute{Computed: true, MarkdownDescription: "Replicas of the created graph's components in all; null before it exists."},
			"available_replicas": schema.Int64Attribute{Computed: true, MarkdownDescription: "Available replicas of the created graph's components; null before it exists."},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func floatAttr(desc string) schema.Float64Attribute {
	return schema.Float64Attribute{Optional: true, MarkdownDescription: desc, Validators: []validator.Float64{float64validator.AtLeast(0.000001)}}
}

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

func code(ids []string) string { return "`" + strings.Join(ids, "`, `") + "`" }

// Attribute types of the computed graph object.
var (
	componentType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"name": types.StringType, "type": types.StringType, "replicas": types.Int64Type, "gpus": types.Int64Type,
	}}
	graphType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"backend_framework": types.StringType, "gpus": types.Int64Type, "components": types.ListType{ElemType: componentType},
	}}
	hardwareType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"gpu_sku": types.StringType, "vram_mib": types.Float64Type, "total_gpus": types.Int64Type,
		"gpus_per_node": types.Int64Type, "interconnect": types.StringType, "rdma": types.BoolType,
	}}
)
