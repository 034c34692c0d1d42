package helminstall

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// The real KServe v0.19.0 charts (github.com/kserve/kserve charts/, from the Go module
// cache through scripts/kserve-build.sh crds), rendered with the Helm SDK in the order and
// with the values the provider installs them: the LLMInferenceService CRDs, which the CRD
// chart ships as static templates, are applied first by us and kept out of the release; the
// controller runs the release's image; the presets chart renders the
// LLMInferenceServiceConfigs every service is merged onto, and no InferenceService runtimes.
func TestKServeChartsRenderControllerPresetsAndCRDsFirst(t *testing.T) {
	dir, err := testcluster.KServeDir(true)
	if err != nil {
		t.Fatal(err)
	}
	rt, ok := Lookup("kserve")
	if !ok {
		t.Fatal("kserve is not an installable runtime")
	}
	plan := Request{Runtime: rt}.Charts()
	if len(plan) != 3 {
		t.Fatalf("%d charts, want CRDs, controller and presets", len(plan))
	}
	var charts []*chart.Chart
	manifests := map[string]string{}
	for _, p := range plan {
		ch, err := loader.Load(filepath.Join(dir, "charts", ChartName(p)))
		if err != nil {
			t.Fatal(err)
		}
		if ch.Metadata.Version != p.Version {
			t.Errorf("%s: pinned %s, module chart %s", p.Release, p.Version, ch.Metadata.Version)
		}
		charts = append(charts, ch)
		m, err := dryRunInstall(ch, p.Release, p.Namespace, p.Values, crdStripper{})
		if err != nil {
			t.Fatalf("rendering %s with the provider's values: %v", p.Release, err)
		}
		manifests[p.Release] = m
		if strings.Contains(m, "kind: CustomResourceDefinition") {
			t.Errorf("release %s contains CRDs: an uninstall would delete every LLMInferenceService", p.Release)
		}
	}
	if m := manifests["kserve-llmisvc-resources"]; !strings.Contains(m, "kserve/llmisvc-controller:v0.19.0") || !strings.Contains(m, "name: inferenceservice-config") {
		t.Errorf("the controller release lacks the v0.19.0 controller image or its inferenceservice-config:\n%.2000s", m)
	}
	presets := manifests["kserve-runtime-configs"]
	for _, want := range []string{"name: kserve-config-llm-template", "name: kserve-config-llm-scheduler", "name: kserve-config-llm-worker-data-parallel", "name: kserve-config-llm-prefill-template"} {
		if !strings.Contains(presets, want) {
			t.Errorf("the presets release lacks %s", want)
		}
	}
	if strings.Contains(presets, "kind: ClusterServingRuntime") {
		t.Error("the presets release installs InferenceService serving runtimes too")
	}
	objs, _, err := collectCRDs(context.Background(), rt.Spec, plan, charts, true)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, o := range objs {
		got[o.GetName()] = true
	}
	for _, want := range []string{"llminferenceservices.serving.kserve.io", "llminferenceserviceconfigs.serving.kserve.io"} {
		if !got[want] {
			t.Errorf("CRD %s is not taken from the charts (got %v)", want, got)
		}
	}
}
