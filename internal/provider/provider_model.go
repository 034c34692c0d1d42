package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
)

type providerModel struct {
	ConfigPath           types.String      `tfsdk:"config_path"`
	ConfigPaths          types.List        `tfsdk:"config_paths"`
	ConfigContext        types.String      `tfsdk:"config_context"`
	Host                 types.String      `tfsdk:"host"`
	Token                types.String      `tfsdk:"token"`
	ClusterCACertificate types.String      `tfsdk:"cluster_ca_certificate"`
	ClientCertificate    types.String      `tfsdk:"client_certificate"`
	ClientKey            types.String      `tfsdk:"client_key"`
	Insecure             types.Bool        `tfsdk:"insecure"`
	APIQPS               types.Float64     `tfsdk:"api_qps"`
	APIBurst             types.Int64       `tfsdk:"api_burst"`
	APIMaxRetries        types.Int64       `tfsdk:"api_max_retries"`
	OwnershipID          types.String      `tfsdk:"ownership_id"`
	DefaultNamespace     types.String      `tfsdk:"default_namespace"`
	Pricing              types.Object      `tfsdk:"pricing"`
	Exec                 *execModel        `tfsdk:"exec"`
	HuggingFace          *huggingFaceModel `tfsdk:"huggingface"`
}

type execModel struct {
	APIVersion types.String `tfsdk:"api_version"`
	Command    types.String `tfsdk:"command"`
	Args       types.List   `tfsdk:"args"`
	Env        types.Map    `tfsdk:"env"`
}

type huggingFaceModel struct {
	Endpoint types.String `tfsdk:"endpoint"`
	Token    types.String `tfsdk:"token"`
}

// connectionUnknown reports whether any connection setting is unknown (computed from
// resources not yet created).
func (m providerModel) connectionUnknown() bool {
	vals := []interface{ IsUnknown() bool }{m.ConfigPath, m.ConfigPaths, m.ConfigContext, m.Host, m.Token,
		m.ClusterCACertificate, m.ClientCertificate, m.ClientKey, m.Insecure}
	if m.Exec != nil {
		vals = append(vals, m.Exec.APIVersion, m.Exec.Command, m.Exec.Args, m.Exec.Env)
	}
	for _, v := range vals {
		if v.IsUnknown() {
			return true
		}
	}
	return false
}

func (m providerModel) kubeConfig(ctx context.Context) (kube.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	c := kube.Config{
		Context:              m.ConfigContext.ValueString(),
		Host:                 m.Host.ValueString(),
		Token:                m.Token.ValueString(),
		ClusterCACertificate: m.ClusterCACertificate.ValueString(),
		ClientCertificate:    m.ClientCertificate.ValueString(),
		ClientKey:            m.ClientKey.ValueString(),
		Insecure:             m.Insecure.ValueBool(),
		QPS:                  float32(m.APIQPS.ValueFloat64()),
		Burst:                int(m.APIBurst.ValueInt64()),
	}
	if !m.APIMaxRetries.IsNull() && !m.APIMaxRetries.IsUnknown() {
		n := int(m.APIMaxRetries.ValueInt64())
		c.MaxRetries = &n
	}
	if p := m.ConfigPath.ValueString(); p != "" {
		c.ConfigPaths = []string{p}
	}
	if !m.ConfigPaths.IsNull() {
		diags.Append(m.ConfigPaths.ElementsAs(ctx, &c.ConfigPaths, false)...)
	}
	if m.Exec != nil {
		if m.Exec.Command.ValueString() == "" {
			diags.AddAttributeError(path.Root("exec").AtName("command"), "Missing exec command",
				"The `exec` block needs `command`, the credential plugin to run (for example `aws`).")
		}
		e := &kube.ExecConfig{APIVersion: m.Exec.APIVersion.ValueString(), Command: m.Exec.Command.ValueString()}
		if e.APIVersion == "" {
			e.APIVersion = "client.authentication.k8s.io/v1beta1"
		}
		diags.Append(m.Exec.Args.ElementsAs(ctx, &e.Args, false)...)
		diags.Append(m.Exec.Env.ElementsAs(ctx, &e.Env, false)...)
		c.Exec = e
	}
	return c, diags
}

func (m providerModel) huggingFace(envToken string) providerdata.HuggingFace {
	hf := providerdata.HuggingFace{Endpoint: providerdata.DefaultHubEndpoint, Token: envToken}
	if m.HuggingFace != nil {
		if e := m.HuggingFace.Endpoint.ValueString(); e != "" {
			hf.Endpoint = e
		}
		if t := m.HuggingFace.Token.ValueString(); t != "" {
			hf.Token = t
		}
	}
	return hf
}
