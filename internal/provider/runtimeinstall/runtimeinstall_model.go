package runtimeinstall

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/helminstall"
)

var (
	dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)
	repoURL  = regexp.MustCompile(`^(https?|oci)://\S+$`)
)

type installModel struct {
	ID                  types.String   `tfsdk:"id"`
	Runtime             types.String   `tfsdk:"runtime"`
	Version             types.String   `tfsdk:"version"`
	Namespace           types.String   `tfsdk:"namespace"`
	Values              types.String   `tfsdk:"values"`
	Chart               *chartModel    `tfsdk:"chart"`
	Wait                types.Bool     `tfsdk:"wait"`
	Atomic              types.Bool     `tfsdk:"atomic"`
	RemoveCRDsOnDestroy types.Bool     `tfsdk:"remove_crds_on_destroy"`
	Releases            types.List     `tfsdk:"releases"`
	CRDs                types.List     `tfsdk:"crds"`
	OperatorRunning     types.Bool     `tfsdk:"operator_running"`
	Installed           types.Bool     `tfsdk:"installed"`
	Message             types.String   `tfsdk:"message"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
}

type chartModel struct {
	Repository types.String `tfsdk:"repository"`
	Path       types.String `tfsdk:"path"`
	PlainHTTP  types.Bool   `tfsdk:"plain_http"`
	Username   types.String `tfsdk:"username"`
	PasswordWO types.String `tfsdk:"password_wo"`
}

var releaseType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"name": types.StringType, "namespace": types.StringType, "chart": types.StringType,
	"version": types.StringType, "revision": types.Int64Type, "status": types.StringType,
}}

// request turns the model into an installer request. password is the write-only value
// read from the configuration ("" outside create and update).
func (m *installModel) request(password string) (helminstall.Request, error) {
	rt, ok := helminstall.Lookup(m.Runtime.ValueString())
	if !ok {
		return helminstall.Request{}, fmt.Errorf("unknown runtime %q", m.Runtime.ValueString())
	}
	vals, err := helminstall.ParseValues(m.Values.ValueString())
	if err != nil {
		return helminstall.Request{}, err
	}
	req := helminstall.Request{
		Runtime:   rt,
		Version:   m.Version.ValueString(),
		Namespace: m.Namespace.ValueString(),
		Values:    vals,
		Wait:      m.Wait.ValueBool(),
		Atomic:    m.Atomic.ValueBool(),
	}
	if c := m.Chart; c != nil {
		req.Source = helminstall.Source{
			Repository: c.Repository.ValueString(),
			Path:       c.Path.ValueString(),
			Username:   c.Username.ValueString(),
			Password:   password,
			PlainHTTP:  c.PlainHTTP.ValueBool(),
		}
	}
	return req, nil
}

// setReleases stores the releases in state form.
func (m *installModel) setReleases(rels []helminstall.ReleaseInfo, diags *diag.Diagnostics) {
	elems := make([]attr.Value, 0, len(rels))
	for _, r := range rels {
		obj, d := types.ObjectValue(releaseType.AttrTypes, map[string]attr.Value{
			"name": types.StringValue(r.Name), "namespace": types.StringValue(r.Namespace),
			"chart": types.StringValue(r.Chart), "version": types.StringValue(r.Version),
			"revision": types.Int64Value(int64(r.Revision)), "status": types.StringValue(r.Status),
		})
		diags.Append(d...)
		elems = append(elems, obj)
	}
	l, d := types.ListValue(releaseType, elems)
	diags.Append(d...)
	m.Releases = l
}

func (m *installModel) setCRDs(names []string, diags *diag.Diagnostics) {
	l, d := types.ListValueFrom(context.Background(), types.StringType, append([]string{}, names...))
	diags.Append(d...)
	m.CRDs = l
}

func (m *installModel) crdNames() []string {
	var out []string
	if m.CRDs.IsNull() || m.CRDs.IsUnknown() {
		return nil
	}
	_ = m.CRDs.ElementsAs(context.Background(), &out, false)
	return out
}

// clearWriteOnly keeps the write-only password out of state.
func (m *installModel) clearWriteOnly() {
	if m.Chart != nil {
		m.Chart.PasswordWO = types.StringNull()
	}
}

// yamlMapping validates that `values` parses as a YAML mapping at plan time.
type yamlMapping struct{}

func (yamlMapping) Description(context.Context) string { return "must be a YAML mapping" }

func (v yamlMapping) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (yamlMapping) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := helminstall.ParseValues(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Helm values", err.Error())
	}
}
