// Package ggufimage implements the kubefoundry_gguf_image resource: a llama.cpp runner image
// with a GGUF model from the Hugging Face Hub baked in, built with BuildKit or streamed
// straight into a registry, for KAITO's "build" run mode.
package ggufimage

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
)

var (
	_ resource.Resource                   = (*imageResource)(nil)
	_ resource.ResourceWithConfigure      = (*imageResource)(nil)
	_ resource.ResourceWithValidateConfig = (*imageResource)(nil)
)

// NewResource returns the kubefoundry_gguf_image resource.
func NewResource() resource.Resource { return &imageResource{} }

type imageResource struct {
	data *providerdata.Data
}

func (r *imageResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_gguf_image"
}

func (r *imageResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if d := providerdata.From(req.ProviderData, &resp.Diagnostics); d != nil {
		r.data = d
	}
}
