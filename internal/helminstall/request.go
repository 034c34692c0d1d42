package helminstall

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"

	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Source overrides where charts come from (air-gapped clusters, mirrors).
type Source struct {
	// Repository is a Helm chart repository URL (https://…) or an OCI reference prefix
	// (oci://host/path); the runtime's chart names are looked up under it.
	Repository string
	// Path is a local chart directory or .tgz (single-chart runtimes), or a directory
	// holding "<chart>-<version>.tgz" files or "<chart>/" directories.
	Path string
	// Username and Password authenticate to the repository or registry.
	Username string
	Password string
	// PlainHTTP talks to an OCI registry over plain HTTP.
	PlainHTTP bool
}

// IsSet reports whether the source overrides the runtime's pinned locations.
func (s Source) IsSet() bool { return s.Repository != "" || s.Path != "" }

// Request is one desired installation.
type Request struct {
	Runtime Runtime
	// Version applies to every chart of the runtime; "" keeps the pinned versions.
	Version string
	// Namespace replaces the runtime's operator namespace; "" keeps it.
	Namespace string
	// Values are merged over the runtime's defaults for its operator chart (the last one).
	Values map[string]any
	Source Source
	Wait   bool
	Atomic bool
}

// OperatorNamespace is the effective operator namespace.
func (r Request) OperatorNamespace() string {
	if r.Namespace != "" {
		return r.Namespace
	}
	return r.Runtime.Spec.Namespace
}

// Charts returns the runtime's charts with the request's version, namespace and values
// applied.
func (r Request) Charts() []runtimes.Chart {
	spec := r.Runtime.Spec
	out := make([]runtimes.Chart, len(spec.Charts))
	for i, c := range spec.Charts {
		if r.Version != "" {
			c.Version = r.Version
		}
		if c.Namespace == spec.Namespace {
			c.Namespace = r.OperatorNamespace()
		}
		if i == len(spec.Charts)-1 {
			c.Values = MergeValues(c.Values, r.Values)
		} else {
			c.Values = MergeValues(c.Values, nil)
		}
		out[i] = c
	}
	return out
}

// ParseValues parses a YAML values document; empty input is no values.
func ParseValues(doc string) (map[string]any, error) {
	var v map[string]any
	if err := yaml.Unmarshal([]byte(doc), &v); err != nil {
		return nil, fmt.Errorf("values are not a YAML mapping: %w", err)
	}
	return normalize(v), nil
}

// MergeValues deep-merges override over base without modifying either.
func MergeValues(base, override map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(override))
	maps.Copy(out, normalize(base))
	for k, v := range normalize(override) {
		if bm, ok := out[k].(map[string]any); ok {
			if om, ok := v.(map[string]any); ok {
				out[k] = MergeValues(bm, om)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// SameValues compares two values maps the way Helm stores them (JSON).
func SameValues(a, b map[string]any) bool {
	return reflect.DeepEqual(normalize(a), normalize(b))
}

// normalize turns a values tree into its JSON form (float64 numbers, map[string]any) so
// maps from YAML, Go literals and Helm's release storage compare equal. nil becomes empty.
func normalize(v map[string]any) map[string]any {
	out := map[string]any{}
	if len(v) == 0 {
		return out
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return v
	}
	_ = json.Unmarshal(raw, &out)
	return out
}
