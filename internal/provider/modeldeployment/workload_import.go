package modeldeployment

import (
	"context"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// importPodResources reads `pod.resources` back on import. Parse reads no workload settings,
// so the container resources the workload added (cpu, extra resources, a GPU resource other
// than nvidia.com/gpu) would otherwise show as a change on the first plan. Candidates come
// from the live object's container resources; one is kept only if rendering the imported
// configuration with it reproduces every managed field of the live object (so a per-role
// setting, which `pod` cannot express, is left unread). nil when none fits or none is needed.
func importPodResources(runtime rt.Runtime, live rt.DeploymentConfig, view *unstructured.Unstructured) *rt.Workload {
	if live.Workload != nil {
		return nil
	}
	if reproduces(runtime, live, view) {
		return nil // nothing beyond the runtime's own resources
	}
	cpus, extra, gpu := resourceCandidates(view.Object)
	for _, cpu := range append(cpus, "") {
		for _, x := range []map[string]string{extra, nil} {
			s := rt.PodSettings{CPU: cpu, ExtraResources: x, GPUResourceName: gpu}
			if s.CPU == "" && len(s.ExtraResources) == 0 && s.GPUResourceName == "" {
				continue
			}
			cfg := live
			cfg.Workload = &rt.Workload{Pod: s}
			if reproduces(runtime, cfg, view) {
				return cfg.Workload
			}
		}
	}
	return nil
}

// reproduces reports whether cfg renders exactly the live object's managed fields, and every
// container resources map exactly as live (the managed-field projection alone would not see a
// live CPU quantity that the rendering lacks).
func reproduces(runtime rt.Runtime, cfg rt.DeploymentConfig, view *unstructured.Unstructured) bool {
	if ps := runtime.Validate(cfg); len(ps) > 0 {
		return false
	}
	m, err := runtime.Manifests(cfg)
	if err != nil {
		return false
	}
	want, err1 := yaml.Marshal(m.Primary.Object)
	got, err2 := yaml.Marshal(projectWholeResources(view.Object, m.Primary.Object))
	return err1 == nil && err2 == nil && string(got) == string(want)
}

// projectWholeResources is project (the live fields the rendering sets), except that every
// `resources` map is taken whole from the live object.
func projectWholeResources(live, want map[string]any) map[string]any {
	out := map[string]any{}
	for k, w := range want {
		l, ok := live[k]
		if !ok {
			continue
		}
		if _, isMap := l.(map[string]any); isMap && k == "resources" {
			out[k] = l
			continue
		}
		switch wv := w.(type) {
		case map[string]any:
			if lm, ok := l.(map[string]any); ok {
				out[k] = projectWholeResources(lm, wv)
				continue
			}
		case []any:
			if ll, ok := l.([]any); ok && len(ll) == len(wv) {
				items := make([]any, len(ll))
				for i := range ll {
					lm, ok1 := ll[i].(map[string]any)
					wm, ok2 := wv[i].(map[string]any)
					if ok1 && ok2 {
						items[i] = projectWholeResources(lm, wm)
					} else {
						items[i] = ll[i]
					}
				}
				out[k] = items
				continue
			}
		}
		out[k] = l
	}
	return out
}

// resourceCandidates collects, over every `resources.limits` / `resources.requests` map of
// the object: the distinct CPU quantities, the extended resources that are neither CPU,
// memory, storage nor a GPU, and a GPU resource name other than the default.
func resourceCandidates(obj map[string]any) (cpus []string, extra map[string]string, gpu string) {
	extra = map[string]string{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if res, ok := x["resources"].(map[string]any); ok {
				for _, kind := range []string{"limits", "requests"} {
					m, _ := res[kind].(map[string]any)
					for k, q := range m {
						s, ok := q.(string)
						if !ok {
							continue
						}
						switch {
						case k == "cpu":
							if !slices.Contains(cpus, s) {
								cpus = append(cpus, s)
							}
						case k == "memory" || k == "ephemeral-storage":
						case rt.IsGPUResource(k):
							if k != rt.DefaultGPUResource {
								gpu = k
							}
						default:
							extra[k] = s
						}
					}
				}
			}
			for _, k := range slices.Sorted(maps.Keys(x)) {
				walk(x[k])
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(obj)
	slices.Sort(cpus)
	if len(extra) == 0 {
		extra = nil
	}
	return cpus, extra, gpu
}

// podResourcesValue is the `pod` attribute holding only `resources` (everything else null).
func podResourcesValue(ctx context.Context, s rt.PodSettings, diags *diag.Diagnostics) types.Object {
	podType, _ := workloadAttributes()["pod"].GetType().(types.ObjectType)
	resType, _ := podType.AttrTypes["resources"].(types.ObjectType)
	extra := types.MapNull(types.StringType)
	if len(s.ExtraResources) > 0 {
		extra = mapValue(s.ExtraResources)
	}
	res, d := types.ObjectValue(resType.AttrTypes, map[string]attr.Value{
		"cpu": optStr(s.CPU), "extra": extra, "gpu_resource_name": optStr(s.GPUResourceName)})
	diags.Append(d...)
	vals := map[string]attr.Value{}
	for name, t := range podType.AttrTypes {
		if name == "resources" {
			vals[name] = res
			continue
		}
		null, err := t.ValueFromTerraform(ctx, tftypes.NewValue(t.TerraformType(ctx), nil))
		if err != nil {
			diags.AddError("Building the imported pod settings failed", err.Error())
			return types.ObjectNull(podType.AttrTypes)
		}
		vals[name] = null
	}
	v, d := types.ObjectValue(podType.AttrTypes, vals)
	diags.Append(d...)
	return v
}
