package modeldeployment

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/registry"
)

// NewDeploymentDataSource returns kubefoundry_model_deployment (data source): the status
// of an existing deployment, whoever created it (Terraform, the KubeFoundry UI, kubectl).
func NewDeploymentDataSource() datasource.DataSource { return &deploymentDataSource{} }

type deploymentDataSource struct{ data *providerdata.Data }

type deploymentDataModel struct {
	Namespace     types.String `tfsdk:"namespace"`
	Name          types.String `tfsdk:"name"`
	Runtime       types.String `tfsdk:"runtime"`
	Model         types.String `tfsdk:"model"`
	Engine        types.String `tfsdk:"engine"`
	Mode          types.String `tfsdk:"mode"`
	Phase         types.String `tfsdk:"phase"`
	StatusMessage types.String `tfsdk:"status_message"`
	Desired       types.Int64  `tfsdk:"desired"`
	Ready         types.Int64  `tfsdk:"ready"`
	Available     types.Int64  `tfsdk:"available"`
	Endpoint      types.String `tfsdk:"endpoint"`
}

func (d *deploymentDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_model_deployment"
}

func (d *deploymentDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerdata.From(req.ProviderData, &resp.Diagnostics)
}

func (d *deploymentDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	count := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads an existing model deployment (a DynamoGraphDeployment, RayService, KAITO Workspace, vLLM Deployment or LeaderWorkerSet, llm-d decode Deployment, or KServe LLMInferenceService) and its status.",
		Attributes: map[string]schema.Attribute{
			"namespace": schema.StringAttribute{Required: true, MarkdownDescription: "Namespace of the deployment."},
			"name":      schema.StringAttribute{Required: true, MarkdownDescription: "Name of the deployment."},
			"runtime": schema.StringAttribute{Optional: true, Computed: true,
				MarkdownDescription: "`dynamo`, `kuberay`, `kaito`, `vllm`, `llmd` or `kserve`; found by looking when unset."},
			"model":          computed("Model id."),
			"engine":         computed("Inference engine."),
			"mode":           computed("`aggregated` or `disaggregated`."),
			"phase":          computed("`Pending`, `Deploying`, `Running`, `Failed` or `Terminating`."),
			"status_message": computed("Why the deployment is not Running, if it is not."),
			"desired":        count("Desired worker replicas."),
			"ready":          count("Ready worker replicas."),
			"available":      count("Available worker replicas."),
			"endpoint":       computed("In-cluster `host:port` of the OpenAI-compatible API."),
		},
	}
}

func (d *deploymentDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m deploymentDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	client := d.data.KubeClient(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || client == nil {
		return
	}
	ns, name := m.Namespace.ValueString(), m.Name.ValueString()
	candidates := registry.All()
	if id := m.Runtime.ValueString(); id != "" {
		r, err := runtimeFor(id)
		if err != nil {
			resp.Diagnostics.AddError("Unknown runtime", err.Error())
			return
		}
		candidates = []rt.Runtime{r}
	}
	var (
		runtime rt.Runtime
		obj     *unstructured.Unstructured
		err     error
	)
	for _, r := range candidates {
		runtime, obj, err = findObject(ctx, client, r, ns, name)
		if err != nil {
			resp.Diagnostics.AddError("Reading the model deployment failed", err.Error())
			return
		}
		if obj != nil {
			break
		}
	}
	if obj == nil {
		resp.Diagnostics.AddError("Model deployment not found", fmt.Sprintf("no model deployment named %q in namespace %q", name, ns))
		return
	}
	cfg, err := runtime.Parse(obj)
	if err != nil {
		resp.Diagnostics.AddError("Reading the model deployment failed", err.Error())
		return
	}
	runtime.Defaults(&cfg)
	st := runtime.Status(obj, nil, nil)
	if st.Phase != rt.PhaseRunning {
		if pods, events, err := podsAndEvents(ctx, client, runtime, obj); err == nil {
			st = runtime.Status(obj, pods, events)
		}
	}
	m.Runtime = types.StringValue(runtime.ID())
	m.Model = types.StringValue(cfg.Model)
	m.Engine = types.StringValue(string(cfg.Engine))
	m.Mode = types.StringValue(string(cfg.Mode))
	m.Phase = types.StringValue(string(st.Phase))
	m.StatusMessage = types.StringValue(st.Message)
	m.Desired, m.Ready, m.Available = types.Int64Value(st.Desired), types.Int64Value(st.Ready), types.Int64Value(st.Available)
	m.Endpoint = types.StringValue(runtime.Endpoint(cfg))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
