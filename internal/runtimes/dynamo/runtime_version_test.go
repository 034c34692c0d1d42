package dynamo

import "testing"

// The 1.4 webhook requires runtimeVersionOverride when the main image tag is not a
// semantic version (deploy/operator/internal/webhook/validation/shared_v1beta1.go,
// runtimeversion.ParseImageVersion @ 1.4.0).
func TestNeedsRuntimeVersionOverride(t *testing.T) {
	for image, want := range map[string]bool{
		"nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0":                   false,
		"nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0-efa":               false,
		"registry.local:5000/vllm-runtime:v1.4.0":                       false,
		"nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0@sha256:0123456789": false,
		"nvcr.io/nvidia/ai-dynamo/vllm-runtime:my-tag":                  true,
		"nvcr.io/nvidia/ai-dynamo/vllm-runtime:latest":                  true,
		"nvcr.io/nvidia/ai-dynamo/vllm-runtime@sha256:0123456789":       true,
		"registry.local:5000/vllm-runtime":                              true,
		"nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4":                     true,
	} {
		if got := needsRuntimeVersionOverride(image); got != want {
			t.Errorf("needsRuntimeVersionOverride(%q) = %v, want %v", image, got, want)
		}
	}
	c := map[string]any{"podTemplate": podTemplate(map[string]any{"name": mainContainerName, "image": "my/image:dev"})}
	setRuntimeVersion(c)
	if c["runtimeVersionOverride"] != Version {
		t.Errorf("component with a non-semver image: %v", c)
	}
	c = map[string]any{"podTemplate": podTemplate(map[string]any{"name": mainContainerName, "image": "my/image:1.4.0"})}
	if setRuntimeVersion(c); c["runtimeVersionOverride"] != nil {
		t.Errorf("component with a semver image got an override: %v", c)
	}
}
