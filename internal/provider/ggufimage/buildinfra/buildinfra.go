// Package buildinfra implements kubefoundry_gguf_build_infra: an in-cluster registry (backed
// by a PersistentVolumeClaim) and a buildkitd for kubefoundry_gguf_image, the pieces
// KubeFoundry created on demand, made declarative.
package buildinfra

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
)

var (
	_ resource.Resource              = (*infraResource)(nil)
	_ resource.ResourceWithConfigure = (*infraResource)(nil)
)

// NewResource returns the kubefoundry_gguf_build_infra resource.
func NewResource() resource.Resource { return &infraResource{} }

type infraResource struct {
	data *providerdata.Data
}

func (r *infraResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_gguf_build_infra"
}

func (r *infraResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if d := providerdata.From(req.ProviderData, &resp.Diagnostics); d != nil {
		r.data = d
	}
}
