package testcluster

import (
	"fmt"
	"sort"
	"strings"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// renderChart renders an operator's own Helm chart from its source archive (no cluster
// lookups) and returns the objects of the given kinds. The operators run here as local
// processes, not from the chart's Deployment, but their configuration, webhook registrations,
// ConfigMaps and ClusterRoles come from the chart so they match what a real install creates.
func renderChart(dir, releaseName, namespace string, values map[string]any, kinds ...string) ([]*unstructured.Unstructured, error) {
	chrt, err := loader.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("loading chart %s: %w", dir, err)
	}
	caps := chartutil.DefaultCapabilities.Copy()
	vals, err := chartutil.ToRenderValues(chrt, values, chartutil.ReleaseOptions{
		Name: releaseName, Namespace: namespace, IsInstall: true, Revision: 1,
	}, caps)
	if err != nil {
		return nil, fmt.Errorf("chart %s values: %w", dir, err)
	}
	files, err := engine.Render(chrt, vals)
	if err != nil {
		return nil, fmt.Errorf("rendering chart %s: %w", dir, err)
	}
	want := map[string]bool{}
	for _, k := range kinds {
		want[k] = true
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []*unstructured.Unstructured
	for _, n := range names {
		// Only the chart's own templates: its subcharts (rendered regardless of their
		// conditions here) are other products.
		if !strings.HasSuffix(n, ".yaml") || !strings.HasPrefix(n, chrt.Name()+"/templates/") {
			continue
		}
		for _, doc := range strings.Split(files[n], "\n---") {
			if strings.TrimSpace(doc) == "" {
				continue
			}
			obj := map[string]any{}
			if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
				return nil, fmt.Errorf("parsing %s: %w", n, err)
			}
			u := &unstructured.Unstructured{Object: obj}
			if len(obj) == 0 || !want[u.GetKind()] {
				continue
			}
			out = append(out, u)
		}
	}
	return out, nil
}
