package runtimeinstall

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/helminstall"
)

const (
	defaultApplyTimeout  = 20 * time.Minute
	defaultDeleteTimeout = 10 * time.Minute
)

func (r *installResource) installer(ctx context.Context, diags *diag.Diagnostics) *helminstall.Installer {
	c := r.data.KubeClient(ctx, diags)
	if c == nil {
		return nil
	}
	return &helminstall.Installer{Kube: c, Log: func(format string, args ...any) {
		tflog.Debug(ctx, "helm: "+fmt.Sprintf(format, args...))
	}}
}

func (r *installResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan installModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Create(ctx, defaultApplyTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	crds, ok := r.apply(ctx, req.Config, &plan, &resp.Diagnostics)
	if !ok {
		return
	}
	r.finish(ctx, &plan, crds, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *installResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state installModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Update(ctx, defaultApplyTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if !needsHelm(&plan, &state) {
		// Only settings such as wait or timeouts changed: nothing to do in the cluster, and
		// the computed attributes stay as planned (copied from state).
		plan.clearWriteOnly()
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	crds, ok := r.apply(ctx, req.Config, &plan, &resp.Diagnostics)
	if !ok {
		return
	}
	r.finish(ctx, &plan, crds, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// apply runs the CRD apply and the Helm install or upgrade, adding Helm's warnings.
func (r *installResource) apply(ctx context.Context, config tfsdk.Config, plan *installModel, diags *diag.Diagnostics) ([]string, bool) {
	var password types.String
	if plan.Chart != nil {
		diags.Append(config.GetAttribute(ctx, path.Root("chart").AtName("password_wo"), &password)...)
	}
	hreq, err := plan.request(password.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("values"), "Invalid Helm values", err.Error())
		return nil, false
	}
	in := r.installer(ctx, diags)
	if in == nil {
		return nil, false
	}
	res, err := in.Apply(ctx, hreq)
	for _, w := range res.Warnings {
		diags.AddWarning("Runtime installation", w)
	}
	if err != nil {
		diags.AddError(fmt.Sprintf("Installing %s failed", hreq.Runtime.DisplayName), err.Error())
		return nil, false
	}
	return res.CRDs, true
}

// finish fills the computed attributes after create or update.
func (r *installResource) finish(ctx context.Context, m *installModel, crds []string, diags *diag.Diagnostics) {
	m.clearWriteOnly()
	m.ID = types.StringValue(m.Namespace.ValueString() + "/" + m.Runtime.ValueString())
	in := r.installer(ctx, diags)
	if in == nil {
		return
	}
	hreq, err := m.request("")
	if err != nil {
		diags.AddError("Invalid configuration", err.Error())
		return
	}
	if _, err := r.observe(ctx, in, m, hreq, crds); err != nil {
		diags.AddError("Reading the installation failed", err.Error())
	}
}

// observe reads releases, CRDs and the operator into m; it reports whether any release exists.
func (r *installResource) observe(ctx context.Context, in *helminstall.Installer, m *installModel, hreq helminstall.Request, crds []string) (helminstall.Observed, error) {
	var diags diag.Diagnostics
	o, err := in.Inspect(ctx, hreq)
	if err != nil {
		return o, err
	}
	present, err := helminstall.PresentCRDs(ctx, in.Kube, crds)
	if err != nil {
		return o, err
	}
	m.setReleases(o.Releases, &diags)
	m.setCRDs(present, &diags)
	m.OperatorRunning = types.BoolValue(o.OperatorRunning)
	m.Installed = types.BoolValue(o.Deployed() && len(present) == len(crds))
	msg := o.Message
	if missing := missingOf(crds, present); len(missing) > 0 {
		msg = fmt.Sprintf("CRD(s) %s missing; the next apply reapplies them. %s", strings.Join(missing, ", "), msg)
	}
	m.Message = types.StringValue(msg)
	if diags.HasError() {
		return o, fmt.Errorf("%v", diags)
	}
	return o, nil
}

func (r *installResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state installModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in := r.installer(ctx, &resp.Diagnostics)
	if in == nil {
		return
	}
	hreq, err := state.request("")
	if err != nil {
		resp.Diagnostics.AddError("Invalid state", err.Error())
		return
	}
	crds := state.crdNames()
	if len(crds) == 0 { // imported: look for the runtime's known CRDs
		spec := hreq.Runtime.Spec
		known := append([]string{}, spec.CRDNames...)
		for _, p := range spec.PreCRDs {
			known = append(known, p.Name)
		}
		if crds, err = helminstall.PresentCRDs(ctx, in.Kube, known); err != nil {
			resp.Diagnostics.AddError("Reading the installation failed", err.Error())
			return
		}
		slices.Sort(crds)
		crds = slices.Compact(crds)
	}
	o, err := r.observe(ctx, in, &state, hreq, crds)
	if err != nil {
		resp.Diagnostics.AddError("Reading the installation failed", err.Error())
		return
	}
	if len(o.Releases) == 0 {
		tflog.Info(ctx, "no Helm release of the runtime found; removing it from state", map[string]any{"runtime": hreq.Runtime.ID})
		resp.State.RemoveResource(ctx)
		return
	}
	if err := r.readDrift(ctx, in, &state, hreq, o); err != nil {
		resp.Diagnostics.AddError("Reading the installation failed", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// readDrift copies the operator release's chart version, values and chart source into
// state, so changes made outside Terraform show up as a diff.
func (r *installResource) readDrift(ctx context.Context, in *helminstall.Installer, m *installModel, hreq helminstall.Request, o helminstall.Observed) error {
	charts := hreq.Charts()
	main := charts[len(charts)-1]
	idx := slices.IndexFunc(o.Releases, func(ri helminstall.ReleaseInfo) bool { return ri.Name == main.Release })
	if idx < 0 {
		return nil
	}
	live := o.Releases[idx]
	if strings.TrimPrefix(live.Version, "v") != strings.TrimPrefix(m.Version.ValueString(), "v") {
		m.Version = types.StringValue(live.Version)
	}
	if !helminstall.SameValues(main.Values, live.Config) {
		raw, err := yaml.Marshal(live.Config)
		if err != nil {
			return err
		}
		m.Values = types.StringValue(string(raw))
	}
	if m.Chart == nil {
		src, ok, err := in.RecordedSource(ctx, live)
		if err != nil || !ok {
			return err
		}
		m.Chart = &chartModel{
			Repository: optString(src.Repository), Path: optString(src.Path), Username: optString(src.Username),
			PlainHTTP: types.BoolNull(), PasswordWO: types.StringNull(),
		}
		if src.PlainHTTP {
			m.Chart.PlainHTTP = types.BoolValue(true)
		}
	}
	return nil
}

func (r *installResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state installModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	in := r.installer(ctx, &resp.Diagnostics)
	if in == nil {
		return
	}
	hreq, err := state.request("")
	if err != nil {
		resp.Diagnostics.AddError("Invalid state", err.Error())
		return
	}
	warnings, err := in.Uninstall(ctx, hreq)
	for _, w := range warnings {
		resp.Diagnostics.AddWarning("Runtime uninstall", w)
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Uninstalling %s failed", hreq.Runtime.DisplayName), err.Error())
		return
	}
	if state.RemoveCRDsOnDestroy.ValueBool() {
		names := append(state.crdNames(), hreq.Runtime.Spec.RemoveCRDsOnUninstall...)
		slices.Sort(names)
		if err := helminstall.DeleteCRDs(ctx, in.Kube, slices.Compact(names)); err != nil {
			resp.Diagnostics.AddError("Deleting the runtime's CRDs failed", err.Error())
		}
	}
}

func missingOf(want, have []string) []string {
	var out []string
	for _, w := range want {
		if !slices.Contains(have, w) {
			out = append(out, w)
		}
	}
	return out
}

func optString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
