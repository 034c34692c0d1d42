package modeldeployment

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/autoscaling"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
)

// readAutoscaling reads an imported deployment's autoscaling back from the cluster: for a
// Dynamo v1beta1 graph, the HPAs / KEDA ScaledObjects scaling its components' adapters; for a
// KAITO InferenceSet, the one scaling it; for a KubeRay RayService, the Ray autoscaler's
// bounds and Serve's target in the object itself. Other kinds read nil.
func readAutoscaling(ctx context.Context, client *kube.Client, obj *unstructured.Unstructured, diags *diag.Diagnostics) *autoscaling.Spec {
	resources := map[string]string{autoscaling.HPAKind: "horizontalpodautoscalers", autoscaling.ScaledObjectKind: "scaledobjects"}
	get := func(apiVersion, kind, name string) (*unstructured.Unstructured, error) {
		gv, err := schema.ParseGroupVersion(apiVersion)
		if err != nil {
			return nil, err
		}
		o, err := client.Dynamic.Resource(gv.WithResource(resources[kind])).Namespace(obj.GetNamespace()).Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) { // no such object, or KEDA not installed
			return nil, nil
		}
		return o, err
	}
	var spec *autoscaling.Spec
	var err error
	switch {
	case isDynamoV1Beta1(obj):
		spec, err = autoscaling.ReadDynamo(obj, get)
	case isInferenceSet(obj):
		spec, err = autoscaling.ReadKAITO(obj, get)
	case obj != nil && obj.GetKind() == "RayService":
		spec, err = autoscaling.ReadKubeRay(obj)
	default:
		return nil
	}
	if err != nil {
		diags.AddWarning("Reading the autoscaling back failed",
			fmt.Sprintf("the autoscalers of %s/%s could not be read (%v): `autoscaling` stays unset in the imported state.", obj.GetNamespace(), obj.GetName(), err))
		return nil
	}
	return spec
}

// autoscalingValue is the `autoscaling` attribute for a Spec (null for nil).
func autoscalingValue(ctx context.Context, s *autoscaling.Spec, diags *diag.Diagnostics) types.Object {
	top, _ := autoscalingAttributes()["autoscaling"].GetType().(types.ObjectType)
	if s == nil {
		return types.ObjectNull(top.AttrTypes)
	}
	roleType, _ := top.AttrTypes["worker"].(types.ObjectType)
	promType, _ := roleType.AttrTypes["prometheus"].(types.ObjectType)
	role := func(r *autoscaling.Role) types.Object {
		if r == nil {
			return types.ObjectNull(roleType.AttrTypes)
		}
		prom := types.ObjectNull(promType.AttrTypes)
		if p := r.Prometheus; p != nil {
			prom = types.ObjectValueMust(promType.AttrTypes, map[string]attr.Value{
				"server_address": types.StringValue(p.ServerAddress), "query": types.StringValue(p.Query),
				"threshold": types.StringValue(p.Threshold), "activation_threshold": optStr(p.ActivationThreshold)})
		}
		target := types.Float64Null()
		if r.TargetOngoingRequests != nil {
			target = types.Float64Value(*r.TargetOngoingRequests)
		}
		v, d := types.ObjectValueFrom(ctx, roleType.AttrTypes, autoscalingRoleModel{
			MinReplicas: types.Int64Value(r.MinReplicas), MaxReplicas: types.Int64Value(r.MaxReplicas),
			CPUUtilization: optInt64(r.CPUUtilization), MemoryUtilization: optInt64(r.MemoryUtilization), Prometheus: prom,
			TargetOngoingRequests: target, ScaleDownStabilization: optInt64(r.ScaleDownStabilizationSeconds)})
		diags.Append(d...)
		return v
	}
	v, d := types.ObjectValueFrom(ctx, top.AttrTypes, autoscalingModel{Worker: role(s.Worker), Prefill: role(s.Prefill), Decode: role(s.Decode)})
	diags.Append(d...)
	return v
}
