// Package deploymentrequest implements the kubefoundry_deployment_request resource: deploy
// by SLA with NVIDIA Dynamo. It declares a DynamoGraphDeploymentRequest (v1beta1); the
// Dynamo operator profiles the model in a Job, generates a DynamoGraphDeployment that meets
// the latency targets and, with auto_apply, creates it. The resource waits through those
// phases and surfaces the generated graph.
package deploymentrequest

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
)

var (
	_ resource.Resource                   = (*requestResource)(nil)
	_ resource.ResourceWithConfigure      = (*requestResource)(nil)
	_ resource.ResourceWithImportState    = (*requestResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*requestResource)(nil)
	_ resource.ResourceWithValidateConfig = (*requestResource)(nil)
)

// NewResource returns the kubefoundry_deployment_request resource.
func NewResource() resource.Resource { return &requestResource{} }

type requestResource struct {
	data *providerdata.Data
}

func (r *requestResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_deployment_request"
}

func (r *requestResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if d := providerdata.From(req.ProviderData, &resp.Diagnostics); d != nil {
		r.data = d
	}
}

// ImportState takes "<namespace>/<name>"; Read fills in the rest from the live object.
func (r *requestResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ns, name, ok := strings.Cut(req.ID, "/")
	if !ok || len(validation.IsDNS1123Label(ns)) > 0 || len(validation.IsDNS1123Subdomain(name)) > 0 {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%q: expected \"<namespace>/<name>\" of a DynamoGraphDeploymentRequest", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("namespace"), ns)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), name)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("wait"), types.BoolValue(true))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("keep_graph_on_destroy"), types.BoolValue(false))...)
}
