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
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/postrender"
	"helm.sh/helm/v3/pkg/storage"
	"helm.sh/helm/v3/pkg/storage/driver"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// dryRunInstall renders ch as the install would, client-side (no cluster, no CRDs), through
// post (the provider's crdStripper, or nil) and returns the manifest.
func dryRunInstall(ch *chart.Chart, release, namespace string, values map[string]any, post postrender.PostRenderer) (string, error) {
	cfg := &action.Configuration{Releases: storage.Init(driver.NewMemory()), Capabilities: chartutil.DefaultCapabilities}
	act := action.NewInstall(cfg)
	act.ReleaseName, act.Namespace = release, namespace
	act.DryRun, act.ClientOnly, act.SkipCRDs = true, true, true
	act.PostRenderer = post
	rel, err := act.RunWithContext(context.Background(), ch, values)
	if err != nil {
		return "", err
	}
	return rel.Manifest, nil
}

// sharedFile is $env, else ../shared/<rel> next to the repository.
func sharedFile(t *testing.T, env, rel string) string {
	t.Helper()
	if p := os.Getenv(env); p != "" {
		return p
	}
	root, err := testcluster.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(root, "..", "shared", rel)
}

// chartFromArchive extracts the files below dir (e.g. "helm-chart/kuberay-operator/", at any
// depth of the archive's paths) of an operator's source archive ($env, else
// ../shared/<rel>) into a temporary folder.
func chartFromArchive(t *testing.T, env, rel, dir string) string {
	t.Helper()
	archive := sharedFile(t, env, rel)
	f, err := os.Open(archive)
	if err != nil {
		t.Fatalf("operator source archive (set %s): %v", env, err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	outDir := t.TempDir()
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		i := strings.Index(h.Name, dir)
		if h.Typeflag != tar.TypeReg || i < 0 || strings.Contains(h.Name, "..") {
			continue
		}
		out := filepath.Join(outDir, h.Name[i+len(dir):])
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
	return outDir
}
