package helminstall

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/helminstall/helmtest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/llmd"
)

func renderObjects(t *testing.T, ch *chart.Chart, release, namespace string, values map[string]any) []*unstructured.Unstructured {
	t.Helper()
	m, err := dryRunInstall(ch, release, namespace, values, crdStripper{})
	if err != nil {
		t.Fatalf("rendering %s: %v", ch.Name(), err)
	}
	objs, err := decodeYAML([]byte(m))
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

func kinds(objs []*unstructured.Unstructured) map[string][]string {
	out := map[string][]string{}
	for _, o := range objs {
		out[o.GetKind()] = append(out[o.GetKind()], o.GetName())
	}
	return out
}

func containerArgs(t *testing.T, d *unstructured.Unstructured, name string) ([]string, string) {
	t.Helper()
	cs, _, _ := unstructured.NestedSlice(d.Object, "spec", "template", "spec", "containers")
	for _, c := range cs {
		m, _ := c.(map[string]any)
		if m["name"] != name {
			continue
		}
		args, _, _ := unstructured.NestedStringSlice(m, "args")
		img, _ := m["image"].(string)
		return args, img
	}
	return nil, ""
}

func containerNames(d *unstructured.Unstructured) []string {
	cs, _, _ := unstructured.NestedSlice(d.Object, "spec", "template", "spec", "containers")
	var out []string
	for _, c := range cs {
		m, _ := c.(map[string]any)
		n, _ := m["name"].(string)
		out = append(out, n)
	}
	return out
}

// runtime_install "llmd": the llm-d router v0.10.0 standalone chart, fetched from a `path`
// source and rendered with the provider's values, deploys no InferencePool (each llm-d
// deployment renders its own) but the endpoint picker in endpoint-selector mode over the llm-d
// model servers, with the Envoy proxy in its pod, at the pinned image; the pod carries the label
// the installation check selects. The gateway chart, with the same selector, would render an
// InferencePool and a pool-bound picker: the per-deployment pieces again.
func TestLLMDRouterChartFrontsModelServersWithoutASecondPool(t *testing.T) {
	rt, ok := Lookup("llmd")
	if !ok {
		t.Fatal("llmd is not an installable runtime")
	}
	if !slices.Contains(IDs(), "llmd") {
		t.Errorf("IDs() = %v lacks llmd", IDs())
	}
	dir := t.TempDir()
	helmtest.LLMDRouterChart(t, llmd.RouterChart, dir)
	plan := Request{Runtime: rt}.Charts()
	if len(plan) != 1 {
		t.Fatalf("%d charts, want the router chart", len(plan))
	}
	f, err := newFetcher(t.TempDir(), Source{Path: dir}, len(plan))
	if err != nil {
		t.Fatal(err)
	}
	ch, err := f.load(plan[0])
	if err != nil {
		t.Fatal(err)
	}
	objs := renderObjects(t, ch, plan[0].Release, plan[0].Namespace, plan[0].Values)
	k := kinds(objs)
	t.Logf("router release renders %v", k)
	if len(k["InferencePool"]) > 0 {
		t.Errorf("the router release renders InferencePools %v", k["InferencePool"])
	}
	sel, err := labels.Parse(rt.Spec.OperatorSelectors[0])
	if err != nil {
		t.Fatal(err)
	}
	var epp *unstructured.Unstructured
	for _, o := range objs {
		pl, _, _ := unstructured.NestedStringMap(o.Object, "spec", "template", "metadata", "labels")
		if o.GetKind() == "Deployment" && sel.Matches(labels.Set(pl)) {
			epp = o
		}
	}
	if epp == nil {
		t.Fatalf("no Deployment's pods match %s; rendered %v", rt.Spec.OperatorSelectors[0], k)
	}
	args, img := containerArgs(t, epp, "epp")
	if img != "ghcr.io/llm-d/llm-d-router-endpoint-picker:"+llmd.RouterVersion {
		t.Errorf("picker image %q", img)
	}
	want := []string{"--endpoint-selector", llmd.LabelInferenceServing + "=true"}
	if i := slices.Index(args, want[0]); i < 0 || i+1 >= len(args) || args[i+1] != want[1] {
		t.Errorf("picker args %v lack %v", args, want)
	}
	if slices.Contains(args, "--pool-name") {
		t.Errorf("picker is bound to a pool: %v", args)
	}
	if names := containerNames(epp); !slices.Contains(names, "envoy-proxy") {
		t.Errorf("no Envoy proxy in the picker pod: %v", names)
	}
	if !slices.Contains(k["Service"], llmd.RouterRelease+"-epp") {
		t.Errorf("no Service %s-epp: %v", llmd.RouterRelease, k["Service"])
	}

	gwDir := t.TempDir()
	gch, err := loader.Load(helmtest.LLMDRouterChart(t, "llm-d-router-gateway", gwDir))
	if err != nil {
		t.Fatal(err)
	}
	gk := kinds(renderObjects(t, gch, "m", "default", map[string]any{"router": map[string]any{"modelServers": map[string]any{"matchLabels": llmd.PoolSelector("m")}}}))
	if len(gk["InferencePool"]) != 1 || len(gk["Deployment"]) != 1 {
		t.Errorf("gateway chart: want one InferencePool and one picker Deployment (what an llm-d deployment renders), got %v", gk)
	}
}

// The router's CRDs, which the chart does not bundle, come first: from a `path` source's crds/
// folder (the Inference Extension v1.6.2 InferencePool from the Go module cache, the llm-d.ai
// CRDs of the router release), else fetched, else (air-gapped) a warning naming each.
func TestLLMDRouterCRDsFromThePathSourceFolder(t *testing.T) {
	rt, _ := Lookup("llmd")
	dir := t.TempDir()
	helmtest.LLMDRouterChart(t, llmd.RouterChart, dir)
	crdDir := filepath.Join(dir, "crds")
	helmtest.LLMDRouterCRDs(t, crdDir)
	plan := Request{Runtime: rt}.Charts()
	src := Source{Path: dir}
	if got := LocalCRDDir(src); got != crdDir {
		t.Fatalf("LocalCRDDir = %q, want %q", got, crdDir)
	}
	f, _ := newFetcher(t.TempDir(), src, 1)
	ch, err := f.load(plan[0])
	if err != nil {
		t.Fatal(err)
	}
	objs, warnings, err := collectCRDs(context.Background(), rt.Spec, plan, []*chart.Chart{ch}, true, LocalCRDDir(src))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range objs {
		names = append(names, o.GetName())
	}
	slices.Sort(names)
	if want := []string{llmd.ModelRewriteCRD, llmd.ObjectiveCRD, gateway.PoolCRD}; !slices.Equal(names, want) || len(warnings) > 0 {
		t.Errorf("CRDs %v (warnings %v), want %v", names, warnings, want)
	}
	_, warnings, err = collectCRDs(context.Background(), rt.Spec, plan, []*chart.Chart{ch}, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 3 || !strings.Contains(strings.Join(warnings, "\n"), "crds/ folder of chart.path") {
		t.Errorf("without the folder: warnings %v", warnings)
	}
}
