package modeldeployment

import (
	"context"
	"reflect"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// manifestInputs are the resource attributes the manifest data source takes as input.
var manifestInputs = append([]string{"name", "namespace", "runtime", "model", "engine", "mode", "served_model_name",
	"router_mode", "replicas", "gpus", "memory", "context_length", "enforce_eager", "enable_prefix_caching",
	"trust_remote_code", "engine_args", "disaggregated", "kuberay", "kaito", "dynamo", "vllm", "kserve", "hf_token_secret"},
	append(workloadInputs, append(gatewayInputs, autoscalingInputs...)...)...)

// NewManifestDataSource returns kubefoundry_manifest: the manifests a deployment would
// apply, rendered without a cluster (for GitOps pipelines that apply them elsewhere).
func NewManifestDataSource() datasource.DataSource { return &manifestDataSource{} }

type manifestDataSource struct{ data *providerdata.Data }

var _ datasource.DataSourceWithConfigure = (*manifestDataSource)(nil)

// Configure keeps the provider data: its Hugging Face endpoint reaches the engines.
func (d *manifestDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerdata.From(req.ProviderData, &resp.Diagnostics)
}

func (d *manifestDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_manifest"
}

func (d *manifestDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	res := resourceSchema(ctx)
	attrs := map[string]dschema.Attribute{}
	for _, name := range manifestInputs {
		attrs[name] = toDataSourceAttribute(res.Attributes[name], name == "name" || name == "runtime" || name == "model")
	}
	attrs["manifest"] = dschema.StringAttribute{Computed: true, MarkdownDescription: "The runtime's custom resource as YAML."}
	attrs["manifests"] = dschema.StringAttribute{Computed: true,
		MarkdownDescription: "Every object of the deployment (the custom resource and companions such as the KAITO vLLM Service) as a multi-document YAML stream."}
	attrs["endpoint"] = dschema.StringAttribute{Computed: true, MarkdownDescription: "In-cluster `host:port` of the OpenAI-compatible API."}
	resp.Schema = dschema.Schema{
		MarkdownDescription: "Renders the manifests of a model deployment without touching a cluster: the same validation, defaults " +
			"and output as `kubefoundry_model_deployment`, for GitOps users who commit or apply the YAML with another tool. " +
			"`namespace` defaults to the runtime's namespace.",
		Attributes: attrs,
	}
}

// toDataSourceAttribute mirrors a resource input attribute in a data source schema.
func toDataSourceAttribute(a rschema.Attribute, required bool) dschema.Attribute {
	desc := a.GetMarkdownDescription()
	optional, computed := !required, !required
	switch v := a.(type) {
	case rschema.StringAttribute:
		return dschema.StringAttribute{Required: required, Optional: optional, Computed: computed, MarkdownDescription: desc, Validators: v.Validators}
	case rschema.Int64Attribute:
		return dschema.Int64Attribute{Optional: true, Computed: true, MarkdownDescription: desc}
	case rschema.BoolAttribute:
		return dschema.BoolAttribute{Optional: true, Computed: true, MarkdownDescription: desc}
	case rschema.Float64Attribute:
		return dschema.Float64Attribute{Optional: true, Computed: true, MarkdownDescription: desc}
	case rschema.MapAttribute:
		return dschema.MapAttribute{ElementType: v.ElementType, Optional: true, Computed: true, MarkdownDescription: desc}
	case rschema.ListAttribute:
		return dschema.ListAttribute{ElementType: v.ElementType, Optional: true, Computed: true, MarkdownDescription: desc}
	case rschema.ListNestedAttribute:
		nested := map[string]dschema.Attribute{}
		for k, na := range v.NestedObject.Attributes {
			nested[k] = toDataSourceAttribute(na, false)
		}
		return dschema.ListNestedAttribute{NestedObject: dschema.NestedAttributeObject{Attributes: nested}, Optional: true, Computed: true, MarkdownDescription: desc}
	case rschema.SingleNestedAttribute:
		nested := map[string]dschema.Attribute{}
		for k, na := range v.Attributes {
			nested[k] = toDataSourceAttribute(na, false)
		}
		return dschema.SingleNestedAttribute{Attributes: nested, Optional: true, Computed: true, MarkdownDescription: desc}
	}
	panic("modeldeployment: unsupported attribute type in manifest data source")
}

func (d *manifestDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var in model
	for _, name := range manifestInputs {
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(name), fieldPtr(&in, name))...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	runtime, err := runtimeFor(in.Runtime.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("runtime"), "Unknown runtime", err.Error())
		return
	}
	cfg := in.toConfig(ctx, hubEndpoint(d.data), &resp.Diagnostics)
	if cfg.Namespace == "" {
		cfg.Namespace = runtime.DefaultNamespace()
	}
	runtime.Defaults(&cfg)
	for _, p := range runtime.Validate(cfg) {
		resp.Diagnostics.AddAttributeError(problemPath(p), "Invalid model deployment", p.String())
	}
	if resp.Diagnostics.HasError() {
		return
	}
	objs, err := rt.ForConfig(runtime, cfg).Manifests(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Rendering the manifest failed", err.Error())
		return
	}
	var docs []string
	for _, o := range objs.All() {
		b, err := yaml.Marshal(o.Object)
		if err != nil {
			resp.Diagnostics.AddError("Encoding the manifest failed", err.Error())
			return
		}
		docs = append(docs, string(b))
	}
	out := in
	out.setConfig(cfg)
	keepConfiguredMaps(in, &out)
	for _, name := range manifestInputs {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), reflect.ValueOf(fieldPtr(&out, name)).Elem().Interface())...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("manifest"), docs[0])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("manifests"), strings.Join(docs, "---\n"))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("endpoint"), runtime.Endpoint(cfg))...)
}

// fieldPtr returns a pointer to the model field with the given tfsdk tag.
func fieldPtr(m *model, tag string) any {
	v := reflect.ValueOf(m).Elem()
	for i := range v.NumField() {
		if v.Type().Field(i).Tag.Get("tfsdk") == tag {
			return v.Field(i).Addr().Interface()
		}
	}
	panic("modeldeployment: no field " + tag)
}
