package runtimes

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// parseOverrides reads the overrides patch (YAML or JSON) as an object. It may not change
// the object's identity: apiVersion, kind, metadata.name and metadata.namespace.
func parseOverrides(src string) (map[string]any, error) {
	var patch map[string]any
	if err := yaml.Unmarshal([]byte(src), &patch); err != nil {
		return nil, fmt.Errorf("is not a YAML or JSON object: %v", err)
	}
	if patch == nil {
		return nil, fmt.Errorf("must be a YAML or JSON object such as yamlencode({ spec = { ... } })")
	}
	for _, k := range []string{"apiVersion", "kind"} {
		if _, ok := patch[k]; ok {
			return nil, fmt.Errorf("may not change %s: the runtime decides the custom resource type", k)
		}
	}
	if meta, ok := patch["metadata"].(map[string]any); ok {
		for _, k := range []string{"name", "namespace"} {
			if _, ok := meta[k]; ok {
				return nil, fmt.Errorf("may not change metadata.%s: set the name and namespace attributes", k)
			}
		}
	}
	return patch, nil
}

// ApplyOverrides applies the overrides, a JSON merge patch (RFC 7386), to the rendered
// custom resource: objects merge key by key, null deletes a key, and any other value
// replaces what was rendered, except that lists of named objects merge by name (mergePatch). The server validates the result with strict
// field validation when it is applied.
func ApplyOverrides(obj *unstructured.Unstructured, overrides string) (*unstructured.Unstructured, error) {
	patch, err := parseOverrides(overrides)
	if err != nil {
		return nil, fmt.Errorf("overrides: %w", err)
	}
	merged, err := json.Marshal(mergePatch(obj.DeepCopy().Object, patch))
	if err != nil {
		return nil, fmt.Errorf("overrides: %w", err)
	}
	out := &unstructured.Unstructured{}
	if err := out.UnmarshalJSON(merged); err != nil {
		return nil, fmt.Errorf("overrides: the patched object is not a Kubernetes object: %w", err)
	}
	return out, nil
}

// OverriddenFields lists the fields the overrides change or delete that the provider
// renders itself (dotted paths, sorted). Those changes are allowed but deserve a warning:
// the typed attributes no longer describe what runs.
func OverriddenFields(r Runtime, cfg DeploymentConfig) []string {
	if cfg.Workload == nil || cfg.Workload.Overrides == "" {
		return nil
	}
	patch, err := parseOverrides(cfg.Workload.Overrides)
	if err != nil {
		return nil
	}
	plain := cfg
	w := *cfg.Workload
	w.Overrides = ""
	plain.Workload = &w
	m, err := r.Manifests(plain)
	if err != nil {
		return nil
	}
	var out []string
	touched(m.Primary.Object, patch, "", &out)
	slices.Sort(out)
	return out
}

func touched(rendered, patch map[string]any, prefix string, out *[]string) {
	for _, k := range slices.Sorted(maps.Keys(patch)) {
		have, ok := rendered[k]
		if !ok {
			continue // a field we do not render: the purpose of overrides
		}
		switch sub := patch[k].(type) {
		case map[string]any:
			if haveMap, ok := have.(map[string]any); ok {
				touched(haveMap, sub, prefix+k+".", out)
				continue
			}
		case []any:
			if haveList, ok := have.([]any); ok && named(haveList) && named(sub) {
				for _, p := range sub {
					pm, _ := p.(map[string]any) // named() checked every element
					i := indexByName(haveList, pm["name"])
					elem := fmt.Sprintf("%s%s[name=%s]", prefix, k, pm["name"])
					switch {
					case i < 0:
						// a new element: nothing of ours changes
					case pm["$delete"] == true:
						*out = append(*out, elem)
					default:
						rest := maps.Clone(pm)
						delete(rest, "name")
						cur, _ := haveList[i].(map[string]any)
						touched(cur, rest, elem+".", out)
					}
				}
				continue
			}
		}
		*out = append(*out, strings.TrimSuffix(prefix+k, "."))
	}
}

// FinishManifests adds what the workload settings render outside the pod templates: the
// labels and annotations of the custom resource and companions, the model cache claim and
// download Job (run with engineImage unless the worker role sets an image), and last the
// overrides patch. Every runtime's Manifests ends with it; without workload settings it
// returns m unchanged.
func FinishManifests(cfg DeploymentConfig, m Manifests, engineImage string) (Manifests, error) {
	w := cfg.Workload
	if w == nil {
		return m, nil
	}
	if w.ModelCache != nil {
		extra, err := modelCacheCompanions(cfg, engineImage)
		if err != nil {
			return m, err
		}
		m.Companions = append(m.Companions, extra...)
	}
	for _, o := range m.All() {
		ApplyObjectMetadata(o.Object, w)
	}
	if w.Overrides != "" {
		patched, err := ApplyOverrides(m.Primary, w.Overrides)
		if err != nil {
			return m, err
		}
		m.Primary = patched
	}
	return m, nil
}
