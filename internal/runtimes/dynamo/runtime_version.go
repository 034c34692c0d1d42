package dynamo

import (
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// imageTagSemver is the 1.4 operator's test for a main image tag it can derive the runtime
// version from (deploy/operator/internal/runtimeversion/runtimeversion.go imageTagPattern,
// ParseImageVersion @ 1.4.0). DGD admission requires runtimeVersionOverride otherwise.
var imageTagSemver = regexp.MustCompile(`^[vV]?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$`)

// needsRuntimeVersionOverride reports whether the operator cannot read a runtime version
// from image's tag (no tag, a digest only, or a tag like "latest" or "my-build").
func needsRuntimeVersionOverride(image string) bool {
	ref := strings.TrimSpace(image)
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	slash, colon := strings.LastIndex(ref, "/"), strings.LastIndex(ref, ":")
	if colon <= slash {
		return true
	}
	return !imageTagSemver.MatchString(ref[colon+1:])
}

// setRuntimeVersion adds runtimeVersionOverride to a v1beta1 component whose main image
// (however its podTemplate was built, e.g. with a user's image override) has no semver
// tag: the images are built for the pinned release, so that is the version to declare.
func setRuntimeVersion(component map[string]any) {
	pt, _ := component["podTemplate"].(map[string]any)
	spec, _ := pt["spec"].(map[string]any)
	containers, _ := spec["containers"].([]any)
	for _, c := range containers {
		m, _ := c.(map[string]any)
		if m["name"] != mainContainerName {
			continue
		}
		if image, _ := m["image"].(string); image != "" && needsRuntimeVersionOverride(image) {
			component["runtimeVersionOverride"] = Version
		}
	}
}

// setRuntimeVersions runs setRuntimeVersion on every component of a rendered v1beta1 graph,
// once its pod templates are final (a pod.image or roles.<role>.image with a tag like "dev"
// needs the override as much as a pinned image would).
func setRuntimeVersions(obj *unstructured.Unstructured) {
	components, _, _ := unstructured.NestedSlice(obj.Object, "spec", "components")
	for _, c := range components {
		if m, ok := c.(map[string]any); ok {
			setRuntimeVersion(m)
		}
	}
	_ = unstructured.SetNestedSlice(obj.Object, components, "spec", "components")
}
