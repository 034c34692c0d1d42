package helminstall

import (
	"context"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
)

// kaitoChart extracts charts/kaito/workspace from the KAITO 0.12.0 source archive
// ($KUBEFOUNDRY_KAITO_ARCHIVE, else ../shared/operators/kaito-0.12.0.tar.gz).
func kaitoChart(t *testing.T) string {
	t.Helper()
	return chartFromArchive(t, "KUBEFOUNDRY_KAITO_ARCHIVE", "operators/kaito-0.12.0.tar.gz", "charts/kaito/workspace/")
}

// The real KAITO 0.12.0 chart (kaito-project/kaito v0.12.0 charts/kaito/workspace), rendered
// with the Helm SDK and the values the provider installs it with: the controller runs with
// --node-provisioner=byo, no DaemonSet duplicates the GPU operator, the Workspace and
// InferenceSet CRDs (chart templates since 0.12) are applied by us and not in the release.
func TestKaito012ChartRendersBYOWithoutDuplicatesOrCRDs(t *testing.T) {
	ch, err := loader.Load(kaitoChart(t))
	if err != nil {
		t.Fatal(err)
	}
	if ch.Metadata.Version != "0.12.0" {
		t.Fatalf("chart version %s, want 0.12.0", ch.Metadata.Version)
	}
	rt, _ := Lookup("kaito")
	plan := Request{Runtime: rt}.Charts()
	if plan[0].Version != ch.Metadata.Version {
		t.Errorf("pinned KAITO %s, archive chart %s", plan[0].Version, ch.Metadata.Version)
	}

	m, err := dryRunInstall(ch, plan[0].Release, plan[0].Namespace, plan[0].Values, crdStripper{})
	if err != nil {
		t.Fatalf("rendering the chart with the provider's values: %v", err)
	}
	if !strings.Contains(m, "--node-provisioner=byo") {
		t.Error("the controller is not started with --node-provisioner=byo")
	}
	if strings.Contains(m, "kind: CustomResourceDefinition") {
		t.Error("the release still contains CRDs: an uninstall would delete every Workspace")
	}
	if strings.Contains(m, "kind: DaemonSet") {
		t.Error("the release runs a DaemonSet (device plugin, GFD or NFD) next to the GPU operator's")
	}

	objs, _, err := collectCRDs(context.Background(), rt.Spec, plan, []*chart.Chart{ch}, true)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, o := range objs {
		got[o.GetName()] = true
	}
	for _, want := range []string{"workspaces.kaito.sh", "inferencesets.kaito.sh", "nodeclaims.karpenter.sh"} {
		if !got[want] {
			t.Errorf("CRD %s is not taken from the chart (got %v)", want, got)
		}
	}
}
