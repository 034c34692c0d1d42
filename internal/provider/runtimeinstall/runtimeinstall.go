// Package runtimeinstall implements the kubefoundry_runtime_install resource: a runtime's
// operator (Dynamo, KubeRay, KAITO or the NVIDIA GPU operator) installed, upgraded and
// removed with the Helm SDK, CRDs first.
package runtimeinstall

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/helminstall"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
)

var (
	_ resource.Resource                   = (*installResource)(nil)
	_ resource.ResourceWithConfigure      = (*installResource)(nil)
	_ resource.ResourceWithImportState    = (*installResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*installResource)(nil)
	_ resource.ResourceWithValidateConfig = (*installResource)(nil)
)

// NewResource returns the kubefoundry_runtime_install resource.
func NewResource() resource.Resource { return &installResource{} }

type installResource struct {
	data *providerdata.Data
}

func (r *installResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_runtime_install"
}

func (r *installResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if d := providerdata.From(req.ProviderData, &resp.Diagnostics); d != nil {
		r.data = d
	}
}

// ImportState accepts "runtime" or "namespace/runtime"; Read fills in the rest from the
// live Helm releases.
func (r *installResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ns, id, found := strings.Cut(req.ID, "/")
	if !found {
		ns, id = "", req.ID
	}
	rt, ok := helminstall.Lookup(id)
	if !ok {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%q: expected \"<runtime>\" or \"<namespace>/<runtime>\" with runtime one of %s", req.ID, strings.Join(helminstall.IDs(), ", ")))
		return
	}
	if ns == "" {
		ns = rt.Spec.Namespace
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), ns+"/"+id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("runtime"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("namespace"), ns)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("wait"), types.BoolValue(true))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("atomic"), types.BoolValue(true))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("remove_crds_on_destroy"), types.BoolValue(false))...)
}
