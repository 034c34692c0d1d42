package ggufimage

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gguf"
)

var _ resource.ResourceWithImportState = (*imageResource)(nil)

// ImportState accepts `repository:tag` or `repository@sha256:...` and recovers the model,
// file, revision, base image and method from the labels every build writes. Registry
// settings are not in the image; the configuration's registry block applies in place.
// Registries off loopback are read over HTTPS with the local Docker credentials.
func (r *imageResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	b, err := gguf.Registry{}.Inspect(ctx, req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Cannot import the image", err.Error())
		return
	}
	method := b.Method
	if method == "" {
		method = gguf.MethodBuildKit
	}
	for attr, v := range map[string]string{
		"model": b.Source.Model, "file": b.Source.File, "revision": b.Source.Revision,
		"repository": b.Repository, "tag": b.Tag, "base_image": b.BaseImage, "method": method, "platform": b.Platform,
		"id": b.ImageByDigest, "image": b.Image, "digest": b.Digest, "image_by_digest": b.ImageByDigest,
		"model_sha256": b.ModelSHA256,
	} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), types.StringValue(v))...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("size_bytes"), types.Int64Value(b.SizeBytes))...)
}
