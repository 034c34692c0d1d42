package autoscaling

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// The Dynamo 1.4 scaling adapter (ai-dynamo/dynamo deploy/operator, 1.4.0 = wxsms/dynamo
// e147ceea): api/v1beta1/dynamographdeploymentscalingadapter_types.go; the CRD declares the
// scale subresource (specReplicasPath .spec.replicas, statusReplicasPath .status.replicas,
// labelSelectorPath .status.selector).
const (
	AdapterAPIVersion = "nvidia.com/v1beta1"
	AdapterKind       = "DynamoGraphDeploymentScalingAdapter"
	AdapterResource   = "dynamographdeploymentscalingadapters"
)

// KEDA's ScaledObject (kedacore/keda apis/keda/v1alpha1/scaledobject_types.go, v2.18).
const (
	ScaledObjectAPIVersion = "keda.sh/v1alpha1"
	ScaledObjectKind       = "ScaledObject"
	HPAAPIVersion          = "autoscaling/v2"
	HPAKind                = "HorizontalPodAutoscaler"
)

// componentRole maps a v1beta1 component type to its worker role.
var componentRole = map[string]string{"worker": RoleWorker, "prefill": RolePrefill, "decode": RoleDecode}

// AdapterName is the adapter the operator creates for a component: "<dgd>-<lower-case
// component name>" (internal/controller/dgd_scaling_adapters_reconciler.go
// generateAdapterName @ 1.4.0).
func AdapterName(dgd, component string) string {
	return fmt.Sprintf("%s-%s", dgd, strings.ToLower(component))
}

// Dynamo opts each autoscaled worker component of a rendered v1beta1 DynamoGraphDeployment
// into its scaling adapter and returns, per component, the HPA or KEDA ScaledObject that
// scales the adapter. It changes nothing when s is nil.
//
// Setting `scalingAdapter` at all (the empty object) makes the operator create the adapter,
// seeded with the component's replicas; from then on the adapter owns them and the
// operator's webhook refuses direct replicas changes from anyone but the operator
// (api/v1beta1/common.go ScalingAdapter; internal/webhook/validation/shared_v1beta1.go
// validateDynamoComponentDeploymentSharedSpecUpdate @ 1.4.0).
func Dynamo(dgd *unstructured.Unstructured, s *Spec) ([]*unstructured.Unstructured, error) {
	if s == nil {
		return nil, nil
	}
	components, _, err := unstructured.NestedSlice(dgd.Object, "spec", "components")
	if err != nil {
		return nil, fmt.Errorf("reading spec.components: %w", err)
	}
	var out []*unstructured.Unstructured
	for i, item := range components {
		c, ok := item.(map[string]any)
		if !ok {
			continue
		}
		typ, _ := c["type"].(string)
		r := s.For(componentRole[typ])
		if r == nil {
			continue
		}
		c["scalingAdapter"] = map[string]any{}
		components[i] = c
		name, _ := c["name"].(string)
		adapter := AdapterName(dgd.GetName(), name)
		out = append(out, scaler(dgd, AdapterAPIVersion, AdapterKind, adapter, r))
	}
	if err := unstructured.SetNestedSlice(dgd.Object, components, "spec", "components"); err != nil {
		return nil, err
	}
	return out, nil
}

// scaler renders the object that scales one scale target (a Dynamo adapter, a KAITO
// InferenceSet) in owner's namespace: a KEDA ScaledObject for a Prometheus target, else an
// HPA on resource utilization. It carries the target's name and owner's labels.
func scaler(owner *unstructured.Unstructured, apiVersion, kind, name string, r *Role) *unstructured.Unstructured {
	target := map[string]any{"apiVersion": apiVersion, "kind": kind, "name": name}
	obj := &unstructured.Unstructured{Object: map[string]any{}}
	if p := r.Prometheus; p != nil {
		meta := map[string]any{"serverAddress": p.ServerAddress, "query": p.Query, "threshold": p.Threshold}
		if p.ActivationThreshold != "" {
			meta["activationThreshold"] = p.ActivationThreshold
		}
		obj.SetAPIVersion(ScaledObjectAPIVersion)
		obj.SetKind(ScaledObjectKind)
		spec := map[string]any{
			"scaleTargetRef":  target,
			"minReplicaCount": r.MinReplicas,
			"maxReplicaCount": r.MaxReplicas,
			"triggers":        []any{map[string]any{"type": "prometheus", "metadata": meta}},
		}
		// KEDA passes this behavior to the HPA it creates (ScaledObject
		// spec.advanced.horizontalPodAutoscalerConfig.behavior, v2.18).
		if b := behavior(r); b != nil {
			spec["advanced"] = map[string]any{"horizontalPodAutoscalerConfig": map[string]any{"behavior": b}}
		}
		obj.Object["spec"] = spec
	} else {
		var metrics []any
		for _, m := range []struct {
			name string
			v    *int64
		}{{"cpu", r.CPUUtilization}, {"memory", r.MemoryUtilization}} {
			if m.v != nil {
				metrics = append(metrics, map[string]any{"type": "Resource", "resource": map[string]any{
					"name": m.name, "target": map[string]any{"type": "Utilization", "averageUtilization": *m.v}}})
			}
		}
		obj.SetAPIVersion(HPAAPIVersion)
		obj.SetKind(HPAKind)
		spec := map[string]any{
			"scaleTargetRef": target,
			"minReplicas":    r.MinReplicas,
			"maxReplicas":    r.MaxReplicas,
			"metrics":        metrics,
		}
		if b := behavior(r); b != nil {
			spec["behavior"] = b
		}
		obj.Object["spec"] = spec
	}
	obj.SetName(name)
	obj.SetNamespace(owner.GetNamespace())
	labels := map[string]string{}
	for k, v := range owner.GetLabels() {
		labels[k] = v
	}
	obj.SetLabels(labels)
	return obj
}

// behavior is the autoscaling/v2 HPA behavior a role asks for; nil leaves the HPA's defaults
// (and the rendered object as before).
func behavior(r *Role) map[string]any {
	if r.ScaleDownStabilizationSeconds == nil {
		return nil
	}
	return map[string]any{"scaleDown": map[string]any{"stabilizationWindowSeconds": *r.ScaleDownStabilizationSeconds}}
}

// AdaptedComponents lists the components of a live v1beta1 DynamoGraphDeployment that use a
// scaling adapter, with their replicas (1 when unset, the operator's default).
func AdaptedComponents(dgd *unstructured.Unstructured) map[string]int64 {
	out := map[string]int64{}
	if dgd == nil {
		return out
	}
	components, _, _ := unstructured.NestedSlice(dgd.Object, "spec", "components")
	for _, item := range components {
		c, ok := item.(map[string]any)
		if !ok {
			continue
		}
		if _, adapted := c["scalingAdapter"]; !adapted {
			continue
		}
		name, _ := c["name"].(string)
		out[name] = replicasOf(c)
	}
	return out
}

func replicasOf(c map[string]any) int64 {
	switch v := c["replicas"].(type) {
	case int64:
		return v
	case float64:
		return int64(v)
	case int:
		return int64(v)
	}
	return 1
}

// componentReplicas reads every component's replicas.
func componentReplicas(dgd *unstructured.Unstructured) map[string]int64 {
	out := map[string]int64{}
	components, _, _ := unstructured.NestedSlice(dgd.Object, "spec", "components")
	for _, item := range components {
		if c, ok := item.(map[string]any); ok {
			name, _ := c["name"].(string)
			out[name] = replicasOf(c)
		}
	}
	return out
}

// setReplicas sets the replicas of the named components of a DynamoGraphDeployment.
func setReplicas(dgd *unstructured.Unstructured, replicas map[string]int64) error {
	components, _, err := unstructured.NestedSlice(dgd.Object, "spec", "components")
	if err != nil {
		return err
	}
	for i, item := range components {
		c, ok := item.(map[string]any)
		if !ok {
			continue
		}
		name, _ := c["name"].(string)
		if n, ok := replicas[name]; ok {
			c["replicas"] = n
			components[i] = c
		}
	}
	return unstructured.SetNestedSlice(dgd.Object, components, "spec", "components")
}

// KeepAdapterReplicas prepares a planned v1beta1 DynamoGraphDeployment for an update of the
// live one: every component that uses a scaling adapter in the live or the planned object
// keeps its live replicas (the adapter owns them; the operator's webhook rejects any other
// change). It returns the replicas the planned object asked for where they differ, so the
// caller can apply them in a second step once no adapter owns them any more.
func KeepAdapterReplicas(planned, live *unstructured.Unstructured) (map[string]int64, error) {
	if live == nil {
		return nil, nil
	}
	liveAdapted := AdaptedComponents(live)
	plannedAdapted := AdaptedComponents(planned)
	liveReplicas := componentReplicas(live)
	want := componentReplicas(planned)
	keep := map[string]int64{}
	later := map[string]int64{}
	for name, n := range want {
		_, a := liveAdapted[name]
		_, b := plannedAdapted[name]
		cur, exists := liveReplicas[name]
		if !(a || b) || !exists || cur == n {
			continue
		}
		keep[name] = cur
		if !b { // adapter removed: return to the configured replicas afterwards
			later[name] = n
		}
	}
	if len(keep) == 0 {
		return nil, nil
	}
	if err := setReplicas(planned, keep); err != nil {
		return nil, err
	}
	if len(later) == 0 {
		return nil, nil
	}
	return later, nil
}

// MaskAdapterReplicas rewrites, in a copy of the live object, the replicas of each component
// the planned object scales through an adapter to the planned value: the autoscaler's
// choice is not drift. Components without an adapter keep their live replicas.
func MaskAdapterReplicas(live, planned *unstructured.Unstructured) *unstructured.Unstructured {
	adapted := AdaptedComponents(planned)
	if len(adapted) == 0 || live == nil {
		return live
	}
	out := live.DeepCopy()
	if err := setReplicas(out, adapted); err != nil {
		return live
	}
	return out
}

// WithReplicas returns a copy of dgd whose named components have the given replicas.
func WithReplicas(dgd *unstructured.Unstructured, replicas map[string]int64) (*unstructured.Unstructured, error) {
	out := dgd.DeepCopy()
	return out, setReplicas(out, replicas)
}
