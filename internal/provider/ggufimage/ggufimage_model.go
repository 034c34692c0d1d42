package ggufimage

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gguf"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
)

var (
	repoID      = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*$`)
	ggufFile    = regexp.MustCompile(`^[^/].*\.(?i:gguf)$`)
	noTag       = regexp.MustCompile(`^[^@]*[^:@]*$`)
	builderAddr = regexp.MustCompile(`^(unix|tcp|kube-pod)://.+`)
	platformRe  = regexp.MustCompile(`^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$`)
)

type imageModel struct {
	ID            types.String   `tfsdk:"id"`
	Model         types.String   `tfsdk:"model"`
	File          types.String   `tfsdk:"file"`
	Revision      types.String   `tfsdk:"revision"`
	Repository    types.String   `tfsdk:"repository"`
	Tag           types.String   `tfsdk:"tag"`
	BaseImage     types.String   `tfsdk:"base_image"`
	Platform      types.String   `tfsdk:"platform"`
	Method        types.String   `tfsdk:"method"`
	Registry      *registryModel `tfsdk:"registry"`
	Builder       *builderModel  `tfsdk:"builder"`
	Image         types.String   `tfsdk:"image"`
	Digest        types.String   `tfsdk:"digest"`
	ImageByDigest types.String   `tfsdk:"image_by_digest"`
	SizeBytes     types.Int64    `tfsdk:"size_bytes"`
	ModelSHA256   types.String   `tfsdk:"model_sha256"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
}

type registryModel struct {
	Address           types.String `tfsdk:"address"`
	Insecure          types.Bool   `tfsdk:"insecure"`
	Username          types.String `tfsdk:"username"`
	PasswordWO        types.String `tfsdk:"password_wo"`
	PasswordWOVersion types.Int64  `tfsdk:"password_wo_version"`
}

type builderModel struct {
	Address types.String `tfsdk:"address"`
}

// registry converts the block; password comes from config (write-only values never reach
// plan or state). Without a password the username is dropped too, so reads fall back to
// the local Docker credentials instead of sending a half credential.
func (m *imageModel) registry(password string) gguf.Registry {
	if m.Registry == nil {
		return gguf.Registry{}
	}
	r := gguf.Registry{
		Address:  m.Registry.Address.ValueString(),
		Insecure: m.Registry.Insecure.ValueBool(),
	}
	if password != "" {
		r.Username, r.Password = m.Registry.Username.ValueString(), password
	}
	return r
}

func (m *imageModel) spec(data *providerdata.Data, password string) gguf.Spec {
	s := gguf.Spec{
		Source: gguf.Source{
			Model:    m.Model.ValueString(),
			File:     m.File.ValueString(),
			Revision: m.Revision.ValueString(),
		},
		Repository: m.Repository.ValueString(),
		Tag:        m.Tag.ValueString(),
		BaseImage:  m.BaseImage.ValueString(),
		Method:     m.Method.ValueString(),
		Platform:   m.Platform.ValueString(),
		Registry:   m.registry(password),
	}
	if data != nil {
		s.Source.Endpoint = data.HuggingFace.Endpoint
		s.Source.Token = data.HuggingFace.Token
	}
	if m.Builder != nil {
		s.Builder = m.Builder.Address.ValueString()
	}
	return s
}

func (m *imageModel) setResult(res *gguf.Result) {
	m.ID = types.StringValue(res.ImageByDigest)
	m.Image = types.StringValue(res.Image)
	m.Digest = types.StringValue(res.Digest)
	m.ImageByDigest = types.StringValue(res.ImageByDigest)
	m.SizeBytes = types.Int64Value(res.SizeBytes)
	m.ModelSHA256 = types.StringValue(res.ModelSHA256)
}

// clearWriteOnly keeps write-only values out of state.
func (m *imageModel) clearWriteOnly() {
	if m.Registry != nil {
		m.Registry.PasswordWO = types.StringNull()
	}
}
