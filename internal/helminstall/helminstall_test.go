package helminstall

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

func TestChartName(t *testing.T) {
	for _, tc := range []struct {
		chart runtimes.Chart
		want  string
	}{
		{runtimes.Chart{Chart: "kuberay/kuberay-operator", Version: "1.5.1"}, "kuberay-operator"},
		{runtimes.Chart{Chart: "dynamo-crds-0.7.1.tgz", Version: "2.0.0"}, "dynamo-crds"},
		{runtimes.Chart{Chart: "dynamo-platform-0.7.1-rc.1.tgz", Version: "0.7.1"}, "dynamo-platform"},
		{runtimes.Chart{Chart: "nvidia/gpu-operator", Version: "v25.10.1"}, "gpu-operator"},
	} {
		if got := ChartName(tc.chart); got != tc.want {
			t.Errorf("ChartName(%q) = %q, want %q", tc.chart.Chart, got, tc.want)
		}
	}
}

func TestRequestCharts(t *testing.T) {
	dyn, _ := Lookup("dynamo")
	if n := len(dyn.Spec.Charts); n != 1 || ChartName(dyn.Spec.Charts[0]) != "dynamo-platform" {
		t.Errorf("Dynamo 1.4 installs dynamo-platform only (dynamo-crds is deprecated since 1.0), got %d charts", n)
	}
	// A runtime with a CRD chart before its operator chart (as Dynamo 0.x had).
	rt := Runtime{ID: "two", Spec: runtimes.InstallSpec{Namespace: "op-system", Charts: []runtimes.Chart{
		{Release: "crds", Chart: "crds-1.0.0.tgz", Version: "1.0.0", Namespace: "default"},
		{Release: "op", Chart: "op-1.0.0.tgz", Version: "1.0.0", Namespace: "op-system"},
	}}}
	req := Request{Runtime: rt, Version: "1.2.3", Namespace: "ml", Values: map[string]any{"x": 1}}
	got := req.Charts()
	if len(got) != 2 {
		t.Fatalf("%d charts", len(got))
	}
	// The CRD chart stays in default; the operator chart moves and gets the values.
	if got[0].Namespace != "default" || got[1].Namespace != "ml" {
		t.Errorf("namespaces %s, %s", got[0].Namespace, got[1].Namespace)
	}
	if got[0].Version != "1.2.3" || got[1].Version != "1.2.3" {
		t.Errorf("versions %s, %s", got[0].Version, got[1].Version)
	}
	if len(got[0].Values) != 0 || got[1].Values["x"] != float64(1) {
		t.Errorf("values %v, %v", got[0].Values, got[1].Values)
	}
}

func TestMergeValues(t *testing.T) {
	rt, _ := Lookup("kaito")
	base := rt.Spec.Charts[0].Values
	user, err := ParseValues("featureGates:\n  vLLM: false\nlocalCSIDriver: null\n")
	if err != nil {
		t.Fatal(err)
	}
	got := MergeValues(base, user)
	want := map[string]any{
		"featureGates":          map[string]any{"disableNodeAutoProvisioning": true, "vLLM": false},
		"localCSIDriver":        nil,
		"gpu-feature-discovery": map[string]any{"gfd": map[string]any{"enabled": false}, "nfd": map[string]any{"enabled": false}},
		"nodeProvisioner":       "byo",
		"nvidiaDevicePlugin":    map[string]any{"enabled": false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MergeValues = %v\nwant %v", got, want)
	}
	if !SameValues(got, want) || SameValues(got, base) {
		t.Error("SameValues disagrees with DeepEqual")
	}
	if _, err := ParseValues("- a\n- b\n"); err == nil {
		t.Error("a YAML list was accepted as values")
	}
	if v, err := ParseValues(""); err != nil || len(v) != 0 {
		t.Errorf("empty values: %v, %v", v, err)
	}
}

func TestCollectCRDsSkipsUnpinnedWhenChartSkipsCRDs(t *testing.T) {
	rt, _ := Lookup("kaito")
	crd := func(name string) *chart.File {
		plural, group, _ := strings.Cut(name, ".")
		return &chart.File{Name: "crds/" + name + ".yaml", Data: []byte("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: " + name + "\nspec:\n  group: " + group + "\n  names: {plural: " + plural + "}\n")}
	}
	ch := &chart.Chart{Metadata: &chart.Metadata{Name: "workspace", Version: "1.0.0", APIVersion: "v2"},
		Files: []*chart.File{crd("workspaces.kaito.sh"), crd("nodefeatures.nfd.k8s-sigs.io")}}
	req := Request{Runtime: rt}
	objs, warnings, err := collectCRDs(context.Background(), rt.Spec, req.Charts(), []*chart.Chart{ch}, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 1 || objs[0].GetName() != "workspaces.kaito.sh" {
		t.Errorf("applied %v, want only the pinned workspaces.kaito.sh", objs)
	}
	// Three pinned CRDs are not bundled; with an override source they are not fetched.
	if len(warnings) != 3 {
		t.Errorf("warnings %q", warnings)
	}
}

func TestLocalPath(t *testing.T) {
	dir := t.TempDir()
	f := &fetcher{source: Source{Path: dir}, nCharts: 2}
	if _, err := f.localPath("dynamo-crds", "1.0.0"); err == nil || !strings.Contains(err.Error(), "dynamo-crds-1.0.0.tgz") {
		t.Errorf("missing chart: %v", err)
	}
	f.source.Path = filepath.Join(dir, "x.tgz")
	if _, err := f.localPath("dynamo-crds", "1.0.0"); err == nil {
		t.Error("a missing .tgz was accepted")
	}
}

// KAITO >= 0.12 ships workspaces.kaito.sh as a template (charts/kaito/workspace/templates,
// kaito-project/kaito v0.12.0). It must be applied with the other CRDs and left out of the
// release, so an uninstall never deletes the users' Workspaces with the CRD.
func TestTemplateCRDsAppliedAndStrippedFromRelease(t *testing.T) {
	rt, _ := Lookup("kaito")
	crdDoc := "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: workspaces.kaito.sh\nspec:\n  group: kaito.sh\n  names: {plural: workspaces}\n"
	ch := &chart.Chart{Metadata: &chart.Metadata{Name: "workspace", Version: "0.12.0", APIVersion: "v2"},
		Templates: []*chart.File{
			{Name: "templates/kaito.sh_workspaces.yaml", Data: []byte(crdDoc)},
			{Name: "templates/kaito.sh_multiroleinferences.yaml", Data: []byte("{{- if .Values.x -}}\n" + crdDoc + "{{- end }}\n")},
			{Name: "templates/deployment.yaml", Data: []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n")},
		}}
	req := Request{Runtime: rt}
	objs, _, err := collectCRDs(context.Background(), rt.Spec, req.Charts(), []*chart.Chart{ch}, true)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range objs {
		names = append(names, o.GetName())
	}
	if len(names) != 1 || names[0] != "workspaces.kaito.sh" {
		t.Errorf("applied CRDs %v, want the static template's workspaces.kaito.sh only", names)
	}

	rendered := bytes.NewBufferString("---\n# Source: workspace/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: kaito\n" +
		"---\n# Source: workspace/templates/kaito.sh_workspaces.yaml\n" + strings.TrimPrefix(crdDoc, "---\n"))
	out, err := crdStripper{}.Run(rendered)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "CustomResourceDefinition") || !strings.Contains(out.String(), "kind: Deployment") {
		t.Errorf("post-rendered release:\n%s\nwant the Deployment without the CRD", out)
	}
}
