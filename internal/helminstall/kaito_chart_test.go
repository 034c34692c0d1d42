package helminstall

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/storage"
	"helm.sh/helm/v3/pkg/storage/driver"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// kaitoChart extracts charts/kaito/workspace from the KAITO 0.12.0 source archive
// ($KUBEFOUNDRY_KAITO_ARCHIVE, else ../shared/operators/kaito-0.12.0.tar.gz).
func kaitoChart(t *testing.T) string {
	t.Helper()
	archive := os.Getenv("KUBEFOUNDRY_KAITO_ARCHIVE")
	if archive == "" {
		root, err := testcluster.RepoRoot()
		if err != nil {
			t.Fatal(err)
		}
		archive = filepath.Join(root, "..", "shared", "operators", "kaito-0.12.0.tar.gz")
	}
	f, err := os.Open(archive)
	if err != nil {
		t.Fatalf("KAITO 0.12.0 archive (set KUBEFOUNDRY_KAITO_ARCHIVE): %v", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tr := tar.NewReader(gz)
	const prefix = "charts/kaito/workspace/"
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(h.Name, "./")
		if h.Typeflag != tar.TypeReg || !strings.HasPrefix(name, prefix) || strings.Contains(name, "..") {
			continue
		}
		out := filepath.Join(dir, strings.TrimPrefix(name, prefix))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(out, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
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

	cfg := &action.Configuration{Releases: storage.Init(driver.NewMemory()), Capabilities: chartutil.DefaultCapabilities}
	act := action.NewInstall(cfg)
	act.ReleaseName, act.Namespace = plan[0].Release, plan[0].Namespace
	act.DryRun, act.ClientOnly, act.SkipCRDs = true, true, true
	act.PostRenderer = crdStripper{}
	rel, err := act.RunWithContext(context.Background(), ch, plan[0].Values)
	if err != nil {
		t.Fatalf("rendering the chart with the provider's values: %v", err)
	}
	m := rel.Manifest
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
