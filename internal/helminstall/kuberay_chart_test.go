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

// kubeRay170Chart extracts helm-chart/kuberay-operator from the KubeRay 1.7.0 source archive
// ($KUBEFOUNDRY_KUBERAY_ARCHIVE, else ../shared/operators/kuberay-operator-1.7.0.tar.gz;
// ray-project/kuberay tag ray-operator/v1.7.0).
func kubeRay170Chart(t *testing.T) string {
	t.Helper()
	archive := os.Getenv("KUBEFOUNDRY_KUBERAY_ARCHIVE")
	if archive == "" {
		root, err := testcluster.RepoRoot()
		if err != nil {
			t.Fatal(err)
		}
		archive = filepath.Join(root, "..", "shared", "operators", "kuberay-operator-1.7.0.tar.gz")
	}
	f, err := os.Open(archive)
	if err != nil {
		t.Fatalf("KubeRay 1.7.0 archive (set KUBEFOUNDRY_KUBERAY_ARCHIVE): %v", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tr := tar.NewReader(gz)
	const marker = "helm-chart/kuberay-operator/"
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		i := strings.Index(h.Name, marker)
		if h.Typeflag != tar.TypeReg || i < 0 || strings.Contains(h.Name, "..") {
			continue
		}
		out := filepath.Join(dir, h.Name[i+len(marker):])
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			t.Fatal(err)
		}
		w, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, tr); err != nil { //nolint:gosec // a trusted, size-bounded archive
			t.Fatal(err)
		}
		_ = w.Close()
	}
	return dir
}

// kubeRay162Chart is the packaged 1.6.2 chart (../shared/charts or $KUBEFOUNDRY_KUBERAY_CHART).
func kubeRay162Chart(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("KUBEFOUNDRY_KUBERAY_CHART"); p != "" {
		return p
	}
	root, err := testcluster.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(root, "..", "shared", "charts", "kuberay-operator-1.6.2.tgz")
}

// The real KubeRay operator charts: 1.7.0 (from the release's source archive) is the pinned
// one; 1.6.2 (still supported, version = "1.6.2") renders with the same values. Each runs its
// own operator image and brings the RayService CRD we apply first.
func TestKubeRayChartsPinnedAndPrevious(t *testing.T) {
	rt, _ := Lookup("kuberay")
	for _, tc := range []struct {
		version string
		path    func(*testing.T) string
		pinned  bool
	}{
		{"1.7.0", kubeRay170Chart, true},
		{"1.6.2", kubeRay162Chart, false},
	} {
		t.Run(tc.version, func(t *testing.T) {
			ch, err := loader.Load(tc.path(t))
			if err != nil {
				t.Fatalf("KubeRay %s chart: %v", tc.version, err)
			}
			if ch.Metadata.Version != tc.version {
				t.Fatalf("chart version %s, want %s", ch.Metadata.Version, tc.version)
			}
			req := Request{Runtime: rt}
			if !tc.pinned {
				req.Version = tc.version
			}
			plan := req.Charts()
			if tc.pinned && plan[0].Version != ch.Metadata.Version {
				t.Fatalf("pinned KubeRay chart %s, upstream chart %s", plan[0].Version, ch.Metadata.Version)
			}
			cfg := &action.Configuration{Releases: storage.Init(driver.NewMemory()), Capabilities: chartutil.DefaultCapabilities}
			act := action.NewInstall(cfg)
			act.ReleaseName, act.Namespace = plan[0].Release, plan[0].Namespace
			act.DryRun, act.ClientOnly, act.SkipCRDs = true, true, true
			act.PostRenderer = crdStripper{}
			rel, err := act.RunWithContext(context.Background(), ch, plan[0].Values)
			if err != nil {
				t.Fatalf("rendering: %v", err)
			}
			if image := "quay.io/kuberay/operator:v" + tc.version; !strings.Contains(rel.Manifest, image) {
				t.Errorf("the release does not run %s", image)
			}
			objs, _, err := collectCRDs(context.Background(), rt.Spec, plan, []*chart.Chart{ch}, true)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, o := range objs {
				found = found || o.GetName() == "rayservices.ray.io"
			}
			if !found {
				t.Error("rayservices.ray.io is not applied from the chart")
			}
		})
	}
}
