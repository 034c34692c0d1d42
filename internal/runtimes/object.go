package runtimes

import (
	"encoding/json"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
)

// ToMap converts a JSON-tagged struct to an unstructured map. Whole numbers become int64,
// as the API machinery expects.
func ToMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := utiljson.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// FromMap decodes an unstructured map (or a part of it) into a JSON-tagged struct.
func FromMap(m any, v any) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// NewObject builds an unstructured object with apiVersion, kind, name, namespace and labels,
// then merges the top-level fields of body (e.g. "spec") into it.
func NewObject(apiVersion, kind, name, namespace string, labels map[string]string, body any) (*unstructured.Unstructured, error) {
	fields, err := ToMap(body)
	if err != nil {
		return nil, fmt.Errorf("rendering %s %s: %w", kind, name, err)
	}
	obj := &unstructured.Unstructured{Object: fields}
	obj.SetAPIVersion(apiVersion)
	obj.SetKind(kind)
	obj.SetName(name)
	obj.SetNamespace(namespace)
	obj.SetLabels(labels)
	return obj, nil
}

// CheckKind returns an error when obj is not of the expected CRD kind.
func CheckKind(obj *unstructured.Unstructured, crd CRD) error {
	if obj == nil {
		return fmt.Errorf("no object")
	}
	if obj.GetAPIVersion() != crd.APIVersion() || obj.GetKind() != crd.Kind {
		return fmt.Errorf("expected %s %s, got %s %s", crd.APIVersion(), crd.Kind, obj.GetAPIVersion(), obj.GetKind())
	}
	return nil
}
