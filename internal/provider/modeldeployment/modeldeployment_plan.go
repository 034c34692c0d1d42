package modeldeployment

import (
	"context"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"sigs.k8s.io/yaml"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// userAttributes are the attributes a user sets; an unknown one defers rendering to apply.
var userAttributes = []string{"name", "namespace", "runtime", "model", "engine", "mode", "served_model_name",
	"router_mode", "replicas", "gpus", "memory", "context_length", "enforce_eager", "enable_prefix_caching",
	"trust_remote_code", "engine_args", "disaggregated", "kuberay", "kaito", "hf_token_secret", "hf_token_wo_version"}

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
	cfg := m.toConfig(ctx, &resp.Diagnostics)
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
	cfg := config.toConfig(ctx, &resp.Diagnostics)
	if cfg.Namespace == "" {
		cfg.Namespace = r.defaultNamespace(ctx, runtime, &resp.Diagnostics)
	}
	if !config.HFTokenWOVersion.IsNull() {
		cfg.HFTokenSecret = hfSecretName(cfg.Name)
	}
	runtime.Defaults(&cfg)
	manifest, err := renderPrimary(runtime, cfg)
	if err != nil {
		resp.Diagnostics.AddError("Rendering the manifest failed", err.Error())
		return
	}
	plan.setConfig(cfg)
	keepConfiguredMaps(config, &plan)
	plan.ID = types.StringValue(cfg.Namespace + "/" + cfg.Name)
	plan.Endpoint = types.StringValue(runtime.Endpoint(cfg))
	plan.Manifest = types.StringValue(manifest)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}

	changed := req.State.Raw.IsNull() || differs(resp.Plan.Raw, req.State.Raw)
	if !changed {
		return
	}
	if !req.State.Raw.IsNull() {
		// The spec changes: the status after apply is not the one in state.
		for _, a := range []string{"phase", "status_message", "desired", "ready", "available"} {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(a), unknownOf(a))...)
		}
	}
	r.checkGPUFit(ctx, cfg, plan.GPUFitCheck.ValueString(), &resp.Diagnostics)
}

// renderPrimary renders the runtime's custom resource as YAML.
func renderPrimary(runtime rt.Runtime, cfg rt.DeploymentConfig) (string, error) {
	ms, err := runtime.Manifests(cfg)
	if err != nil {
		return "", err
	}
	out, err := yaml.Marshal(ms.Primary.Object)
	if err != nil {
		return "", fmt.Errorf("encoding the manifest: %w", err)
	}
	return string(out), nil
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
