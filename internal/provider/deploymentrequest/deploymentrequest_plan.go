package deploymentrequest

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo/dgdr"
)

// pathOf turns a problem path ("workload.request_rate") into an attribute path.
func pathOf(p string) path.Path {
	parts := strings.Split(p, ".")
	out := path.Root(parts[0])
	for _, s := range parts[1:] {
		out = out.AtName(s)
	}
	return out
}

// ValidateConfig reports, at plan time and without a cluster, what the operator's CRD
// schema, admission webhook or controller validation would refuse.
func (r *requestResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg model
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	request := cfg.request(ctx, &resp.Diagnostics)
	if cfg.Model.IsUnknown() {
		request.Model = "unknown"
	}
	// The defaults the schema fills in are not in the configuration yet.
	if cfg.Backend.IsNull() {
		request.Backend = dgdr.DefaultBackend
	}
	if cfg.Backend.IsUnknown() || cfg.SearchStrategy.IsUnknown() {
		request.SearchStrategy = ""
	}
	for _, p := range dgdr.Validate(request) {
		resp.Diagnostics.AddAttributeError(pathOf(p.Path), "Invalid deployment request", p.Message)
	}
}

func (r *requestResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if plan.Namespace.IsUnknown() && req.State.Raw.IsNull() {
		ns := "default"
		if r.data != nil {
			if d := r.data.ResolveDefaultNamespace(ctx, &resp.Diagnostics); d != "" {
				ns = d
			}
		}
		plan.Namespace = types.StringValue(ns)
	}
	if req.State.Raw.IsNull() && !plan.Namespace.IsUnknown() && !plan.Name.IsUnknown() {
		plan.ID = types.StringValue(plan.Namespace.ValueString() + "/" + plan.Name.ValueString())
	}
	checkLabelLength(plan, resp)
	if req.State.Raw.IsNull() {
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	phase := state.Phase.ValueString()
	switch {
	case phase == dgdr.PhaseFailed:
		// The operator never leaves Failed (handleFailedPhase), so only a new request helps.
		resp.Diagnostics.AddWarning("Deployment request failed: it will be replaced",
			fmt.Sprintf("%s is Failed (%s); the Dynamo operator never retries a failed request, so this apply replaces it.", state.ID.ValueString(), state.Message.ValueString()))
		plan.unknownStatus()
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("phase"))
	case !plan.AutoApply.IsUnknown() && plan.AutoApply.ValueBool() != state.AutoApply.ValueBool():
		plan.unknownStatus()
		// The webhook allows only false -> true, and only once the graph is generated (Ready).
		if !plan.AutoApply.ValueBool() || (phase != dgdr.PhaseReady && phase != dgdr.PhasePending) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("auto_apply"))
		}
	default:
		// Only local settings changed (or nothing): what the operator reports stays.
		plan.Phase, plan.ProfilingPhase, plan.Message = state.Phase, state.ProfilingPhase, state.Message
		plan.ProfilingJobName, plan.GraphName, plan.GraphYAML, plan.Graph = state.ProfilingJobName, state.GraphName, state.GraphYAML, state.Graph
		plan.Replicas, plan.AvailableReplicas = state.Replicas, state.AvailableReplicas
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// checkLabelLength: the operator labels every component of the graph
// nvidia.com/dynamo-namespace=<namespace>-<graph> (api/v1beta1 ComputeDynamoNamespace @ 1.4.0),
// and a label value has at most 63 characters; a longer pair fails only after profiling.
func checkLabelLength(plan model, resp *resource.ModifyPlanResponse) {
	if plan.Namespace.IsUnknown() || plan.Name.IsUnknown() || !plan.GraphOverride.IsNull() {
		return
	}
	graph := dgdr.DefaultGraphName(plan.Name.ValueString())
	if n := len(plan.Namespace.ValueString()) + 1 + len(graph); n > validation.LabelValueMaxLength {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Name too long for the generated graph",
			fmt.Sprintf("the graph will be %q in namespace %q, and the Dynamo operator labels its components "+
				"nvidia.com/dynamo-namespace=\"<namespace>-<graph>\" (%d characters here; label values have at most 63): "+
				"shorten the name to at most %d characters, use a shorter namespace, or name the graph in graph_override",
				graph, plan.Namespace.ValueString(), n, validation.LabelValueMaxLength-1-len(plan.Namespace.ValueString())-len("-dgd")))
	}
}
