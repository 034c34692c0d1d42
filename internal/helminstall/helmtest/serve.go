package helmtest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	"helm.sh/helm/v3/pkg/registry"
	"helm.sh/helm/v3/pkg/repo"
)

// Repo is an HTTP chart repository on 127.0.0.1 serving a directory of .tgz files.
type Repo struct {
	URL string
	Dir string
}

// ServeRepo starts a chart repository; call Index after adding charts to Dir.
func ServeRepo(t testing.TB) *Repo {
	t.Helper()
	dir := t.TempDir()
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return &Repo{URL: srv.URL, Dir: dir}
}

// Index regenerates index.yaml, the real repository protocol.
func (r *Repo) Index(t testing.TB) {
	t.Helper()
	idx, err := repo.IndexDirectory(r.Dir, r.URL)
	if err != nil {
		t.Fatal(err)
	}
	idx.SortEntries()
	if err := idx.WriteFile(filepath.Join(r.Dir, "index.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Registry is an in-process OCI registry on 127.0.0.1 (plain HTTP).
type Registry struct {
	Host   string
	client *registry.Client
}

// ServeRegistry starts go-containerregistry's registry.
func ServeRegistry(t testing.TB) *Registry {
	t.Helper()
	srv := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(nopLogger())))
	t.Cleanup(srv.Close)
	c, err := registry.NewClient(registry.ClientOptPlainHTTP(), registry.ClientOptCredentialsFile(filepath.Join(t.TempDir(), "config.json")))
	if err != nil {
		t.Fatal(err)
	}
	return &Registry{Host: strings.TrimPrefix(srv.URL, "http://"), client: c}
}

// Push uploads a packaged chart as <host>/charts/<name>:<version> with Helm's registry client.
func (r *Registry) Push(t testing.TB, tgz, name, version string) {
	t.Helper()
	data, err := os.ReadFile(tgz)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.client.Push(data, r.Host+"/charts/"+name+":"+version); err != nil {
		t.Fatalf("pushing %s: %v", tgz, err)
	}
}

// Ref is the oci:// prefix charts are pushed under.
func (r *Registry) Ref() string { return "oci://" + r.Host + "/charts" }
