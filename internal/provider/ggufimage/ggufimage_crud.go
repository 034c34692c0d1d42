package ggufimage

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gguf"
)

const (
	defaultCreateTimeout = 30 * time.Minute
	defaultReadTimeout   = 2 * time.Minute
	defaultDeleteTimeout = 5 * time.Minute
)

func (r *imageResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan imageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var password types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("registry").AtName("password_wo"), &password)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	spec := plan.spec(r.data, password.ValueString())
	if spec.Builder == "" {
		spec.Builder = os.Getenv("BUILDKIT_HOST")
	}
	if r.data != nil {
		spec.KubePodDialer = kubePodDialer(r.data)
	}
	ctx = tflog.SetField(ctx, "image", spec.Repository+":"+spec.Tag)
	spec.Progress = func(msg string) { tflog.Info(ctx, msg) }
	res, err := gguf.Build(ctx, spec)
	if err != nil {
		summary := "Building the GGUF image failed"
		if errors.Is(err, gguf.ErrChecksumMismatch) {
			summary = "Model checksum mismatch"
		}
		if ctx.Err() == context.DeadlineExceeded {
			summary = "Building the GGUF image timed out after " + timeout.String()
		}
		resp.Diagnostics.AddError(summary, err.Error())
		return
	}
	plan.setResult(res)
	plan.clearWriteOnly()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *imageResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state imageModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	reg := state.registry("")
	ok, err := reg.Exists(ctx, state.Repository.ValueString(), state.Digest.ValueString())
	switch {
	case err != nil:
		// An unreachable or access-controlled registry must not force a rebuild.
		resp.Diagnostics.AddWarning("Could not check the image in the registry",
			"Keeping "+state.ImageByDigest.ValueString()+" in state: "+err.Error())
	case !ok:
		tflog.Info(ctx, "image no longer in the registry; planning a rebuild", map[string]any{"image": state.ImageByDigest.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update only sees changes that do not rebuild (registry, builder, timeouts).
func (r *imageResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state imageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID, plan.Image, plan.Digest, plan.ImageByDigest = state.ID, state.Image, state.Digest, state.ImageByDigest
	plan.SizeBytes, plan.ModelSHA256 = state.SizeBytes, state.ModelSHA256
	plan.clearWriteOnly()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *imageResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state imageModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	reg := state.registry("")
	err := reg.DeleteTag(ctx, state.Repository.ValueString(), state.Tag.ValueString(), state.Digest.ValueString())
	switch {
	case errors.Is(err, gguf.ErrDeleteUnsupported):
		resp.Diagnostics.AddWarning("Image left in the registry",
			"The registry refused to delete "+state.ImageByDigest.ValueString()+" (deletes disabled, or credentials needed: "+
				"password_wo is write-only and not available at destroy time). Remove it by hand if needed. "+err.Error())
	case err != nil:
		// An unreachable registry (e.g. an in-cluster one only builders can reach) must not
		// block destroying the rest of the configuration.
		resp.Diagnostics.AddWarning("Image left in the registry",
			"Could not delete "+state.ImageByDigest.ValueString()+"; remove it by hand if needed. "+err.Error())
	}
}
