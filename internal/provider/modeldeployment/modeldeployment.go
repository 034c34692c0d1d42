// Package modeldeployment implements the kubefoundry_model_deployment resource: one model
// served by one runtime, planned offline through internal/runtimes and applied with
// server-side apply.
package modeldeployment

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/registry"
)

var (
	_ resource.ResourceWithConfigure      = (*deploymentResource)(nil)
	_ resource.ResourceWithValidateConfig = (*deploymentResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*deploymentResource)(nil)
	_ resource.ResourceWithImportState    = (*deploymentResource)(nil)
	_ resource.ResourceWithIdentity       = (*deploymentResource)(nil)
)

// NewResource returns the kubefoundry_model_deployment resource.
func NewResource() resource.Resource { return &deploymentResource{} }

type deploymentResource struct{ data *providerdata.Data }

type identityModel struct {
	Namespace string `tfsdk:"namespace"`
	Name      string `tfsdk:"name"`
}

func (r *deploymentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_model_deployment"
}

func (r *deploymentResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema(ctx)
}

func (r *deploymentResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"namespace": identityschema.StringAttribute{RequiredForImport: true, Description: "Namespace of the deployment."},
		"name":      identityschema.StringAttribute{RequiredForImport: true, Description: "Name of the deployment."},
	}}
}

func (r *deploymentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerdata.From(req.ProviderData, &resp.Diagnostics)
}

// problemPath turns a runtimes.Problem ("kaito.gguf_file", or a map attribute plus key)
// into an attribute path.
func problemPath(p rt.Problem) path.Path {
	parts := strings.Split(p.Path, ".")
	out := path.Root(parts[0])
	for _, s := range parts[1:] {
		out = out.AtName(s)
	}
	if p.Key != "" {
		out = out.AtMapKey(p.Key)
	}
	return out
}

func runtimeFor(id string) (rt.Runtime, error) {
	r, ok := registry.Get(id)
	if !ok {
		return nil, fmt.Errorf("unknown runtime %q: use one of %s", id, strings.Join(registry.IDs(), ", "))
	}
	return r, nil
}

// hfSecretName is the Secret the provider writes for hf_token_wo.
func hfSecretName(deployment string) string { return deployment + "-hf-token" }
