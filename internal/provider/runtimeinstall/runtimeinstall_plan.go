package runtimeinstall

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/helminstall"
)

// ValidateConfig catches combinations the attribute validators cannot see.
func (r *installResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m installModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.Chart == nil {
		return
	}
	repo, local := m.Chart.Repository, m.Chart.Path
	if repo.IsUnknown() || local.IsUnknown() {
		return
	}
	if repo.IsNull() == local.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("chart"), "Invalid chart source",
			"Set exactly one of chart.repository (a chart repository URL or oci:// reference) and chart.path (a local chart).")
	}
	if m.Chart.PlainHTTP.ValueBool() && !local.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("chart").AtName("plain_http"), "Invalid chart.plain_http",
			"chart.plain_http only applies to chart.repository (an OCI registry), not to chart.path.")
	}
}

// ModifyPlan fills the runtime-dependent defaults and decides whether Helm must run: the
// computed attributes only become unknown when the chart version, values or source
// change, or when the last read found the installation incomplete.
func (r *installResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan, config installModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || plan.Runtime.IsUnknown() {
		return
	}
	rt, ok := helminstall.Lookup(plan.Runtime.ValueString())
	if !ok {
		return
	}
	if config.Version.IsNull() {
		plan.Version = types.StringValue(rt.DefaultVersion())
	}
	if config.Namespace.IsNull() {
		plan.Namespace = types.StringValue(rt.Spec.Namespace)
	}
	if !plan.Namespace.IsUnknown() {
		plan.ID = types.StringValue(plan.Namespace.ValueString() + "/" + plan.Runtime.ValueString())
	}
	if !req.State.Raw.IsNull() {
		var state installModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if needsHelm(&plan, &state) {
			plan.Releases = types.ListUnknown(releaseType)
			plan.CRDs = types.ListUnknown(types.StringType)
			plan.OperatorRunning = types.BoolUnknown()
			plan.Message = types.StringUnknown()
			plan.Installed = types.BoolValue(true)
		} else {
			plan.Releases, plan.CRDs = state.Releases, state.CRDs
			plan.OperatorRunning, plan.Installed, plan.Message = state.OperatorRunning, state.Installed, state.Message
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// needsHelm reports whether an update must install or upgrade.
func needsHelm(plan, state *installModel) bool {
	return !plan.Version.Equal(state.Version) || !plan.Values.Equal(state.Values) ||
		!sameChart(plan.Chart, state.Chart) || !state.Installed.ValueBool()
}

func sameChart(a, b *chartModel) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Repository.Equal(b.Repository) && a.Path.Equal(b.Path) &&
		a.Username.Equal(b.Username) && a.PlainHTTP.ValueBool() == b.PlainHTTP.ValueBool()
}
