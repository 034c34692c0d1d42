package runtimestest

import (
	"testing"

	"sigs.k8s.io/yaml"
)

// RoundTrip passes an object through YAML, as state or the API server would hand it back.
func RoundTrip(t testing.TB, obj map[string]any) map[string]any {
	t.Helper()
	b, err := yaml.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := yaml.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
