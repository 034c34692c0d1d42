package modeldeployment

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/autoscaling"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// isDynamoV1Beta1 reports whether obj is a DynamoGraphDeployment of the API that has
// scaling adapters.
func isDynamoV1Beta1(obj *unstructured.Unstructured) bool {
	return obj != nil && obj.GetKind() == "DynamoGraphDeployment" && obj.GetAPIVersion() == autoscaling.AdapterAPIVersion
}

// holdAdapterReplicas prepares the apply of a Dynamo graph whose components use (or stop
// using) a scaling adapter: their replicas stay at the live value, which the adapter owns
// and the operator's webhook protects. When a component leaves its adapter, the configured
// replicas are returned as a second object to apply once the first apply has succeeded
// (the webhook compares with the stored object, which then has no adapter any more).
func holdAdapterReplicas(ctx context.Context, p *prepared, diags *diag.Diagnostics) (*unstructured.Unstructured, bool) {
	if !kedaServed(p, diags) {
		return nil, false
	}
	if isAutoscaledInferenceSet(p.objects) {
		return nil, holdInferenceSetReplicas(ctx, p, diags)
	}
	if !isDynamoV1Beta1(p.objects.Primary) {
		return nil, true
	}
	planned := p.objects.Primary
	live, err := p.client.Dynamic.Resource(p.runtime.CRD().GVR()).Namespace(planned.GetNamespace()).Get(ctx, planned.GetName(), metav1.GetOptions{})
	if apierrors.IsNotFound(err) || typeNotServed(err) {
		return nil, true
	}
	if err != nil {
		diags.AddError("Reading the model deployment failed", err.Error())
		return nil, false
	}
	want := planned.DeepCopy()
	later, err := autoscaling.KeepAdapterReplicas(planned, live)
	if err != nil {
		diags.AddError("Rendering the manifest failed", err.Error())
		return nil, false
	}
	if len(later) == 0 {
		return nil, true
	}
	next, err := autoscaling.WithReplicas(want, later)
	if err != nil {
		diags.AddError("Rendering the manifest failed", err.Error())
		return nil, false
	}
	return next, true
}

// applyAfterAdapters applies the second step of turning autoscaling off: the configured
// replicas, now that no adapter owns them.
func applyAfterAdapters(ctx context.Context, p *prepared, next *unstructured.Unstructured, diags *diag.Diagnostics) bool {
	if next == nil {
		return true
	}
	if _, err := p.client.Apply(ctx, p.runtime.CRD().GVR(), next, kube.ApplyOptions{Force: true}); err != nil {
		diags.AddError("Returning to the configured replicas failed",
			fmt.Sprintf("autoscaling was turned off; setting the components back to their configured replicas failed: %v. Apply again.", err))
		return false
	}
	return true
}

// maskAutoscaled hides the autoscaler's replicas in the live object: for each component the
// configuration scales through an adapter, the live replicas read as the configured ones,
// so neither `replicas` nor `manifest` shows the autoscaler's work as drift.
func (r *deploymentResource) maskAutoscaled(ctx context.Context, runtime rt.Runtime, obj *unstructured.Unstructured, m model) *unstructured.Unstructured {
	if m.Autoscaling.IsNull() || m.Autoscaling.IsUnknown() || !(isDynamoV1Beta1(obj) || isInferenceSet(obj)) {
		return obj
	}
	var diags diag.Diagnostics
	cfg := m.toConfig(ctx, hubEndpoint(r.data), &diags)
	runtime.Defaults(&cfg)
	want, err := rt.ForConfig(runtime, cfg).Manifests(cfg)
	if err != nil || diags.HasError() {
		return obj
	}
	if isInferenceSet(obj) {
		if !isInferenceSet(want.Primary) {
			return obj
		}
		return autoscaling.MaskInferenceSetReplicas(obj, want.Primary)
	}
	return autoscaling.MaskAdapterReplicas(obj, want.Primary)
}

// isInferenceSet reports whether obj is a KAITO InferenceSet (scaled through its own scale
// subresource).
func isInferenceSet(obj *unstructured.Unstructured) bool {
	return obj != nil && obj.GetKind() == autoscaling.InferenceSetKind && obj.GetAPIVersion() == autoscaling.InferenceSetAPIVersion
}

// isAutoscaledInferenceSet reports whether the rendered objects are a KAITO InferenceSet with
// the HPA or ScaledObject that scales it.
func isAutoscaledInferenceSet(m rt.Manifests) bool {
	if !isInferenceSet(m.Primary) {
		return false
	}
	for _, c := range m.Companions {
		if (c.GetKind() == autoscaling.HPAKind || c.GetKind() == autoscaling.ScaledObjectKind) && c.GetName() == m.Primary.GetName() {
			return true
		}
	}
	return false
}

// holdInferenceSetReplicas keeps the live spec.replicas of an autoscaled InferenceSet in the
// object to apply, so an apply (of any other change) does not undo the autoscaler's work.
// Without autoscaling the configured replicas are applied (KAITO adds or removes Workspaces).
func holdInferenceSetReplicas(ctx context.Context, p *prepared, diags *diag.Diagnostics) bool {
	planned := p.objects.Primary
	live, err := p.client.Dynamic.Resource(p.runtime.CRD().GVR()).Namespace(planned.GetNamespace()).Get(ctx, planned.GetName(), metav1.GetOptions{})
	if apierrors.IsNotFound(err) || typeNotServed(err) {
		return true
	}
	if err != nil {
		diags.AddError("Reading the model deployment failed", err.Error())
		return false
	}
	if err := autoscaling.KeepInferenceSetReplicas(planned, live); err != nil {
		diags.AddError("Rendering the manifest failed", err.Error())
		return false
	}
	return true
}

// kedaServed fails the apply up front, naming `autoscaling`, when a KEDA ScaledObject is to be
// created but the cluster does not serve keda.sh/v1alpha1 (KEDA not installed).
func kedaServed(p *prepared, diags *diag.Diagnostics) bool {
	for _, c := range p.objects.Companions {
		if c.GetKind() != autoscaling.ScaledObjectKind {
			continue
		}
		list, err := p.client.Typed.Discovery().ServerResourcesForGroupVersion(autoscaling.ScaledObjectAPIVersion)
		if err == nil {
			for _, r := range list.APIResources {
				if r.Name == "scaledobjects" {
					return true
				}
			}
		}
		diags.AddAttributeError(path.Root("autoscaling"), "KEDA is not installed",
			fmt.Sprintf("autoscaling with `prometheus` creates a KEDA ScaledObject (%s), which this cluster does not serve: "+
				"install KEDA (CRD scaledobjects.keda.sh), or use cpu_utilization / memory_utilization (an HPA) instead", autoscaling.ScaledObjectAPIVersion))
		return false
	}
	return true
}
