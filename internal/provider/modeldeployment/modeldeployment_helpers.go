package modeldeployment

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// writeHFSecret stores the write-only token in the deployment's Secret. The token comes
// from the configuration (write-only values are never in plan or state) and is not logged.
func (r *deploymentResource) writeHFSecret(ctx context.Context, config tfsdk.Config, p *prepared, diags *diag.Diagnostics) bool {
	var token types.String
	diags.Append(config.GetAttribute(ctx, path.Root("hf_token_wo"), &token)...)
	if diags.HasError() || token.IsNull() || token.IsUnknown() {
		return !diags.HasError()
	}
	secret := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Secret",
		"metadata": map[string]any{
			"name": hfSecretName(p.cfg.Name), "namespace": p.cfg.Namespace,
			"labels": map[string]any{
				rt.LabelManagedBy: rt.ManagedBy, rt.LabelInstance: p.cfg.Name,
				"kubefoundry.io/secret-type": "huggingface-token",
			},
		},
		"type":       "Opaque",
		"stringData": map[string]any{"HF_TOKEN": token.ValueString()},
	}}
	if _, err := p.client.Apply(ctx, schema.GroupVersionResource{Version: "v1", Resource: "secrets"}, secret, kube.ApplyOptions{Force: true}); err != nil {
		// The API error never echoes the request body, so the token cannot leak through it.
		diags.AddError("Writing the Hugging Face token Secret failed", err.Error())
		return false
	}
	return true
}

// gvrOf maps the companion kinds the runtimes render to their resources.
func gvrOf(obj *unstructured.Unstructured) schema.GroupVersionResource {
	gv, _ := schema.ParseGroupVersion(obj.GetAPIVersion())
	switch obj.GetKind() {
	case "Service":
		return gv.WithResource("services")
	case "Secret":
		return gv.WithResource("secrets")
	case "ConfigMap":
		return gv.WithResource("configmaps")
	case "PersistentVolumeClaim":
		return gv.WithResource("persistentvolumeclaims")
	case "Job":
		return gv.WithResource("jobs")
	case "Deployment", "ServiceAccount", "Role", "RoleBinding", "HTTPRoute", "InferencePool": // gateway objects
		return gv.WithResource(strings.ToLower(obj.GetKind()) + "s")
	case "HorizontalPodAutoscaler":
		return gv.WithResource("horizontalpodautoscalers")
	case "ScaledObject":
		return gv.WithResource("scaledobjects")
	}
	panic(fmt.Sprintf("modeldeployment: no resource known for companion kind %s", obj.GetKind()))
}

// projectYAML renders the live object restricted to the fields the desired object sets:
// the fields this provider manages. Server-populated fields stay out, and a managed field
// that was changed or removed out of band shows up as a difference.
func projectYAML(live, want map[string]any) (string, error) {
	out, err := yaml.Marshal(project(live, want))
	return string(out), err
}

func project(live, want map[string]any) map[string]any {
	out := map[string]any{}
	for k, w := range want {
		l, ok := live[k]
		if !ok {
			continue
		}
		wm, wIsMap := w.(map[string]any)
		lm, lIsMap := l.(map[string]any)
		if wIsMap && lIsMap {
			out[k] = project(lm, wm)
			continue
		}
		if wl, ok := w.([]any); ok {
			if ll, ok := l.([]any); ok && len(ll) == len(wl) {
				out[k] = projectList(ll, wl)
				continue
			}
		}
		out[k] = l
	}
	return out
}

func projectList(live, want []any) []any {
	out := make([]any, len(live))
	for i := range live {
		wm, wIsMap := want[i].(map[string]any)
		lm, lIsMap := live[i].(map[string]any)
		if wIsMap && lIsMap {
			out[i] = project(lm, wm)
		} else {
			out[i] = live[i]
		}
	}
	return out
}

// stateRuntime is the runtime renderer the state's configuration selects (e.g. the Dynamo
// API version), so Read and Delete talk to the version that was applied.
func stateRuntime(ctx context.Context, state model, diags *diag.Diagnostics) (rt.Runtime, error) {
	runtime, err := runtimeFor(state.Runtime.ValueString())
	if err != nil {
		return nil, err
	}
	cfg := state.toConfig(ctx, providerdata.DefaultHubEndpoint, diags)
	runtime.Defaults(&cfg)
	return rt.ForConfig(runtime, cfg), nil
}

// findObject looks up name in every API version a runtime renders (default first) and
// returns the version-specific runtime with the object; (nil, nil, nil) when absent.
func findObject(ctx context.Context, client *kube.Client, r rt.Runtime, ns, name string) (rt.Runtime, *unstructured.Unstructured, error) {
	for _, v := range rt.Versions(r) {
		obj, err := client.Dynamic.Resource(v.CRD().GVR()).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
		switch {
		case err == nil && !claims(v, obj):
			continue // a built-in kind (Deployment) of the same name that this runtime did not render
		case err == nil:
			return v, obj, nil
		case !apierrors.IsNotFound(err):
			return nil, nil, err
		}
	}
	return nil, nil, nil
}

// claims reports whether obj was rendered by runtime r (always, unless r is a rt.Claimer).
func claims(r rt.Runtime, obj *unstructured.Unstructured) bool {
	c, ok := r.(rt.Claimer)
	return !ok || c.Claims(obj)
}

// versionAttribute is the attribute that selects a runtime's API version.
func versionAttribute(r rt.Runtime) path.Path {
	if _, ok := r.(rt.VersionAdvisor); ok {
		return path.Root(r.ID()).AtName("api_version")
	}
	return path.Root("runtime")
}
