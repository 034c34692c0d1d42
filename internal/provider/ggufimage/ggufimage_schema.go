package ggufimage

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gguf"
)

func (r *imageResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Builds an OCI image that holds one GGUF model file from the Hugging Face Hub on top of a " +
			"llama.cpp server image, pushes it to a registry, and exposes its digest for KAITO deployments " +
			"(`kaito { run_mode = \"build\", image_ref = kubefoundry_gguf_image.x.image_by_digest }`).\n\n" +
			"The model's sha256 is checked against the Hub's LFS metadata whichever method builds the image. " +
			"The model lands at `/models/<file>`; the image runs `llama-server` on port 5000 " +
			"(`LLAMA_ARG_MODEL`, `LLAMA_ARG_HOST` and `LLAMA_ARG_PORT` are set too, so replaced arguments still find the model). " +
			"Changing the model, file, revision, tag, base image, repository or method builds a new image. " +
			"If the image disappears from the registry, the next plan rebuilds it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Same as `image_by_digest`.",
				PlanModifiers:       keep,
			},
			"model": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Hugging Face repository id holding the GGUF file, e.g. `bartowski/Llama-3.2-1B-Instruct-GGUF`. Gated models use the token from the provider's `huggingface` block.",
				PlanModifiers:       replace,
				Validators:          []validator.String{stringvalidator.RegexMatches(repoID, "must be a Hugging Face repo id like \"org/name\"")},
			},
			"file": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Path of the `.gguf` file inside the repository, e.g. `Llama-3.2-1B-Instruct-Q4_K_M.gguf`.",
				PlanModifiers:       replace,
				Validators:          []validator.String{stringvalidator.RegexMatches(ggufFile, "must be a relative path ending in .gguf")},
			},
			"revision": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString("main"),
				MarkdownDescription: "Branch, tag or commit of the Hugging Face repository. Defaults to `main`; pin a commit for builds that cannot drift.",
				PlanModifiers:       replace,
			},
			"repository": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Image name without tag, e.g. `ghcr.io/acme/llama-3.2-1b` or `localhost:30500/llama`. " +
					"This is the name nodes pull; set `registry.address` when the provider must push somewhere else.",
				PlanModifiers: replace,
				Validators:    []validator.String{stringvalidator.RegexMatches(noTag, "must not carry a tag or digest")},
			},
			"tag": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Image tag. Defaults to the quantization in the file name (`Q4_K_M`, `Q8_0`, `IQ4_XS`, `F16`, `BF16`, ..., " +
					"preceded by `.`, `-` or `_`), else `custom`.",
				PlanModifiers: []planmodifier.String{tagFromFile{}, stringplanmodifier.RequiresReplace()},
			},
			"base_image": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(gguf.DefaultBaseImage),
				MarkdownDescription: fmt.Sprintf("llama.cpp server image to build on. Defaults to `%s`; its entrypoint is kept (`llama-server` when it has none).", gguf.DefaultBaseImage),
				PlanModifiers:       replace,
			},
			"platform": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString("linux/amd64"),
				MarkdownDescription: "Platform of the base image to build on, `os/arch[/variant]`, e.g. `linux/arm64` for Arm nodes. Defaults to `linux/amd64`.",
				PlanModifiers:       replace,
				Validators:          []validator.String{stringvalidator.RegexMatches(platformRe, "must look like os/arch[/variant]")},
			},
			"method": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(gguf.MethodBuildKit),
				MarkdownDescription: "`buildkit` (default) builds on a BuildKit daemon (`builder.address`, else `BUILDKIT_HOST`); the daemon downloads the model. " +
					"`direct` needs no daemon: the provider streams the file from the Hub into a layer and pushes it, never holding it in memory.",
				PlanModifiers: replace,
				Validators:    []validator.String{stringvalidator.OneOf(gguf.MethodBuildKit, gguf.MethodDirect)},
			},
			"registry": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "How to reach the registry the image is pushed to. Changing it does not rebuild.",
				Attributes: map[string]schema.Attribute{
					"address": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "`host[:port]` to push to instead of the repository's host, e.g. a port-forward or the in-cluster Service " +
							"`kubefoundry-registry.kubefoundry-system.svc:5000` while kubelets pull `localhost:30500/...`. The outputs keep the repository's host.",
					},
					"insecure": schema.BoolAttribute{
						Optional:            true,
						MarkdownDescription: "Use plain HTTP, or HTTPS without certificate verification. Loopback registries are reached over HTTP anyway.",
					},
					"username": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "Registry user name. Without it the local Docker credentials (`~/.docker/config.json`) are used.",
					},
					"password_wo": schema.StringAttribute{
						Optional:  true,
						Sensitive: true,
						WriteOnly: true,
						MarkdownDescription: "Registry password or token, write-only: it is used to push and never stored in state or plan (Terraform >= 1.11). " +
							"Reads and deletes run without it, using the local Docker credentials; when those are denied the image is kept and a warning is shown.",
					},
					"password_wo_version": schema.Int64Attribute{
						Optional:            true,
						MarkdownDescription: "Bump to tell Terraform that `password_wo` changed.",
						PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
					},
				},
			},
			"builder": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "BuildKit daemon used by the `buildkit` method. Changing it does not rebuild.",
				Attributes: map[string]schema.Attribute{
					"address": schema.StringAttribute{
						Required: true,
						MarkdownDescription: "`unix:///run/buildkit/buildkitd.sock`, `tcp://host:1234`, or `kube-pod://<pod>?namespace=<ns>[&container=<c>]` " +
							"for a buildkitd pod reached through the provider's Kubernetes connection (the pod needs `buildctl`, as the `moby/buildkit` image has).",
						Validators: []validator.String{stringvalidator.RegexMatches(builderAddr, "must start with unix://, tcp:// or kube-pod://")},
					},
				},
			},
			"image": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`repository:tag`.",
				PlanModifiers:       keep,
			},
			"digest": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Manifest digest of the pushed image (`sha256:...`).",
				PlanModifiers:       keep,
			},
			"image_by_digest": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`repository@digest`: use this in deployments so nodes run exactly this build.",
				PlanModifiers:       keep,
			},
			"size_bytes": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Bytes a node pulls: the image config plus all (compressed) layers.",
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"model_sha256": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "sha256 of the model file, as published by the Hub and verified during the build.",
				PlanModifiers:       keep,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

// tagFromFile plans the default tag from the file name, so the plan shows the final image name.
type tagFromFile struct{}

func (tagFromFile) Description(context.Context) string {
	return "Defaults to the quantization parsed from the file name."
}
func (m tagFromFile) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (tagFromFile) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if !req.ConfigValue.IsNull() {
		return
	}
	var file types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("file"), &file)...)
	if file.IsUnknown() || file.IsNull() {
		resp.PlanValue = types.StringUnknown()
		return
	}
	resp.PlanValue = types.StringValue(gguf.QuantizationTag(file.ValueString()))
}

func (r *imageResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m imageModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.Method.IsUnknown() || m.Builder != nil {
		return
	}
	if (m.Method.IsNull() || m.Method.ValueString() == gguf.MethodBuildKit) && os.Getenv("BUILDKIT_HOST") == "" {
		resp.Diagnostics.AddAttributeError(path.Root("builder"), "BuildKit address missing",
			"The buildkit method needs builder.address (or the BUILDKIT_HOST environment variable). "+
				"Set method = \"direct\" to build without a BuildKit daemon.")
	}
}
