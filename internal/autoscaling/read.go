package autoscaling

import (
	"strconv"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Getter fetches a live object by apiVersion, kind and name (in the deployment's namespace);
// nil, nil when it does not exist.
type Getter func(apiVersion, kind, name string) (*unstructured.Unstructured, error)

// ReadDynamo reads the autoscaling of a live v1beta1 DynamoGraphDeployment back, for import:
// per component that uses its scaling adapter, the HPA or KEDA ScaledObject named after the
// adapter (what Dynamo renders). A component whose adapter nothing scales is left out; nil
// when no component is autoscaled.
func ReadDynamo(dgd *unstructured.Unstructured, get Getter) (*Spec, error) {
	components, _, _ := unstructured.NestedSlice(dgd.Object, "spec", "components")
	var s Spec
	found := false
	for _, item := range components {
		c, ok := item.(map[string]any)
		if !ok {
			continue
		}
		if _, adapted := c["scalingAdapter"]; !adapted {
			continue
		}
		typ, _ := c["type"].(string)
		name, _ := c["name"].(string)
		role, ok := componentRole[typ]
		if !ok {
			continue
		}
		adapter := AdapterName(dgd.GetName(), name)
		r, err := readScaler(AdapterKind, adapter, get)
		if err != nil {
			return nil, err
		}
		if r == nil {
			continue
		}
		found = true
		switch role {
		case RoleWorker:
			s.Worker = r
		case RolePrefill:
			s.Prefill = r
		case RoleDecode:
			s.Decode = r
		}
	}
	if !found {
		return nil, nil
	}
	return &s, nil
}

// readScaler reads the HPA, else the ScaledObject, named after and scaling one target.
func readScaler(kind, target string, get Getter) (*Role, error) {
	hpa, err := get(HPAAPIVersion, HPAKind, target)
	if err != nil {
		return nil, err
	}
	if hpa != nil && targets(hpa, kind, target) {
		r := &Role{MinReplicas: 1}
		if n, ok, _ := unstructured.NestedInt64(hpa.Object, "spec", "minReplicas"); ok {
			r.MinReplicas = n
		}
		r.MaxReplicas, _, _ = unstructured.NestedInt64(hpa.Object, "spec", "maxReplicas")
		metrics, _, _ := unstructured.NestedSlice(hpa.Object, "spec", "metrics")
		for _, x := range metrics {
			m, _ := x.(map[string]any)
			name, _, _ := unstructured.NestedString(m, "resource", "name")
			u, ok, _ := unstructured.NestedInt64(m, "resource", "target", "averageUtilization")
			if m["type"] != "Resource" || !ok {
				continue
			}
			switch name {
			case "cpu":
				r.CPUUtilization = &u
			case "memory":
				r.MemoryUtilization = &u
			}
		}
		r.ScaleDownStabilizationSeconds = window(hpa.Object, "spec", "behavior")
		return r, nil
	}
	so, err := get(ScaledObjectAPIVersion, ScaledObjectKind, target)
	if err != nil || so == nil || !targets(so, kind, target) {
		return nil, err
	}
	r := &Role{MinReplicas: 1}
	if n, ok, _ := unstructured.NestedInt64(so.Object, "spec", "minReplicaCount"); ok {
		r.MinReplicas = n
	}
	r.MaxReplicas, _, _ = unstructured.NestedInt64(so.Object, "spec", "maxReplicaCount")
	if r.MaxReplicas == 0 {
		r.MaxReplicas = 100 // KEDA's default maxReplicaCount (scaledobject_types.go, v2.18)
	}
	triggers, _, _ := unstructured.NestedSlice(so.Object, "spec", "triggers")
	for _, x := range triggers {
		t, _ := x.(map[string]any)
		if t["type"] != "prometheus" {
			continue
		}
		md, _, _ := unstructured.NestedStringMap(t, "metadata")
		r.Prometheus = &Prometheus{ServerAddress: md["serverAddress"], Query: md["query"], Threshold: md["threshold"],
			ActivationThreshold: md["activationThreshold"]}
		break
	}
	r.ScaleDownStabilizationSeconds = window(so.Object, "spec", "advanced", "horizontalPodAutoscalerConfig", "behavior")
	return r, nil
}

func targets(o *unstructured.Unstructured, kind, name string) bool {
	ref, _, _ := unstructured.NestedStringMap(o.Object, "spec", "scaleTargetRef")
	return ref["kind"] == kind && ref["name"] == name
}

// window reads behavior.scaleDown.stabilizationWindowSeconds under the given behavior path.
func window(obj map[string]any, behaviorPath ...string) *int64 {
	v, ok, _ := unstructured.NestedFieldNoCopy(obj, append(behaviorPath, "scaleDown", "stabilizationWindowSeconds")...)
	if !ok {
		return nil
	}
	var n int64
	switch x := v.(type) {
	case int64:
		n = x
	case float64:
		n = int64(x)
	case string:
		p, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return nil
		}
		n = p
	default:
		return nil
	}
	return &n
}
