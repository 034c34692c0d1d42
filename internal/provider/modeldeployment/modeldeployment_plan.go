package modeldeployment

import (
	"context"
	"fmt"
	"math/big"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// userAttributes are the attributes a user sets; an unknown one defers rendering to apply.
var userAttributes = append([]string{"name", "namespace", "runtime", "model", "engine", "mode", "served_model_name",
	"router_mode", "replicas", "gpus", "memory", "context_length", "enforce_eager", "enable_prefix_caching",
	"trust_remote_code", "engine_args", "disaggregated", "kuberay", "kaito", "dynamo", "vllm", "kserve", "hf_token_secret", "hf_token_wo_version"},
	append(workloadInputs, append(gatewayInputs, autoscalingInputs...)...)...)

// unknownAttributes lists the user attributes whose value is not known yet.
func unknownAttributes(cfg tfsdk.Config) map[string]bool {
	out := map[string]bool{}
	if cfg.Raw.IsFullyKnown() {
		return out // the common case; walking each attribute's path costs more than the rest of a plan
	}
	for _, a := range userAttributes {
		v, _, err := tftypes.WalkAttributePath(cfg.Raw, tftypes.NewAttributePath().WithAttributeName(a))
		if val, ok := v.(tftypes.Value); err == nil && ok && !val.IsFullyKnown() {
			out[a] = true
		}
	}
	return out
}

// ValidateConfig runs the runtime's validation offline, so bad input fails at plan with
// the offending attribute named.
func (r *deploymentResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m model
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.Runtime.IsUnknown() || m.Runtime.IsNull() {
		return
	}
	runtime, err := runtimeFor(m.Runtime.ValueString())
	if err != nil {
		return // the attribute validator reports it
	}
	unknown := unknownAttributes(req.Config)
	cfg := m.toConfig(ctx, hubEndpoint(r.data), &resp.Diagnostics)
	if cfg.Namespace == "" {
		cfg.Namespace = runtime.DefaultNamespace() // the real default is resolved at plan
	}
	if !m.HFTokenWOVersion.IsNull() {
		cfg.HFTokenSecret = hfSecretName(cfg.Name)
	}
	runtime.Defaults(&cfg)
	for _, p := range runtime.Validate(cfg) {
		root := problemPath(p)
		if len(root.Steps()) > 0 && unknown[root.Steps()[0].String()] {
			continue
		}
		resp.Diagnostics.AddAttributeError(root, "Invalid model deployment", p.String())
	}
}

// ModifyPlan renders the manifest at plan: defaults become visible, and the exact custom
// resource to be applied is shown for review. No cluster is needed.
func (r *deploymentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var config, plan model
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if plan.WaitForReady.IsUnknown() {
		plan.WaitForReady = types.BoolValue(true)
	}
	if plan.GPUFitCheck.IsUnknown() {
		plan.GPUFitCheck = types.StringValue("warn")
	}
	if len(unknownAttributes(req.Config)) > 0 {
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return // rendered at apply
	}
	runtime, err := runtimeFor(config.Runtime.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("runtime"), "Unknown runtime", err.Error())
		return
	}
	cfg := config.toConfig(ctx, hubEndpoint(r.data), &resp.Diagnostics)
	if cfg.Namespace == "" {
		cfg.Namespace = r.defaultNamespace(ctx, runtime, &resp.Diagnostics)
	}
	if !config.HFTokenWOVersion.IsNull() {
		cfg.HFTokenSecret = hfSecretName(cfg.Name)
	}
	runtime.Defaults(&cfg)
	runtime = rt.ForConfig(runtime, cfg)
	manifest, companions, err := render(runtime, cfg)
	if err != nil {
		resp.Diagnostics.AddError("Rendering the manifest failed", err.Error())
		return
	}
	warnOverrides(runtime, cfg, &resp.Diagnostics)
	plan.setConfig(cfg)
	keepConfiguredMaps(config, &plan)
	plan.ID = types.StringValue(cfg.Namespace + "/" + cfg.Name)
	plan.Endpoint = types.StringValue(runtime.Endpoint(cfg))
	plan.Manifest = types.StringValue(manifest)
	plan.CompanionManifests = companions
	planURL(config, &plan)
	plan.EstimatedHourlyCost = r.estimatedHourlyCost(ctx, cfg)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}

	changed := req.State.Raw.IsNull() || differs(resp.Plan.Raw, req.State.Raw)
	if !changed {
		return
	}
	if !req.State.Raw.IsNull() {
		r.requireReplace(ctx, runtime, cfg, req.State, resp)
		planReplacement(ctx, runtime, req, resp, manifest)
		// The spec changes: the status after apply is not the one in state.
		for _, a := range []string{"phase", "status_message", "desired", "ready", "available"} {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(a), unknownOf(a))...)
		}
	}
	r.checkGPUFit(ctx, cfg, plan.GPUFitCheck.ValueString(), &resp.Diagnostics)
}

// render renders the runtime's custom resource and its companions as YAML.
func render(runtime rt.Runtime, cfg rt.DeploymentConfig) (string, types.String, error) {
	ms, err := runtime.Manifests(cfg)
	if err != nil {
		return "", types.StringNull(), err
	}
	out, err := yaml.Marshal(ms.Primary.Object)
	if err != nil {
		return "", types.StringNull(), fmt.Errorf("encoding the manifest: %w", err)
	}
	companions, err := renderCompanions(ms.Companions)
	return string(out), companions, err
}

// keepConfiguredMaps keeps an explicitly empty map from the configuration: the plan must
// equal what the user wrote, and the runtime config does not distinguish {} from unset.
func keepConfiguredMaps(config model, plan *model) {
	if !config.EngineArgs.IsNull() && len(config.EngineArgs.Elements()) == 0 {
		plan.EngineArgs = config.EngineArgs
	}
}

func unknownOf(attr string) any {
	switch attr {
	case "desired", "ready", "available":
		return types.Int64Unknown()
	default:
		return types.StringUnknown()
	}
}

// defaultNamespace resolves an unset namespace: the provider's default_namespace, else
// KubeFoundry's configured default (when the cluster is reachable), else the runtime's.
func (r *deploymentResource) defaultNamespace(ctx context.Context, runtime rt.Runtime, diags *diag.Diagnostics) string {
	if r.data != nil {
		if ns := r.data.ResolveDefaultNamespace(ctx, diags); ns != "" {
			return ns
		}
	}
	return runtime.DefaultNamespace()
}

// differs compares planned and prior values. Numbers count as equal when they are the same
// float64: a value read back from state carries more precision than one computed in Go.
func differs(a, b tftypes.Value) bool {
	diffs, err := a.Diff(b)
	if err != nil {
		return true
	}
	for _, d := range diffs {
		if d.Value1 == nil || d.Value2 == nil || !d.Value1.Type().Is(tftypes.Number) || !d.Value2.Type().Is(tftypes.Number) {
			return true
		}
		var x, y big.Float
		if d.Value1.As(&x) != nil || d.Value2.As(&y) != nil {
			return true
		}
		fx, _ := x.Float64()
		fy, _ := y.Float64()
		if fx != fy {
			return true
		}
	}
	return false
}

// planReplacement plans a replacement when the runtime's operator cannot take the change in
// place (KAITO: immutable fields and template changes it never rolls out, see
// kaito.ReplaceReasons). The changed attributes are marked, and a warning says why.
func planReplacement(ctx context.Context, runtime rt.Runtime, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, planned string) {
	replacer, ok := runtime.(rt.Replacer)
	if !ok {
		return
	}
	var prior types.String
	if d := req.State.GetAttribute(ctx, path.Root("manifest"), &prior); d.HasError() || prior.IsNull() || prior.IsUnknown() || prior.ValueString() == "" {
		return
	}
	var before, after unstructured.Unstructured
	if yaml.Unmarshal([]byte(prior.ValueString()), &before.Object) != nil || yaml.Unmarshal([]byte(planned), &after.Object) != nil {
		return
	}
	reasons := replacer.ReplaceReasons(&before, &after)
	if len(reasons) == 0 {
		return
	}
	paths := changedAttributes(req.State.Raw, resp.Plan.Raw)
	if len(paths) == 0 {
		paths = []path.Path{path.Root("manifest")}
	}
	resp.RequiresReplace = append(resp.RequiresReplace, paths...)
	resp.Diagnostics.AddWarning(fmt.Sprintf("%s cannot change this deployment in place: it will be replaced", runtime.DisplayName()),
		"The deployment is deleted and created again (a short outage) because:\n- "+strings.Join(reasons, "\n- "))
}

// changedAttributes lists the user attributes whose planned value differs from state.
func changedAttributes(state, plan tftypes.Value) []path.Path {
	var out []path.Path
	for _, a := range userAttributes {
		p := tftypes.NewAttributePath().WithAttributeName(a)
		before, _, err1 := tftypes.WalkAttributePath(state, p)
		after, _, err2 := tftypes.WalkAttributePath(plan, p)
		bv, ok1 := before.(tftypes.Value)
		av, ok2 := after.(tftypes.Value)
		if err1 != nil || err2 != nil || !ok1 || !ok2 {
			continue
		}
		if differs(av, bv) {
			out = append(out, path.Root(a))
		}
	}
	return out
}
