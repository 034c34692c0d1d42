package autoscaling

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// The KAITO 0.12 InferenceSet (kaito-project/kaito api/v1beta1/inferenceset_types.go @
// v0.12.0): its CRD declares the scale subresource (specReplicasPath .spec.replicas,
// statusReplicasPath .status.replicas, labelSelectorPath .status.selector). The controller
// writes status.selector "inferenceset.kaito.sh/created-by=<name>", a label it puts on every
// pod of the child Workspaces (pkg/inferenceset/inferenceset_controller.go and
// pkg/workspace/manifests/manifests.go), so an HPA finds the pods it averages over.
const (
	InferenceSetAPIVersion = "kaito.sh/v1beta1"
	InferenceSetKind       = "InferenceSet"
)

// KAITO returns the HPA or KEDA ScaledObject that scales a rendered KAITO InferenceSet
// through its scale subresource, named after it; nil when s is nil. Only the worker role
// exists (KAITO serves aggregated only).
func KAITO(is *unstructured.Unstructured, s *Spec) (*unstructured.Unstructured, error) {
	r := s.For(RoleWorker)
	if r == nil {
		return nil, nil
	}
	if is.GetKind() != InferenceSetKind {
		return nil, fmt.Errorf("KAITO autoscaling scales an InferenceSet, not a %s", is.GetKind())
	}
	return scaler(is, InferenceSetAPIVersion, InferenceSetKind, is.GetName(), r), nil
}

// ReadKAITO reads the autoscaling of a live InferenceSet back (import): the HPA or KEDA
// ScaledObject KAITO renders for it. nil when nothing scales it.
func ReadKAITO(is *unstructured.Unstructured, get Getter) (*Spec, error) {
	r, err := readScaler(InferenceSetKind, is.GetName(), get)
	if err != nil || r == nil {
		return nil, err
	}
	return &Spec{Worker: r}, nil
}

// MaskInferenceSetReplicas returns a copy of the live InferenceSet whose spec.replicas reads
// as the planned one: while autoscaled, the autoscaler's choice is not drift.
func MaskInferenceSetReplicas(live, planned *unstructured.Unstructured) *unstructured.Unstructured {
	n, ok, _ := unstructured.NestedInt64(planned.Object, "spec", "replicas")
	if live == nil || !ok {
		return live
	}
	out := live.DeepCopy()
	if err := unstructured.SetNestedField(out.Object, n, "spec", "replicas"); err != nil {
		return live
	}
	return out
}

// KeepInferenceSetReplicas sets the planned InferenceSet's spec.replicas to the live value,
// so an apply while autoscaled does not undo the autoscaler's work.
func KeepInferenceSetReplicas(planned, live *unstructured.Unstructured) error {
	if live == nil {
		return nil
	}
	n, ok, err := unstructured.NestedFieldNoCopy(live.Object, "spec", "replicas")
	if err != nil || !ok {
		return err
	}
	return unstructured.SetNestedField(planned.Object, n, "spec", "replicas")
}
