package kaito

import (
	"reflect"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

var _ runtimes.Replacer = Runtime{}

// ReplaceReasons says why a Workspace change cannot be made in place. KAITO (0.8 and 0.12)
// either rejects it or accepts it without ever acting on it, so every change of the body is
// a replacement:
//   - resource.count, resource.labelSelector and resource.instanceType are immutable: the
//     admission webhook answers "field is immutable" (api/v1beta1/workspace_validation.go
//     ResourceSpec.validateUpdate, kaito-project/kaito v0.8.0 and v0.12.0). replicas,
//     kaito.label_selector and kaito.compute_type (which picks the default selector) set them.
//   - inference.template may change, but the reconciler only ever creates the StatefulSet
//     (pkg/workspace/inference/template_inference.go CreateTemplateInference ignores
//     AlreadyExists; workspace_controller.go applyInference "TODO: handle update", v0.12.0),
//     so image, arguments, resources and environment changes would never reach the pods.
//
// Labels and annotations are metadata and stay in-place updates.
func (Runtime) ReplaceReasons(prior, planned *unstructured.Unstructured) []string {
	return replaceReasons(prior, planned, []replaceField{
		{[]string{"resource", "count"}, "resource.count (replicas) is immutable in KAITO: its admission webhook rejects the change"},
		{[]string{"resource", "labelSelector"}, "resource.labelSelector (kaito.label_selector, kaito.compute_type) is immutable in KAITO: its admission webhook rejects the change"},
		{[]string{"resource", "instanceType"}, "resource.instanceType is immutable in KAITO"},
		{[]string{"inference"}, "KAITO never rolls out inference.template changes to the running StatefulSet (it only creates it), so the model, image, arguments, resources and environment can only change by recreating the Workspace"},
	})
}

// replaceField is a field whose change KAITO refuses or never applies, and why.
type replaceField struct {
	path []string
	why  string
}

// replaceReasons explains a move between a Workspace and an InferenceSet, or else each field
// that differs between prior and planned.
func replaceReasons(prior, planned *unstructured.Unstructured, fields []replaceField) []string {
	if why := kindChange(prior, planned); why != "" {
		return []string{why}
	}
	var out []string
	for _, f := range fields {
		a, _, _ := unstructured.NestedFieldNoCopy(prior.Object, f.path...)
		b, _, _ := unstructured.NestedFieldNoCopy(planned.Object, f.path...)
		if !equalNormalized(a, b) {
			out = append(out, f.why)
		}
	}
	return out
}

func equalNormalized(a, b any) bool { return reflect.DeepEqual(normalize(a), normalize(b)) }

// normalize makes a value read back from YAML or the API server (float64/int64 numbers)
// comparable with a freshly rendered one.
func normalize(v any) any {
	m, err := runtimes.ToMap(map[string]any{"v": v})
	if err != nil {
		return v
	}
	return m["v"]
}
