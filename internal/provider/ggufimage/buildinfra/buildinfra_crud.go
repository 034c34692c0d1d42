package buildinfra

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
)

const defaultTimeout = 10 * time.Minute

func (r *infraResource) apply(ctx context.Context, m *infraModel, timeout time.Duration, diags *diag.Diagnostics) {
	kc := r.data.KubeClient(ctx, diags)
	if diags.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	s := m.spec()
	objs, err := s.objects()
	if err != nil {
		diags.AddError("Invalid build infrastructure settings", err.Error())
		return
	}
	for _, o := range objs {
		if _, err := kc.Apply(ctx, o.gvr, o.obj, kube.ApplyOptions{}); err != nil {
			diags.AddError("Applying the build infrastructure failed", fmt.Sprintf("%s %s/%s: %v", o.obj.GetKind(), o.obj.GetNamespace(), o.obj.GetName(), err))
			return
		}
	}
	if !s.BuildKit {
		r.deleteBuildKit(ctx, kc, s.Namespace, diags)
	}
	if m.Wait.ValueBool() {
		tflog.Info(ctx, "waiting for the registry", map[string]any{"namespace": s.Namespace})
		if _, err := kc.Wait(ctx, gvrDeployment, s.Namespace, RegistryName, rolledOut("availableReplicas")); err != nil {
			diags.AddError("The registry did not become available", err.Error())
			return
		}
		if s.BuildKit {
			tflog.Info(ctx, "waiting for buildkitd", map[string]any{"namespace": s.Namespace})
			if _, err := kc.Wait(ctx, gvrStatefulSet, s.Namespace, BuildKitName, rolledOut("readyReplicas")); err != nil {
				diags.AddError("buildkitd did not become ready", err.Error())
				return
			}
		}
	}
	m.setComputed()
}

// rolledOut is done when the controller has seen the latest spec and the counter reaches
// the desired replicas, so a stale status from before an update does not pass.
func rolledOut(counter string) kube.Condition {
	return func(obj *unstructured.Unstructured) (bool, error) {
		if obj == nil {
			return false, nil
		}
		observed, _, _ := unstructured.NestedInt64(obj.Object, "status", "observedGeneration")
		want, found, _ := unstructured.NestedInt64(obj.Object, "spec", "replicas")
		if !found {
			want = 1
		}
		got, _, _ := unstructured.NestedInt64(obj.Object, "status", counter)
		return observed >= obj.GetGeneration() && got >= want, nil
	}
}

func (r *infraResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m infraModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := m.Timeouts.Create(ctx, defaultTimeout)
	resp.Diagnostics.Append(d...)
	r.apply(ctx, &m, timeout, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *infraResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m infraModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := m.Timeouts.Update(ctx, defaultTimeout)
	resp.Diagnostics.Append(d...)
	r.apply(ctx, &m, timeout, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Read notices a deleted registry (the core of the infrastructure) and plans it back.
func (r *infraResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m infraModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	kc := r.data.KubeClient(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	s := m.spec()
	_, err := kc.Dynamic.Resource(gvrDeployment).Namespace(s.Namespace).Get(ctx, RegistryName, metav1.GetOptions{})
	if kube.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Reading the registry Deployment failed", err.Error())
		return
	}
	if s.BuildKit {
		if _, err := kc.Dynamic.Resource(gvrStatefulSet).Namespace(s.Namespace).Get(ctx, BuildKitName, metav1.GetOptions{}); kube.IsNotFound(err) {
			resp.State.RemoveResource(ctx)
			return
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *infraResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m infraModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	kc := r.data.KubeClient(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := m.Timeouts.Delete(ctx, 5*time.Minute)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ns := m.Namespace.ValueString()
	r.deleteBuildKit(ctx, kc, ns, &resp.Diagnostics)
	r.deleteObject(ctx, kc, gvrService, ns, RegistryName, &resp.Diagnostics)
	r.deleteObject(ctx, kc, gvrDeployment, ns, RegistryName, &resp.Diagnostics)
	if !m.RetainRegistryData.ValueBool() {
		r.deleteObject(ctx, kc, gvrPVC, ns, registryData, &resp.Diagnostics)
	}
}

func (r *infraResource) deleteBuildKit(ctx context.Context, kc *kube.Client, ns string, diags *diag.Diagnostics) {
	r.deleteObject(ctx, kc, gvrStatefulSet, ns, BuildKitName, diags)
	r.deleteObject(ctx, kc, gvrService, ns, BuildKitName, diags)
	r.deleteObject(ctx, kc, gvrConfigMap, ns, buildkitCfg, diags)
}

// deleteObject deletes in the foreground (pods go before their owner, so a PVC is free when
// its Deployment is gone), waits until the object is gone, and tolerates absence.
func (r *infraResource) deleteObject(ctx context.Context, kc *kube.Client, gvr schema.GroupVersionResource, ns, name string, diags *diag.Diagnostics) {
	fg := metav1.DeletePropagationForeground
	err := kc.Dynamic.Resource(gvr).Namespace(ns).Delete(ctx, name, metav1.DeleteOptions{PropagationPolicy: &fg})
	if kube.IsNotFound(err) {
		return
	}
	if err == nil {
		_, err = kc.WaitDeleted(ctx, gvr, ns, name)
	}
	if err != nil {
		diags.AddError("Deleting the build infrastructure failed", fmt.Sprintf("%s %s/%s: %v", gvr.Resource, ns, name, err))
	}
}
