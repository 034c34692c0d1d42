package helmtest

import (
	"os"
	"path/filepath"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"sigs.k8s.io/yaml"
)

// Release packages an upstream chart source directory the way a release pipeline does when the
// source only carries placeholders: libs (file:// dependencies) vendored under charts/, version
// and appVersion set, values deep-merged over the chart's values.yaml. It returns the .tgz
// written into dest ("<name>-<version>.tgz").
func Release(t testing.TB, src string, libs []string, version string, values map[string]any, dest string) string {
	t.Helper()
	ch, err := loader.LoadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range libs {
		lib, err := loader.LoadDir(l)
		if err != nil {
			t.Fatal(err)
		}
		ch.AddDependency(lib)
	}
	ch.Metadata.Version, ch.Metadata.AppVersion = version, version
	if len(values) > 0 {
		// CoalesceTables keeps dst's keys and fills the rest from src: the overrides win.
		setValues(t, ch, chartutil.CoalesceTables(copyValues(t, values), ch.Values))
	}
	if err := os.MkdirAll(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := chartutil.Save(ch, dest)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dest, ch.Name()+"-"+version+".tgz"); out != want {
		t.Fatalf("packaged %s, want %s", out, want)
	}
	return out
}

func copyValues(t testing.TB, v map[string]any) map[string]any {
	t.Helper()
	raw, err := yaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	if err := yaml.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// setValues replaces the chart's values.yaml (chartutil.Save writes the raw file).
func setValues(t testing.TB, ch *chart.Chart, values map[string]any) {
	t.Helper()
	raw, err := yaml.Marshal(values)
	if err != nil {
		t.Fatal(err)
	}
	ch.Values = values
	for _, f := range ch.Raw {
		if f.Name == chartutil.ValuesfileName {
			f.Data = raw
			return
		}
	}
	ch.Raw = append(ch.Raw, &chart.File{Name: chartutil.ValuesfileName, Data: raw})
}
