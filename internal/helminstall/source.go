package helminstall

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/cli"
	"helm.sh/helm/v3/pkg/registry"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// fetcher downloads charts into a private working directory, so nothing from the user's
// own Helm configuration (repositories.yaml, registry logins) leaks in.
type fetcher struct {
	settings *cli.EnvSettings
	registry *registry.Client
	source   Source
	nCharts  int
}

func newFetcher(workDir string, src Source, nCharts int) (*fetcher, error) {
	settings := cli.New()
	settings.RepositoryCache = filepath.Join(workDir, "cache")
	settings.RepositoryConfig = filepath.Join(workDir, "repositories.yaml")
	settings.RegistryConfig = filepath.Join(workDir, "registry.json")
	opts := []registry.ClientOption{
		registry.ClientOptWriter(io.Discard),
		registry.ClientOptCredentialsFile(settings.RegistryConfig),
	}
	if src.PlainHTTP {
		opts = append(opts, registry.ClientOptPlainHTTP())
	}
	if src.Username != "" || src.Password != "" {
		opts = append(opts, registry.ClientOptBasicAuth(src.Username, src.Password))
	}
	rc, err := registry.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("creating the OCI registry client: %w", err)
	}
	return &fetcher{settings: settings, registry: rc, source: src, nCharts: nCharts}, nil
}

// load finds, downloads when needed, and loads one chart of the runtime, and checks it
// is the version asked for.
func (f *fetcher) load(c runtimes.Chart) (*chart.Chart, error) {
	path, err := f.locate(c)
	if err != nil {
		return nil, fmt.Errorf("locating chart %s %s: %w", ChartName(c), c.Version, err)
	}
	ch, err := loader.Load(path)
	if err != nil {
		return nil, fmt.Errorf("loading chart %s: %w", path, err)
	}
	if got := ch.Metadata.Version; strings.TrimPrefix(got, "v") != strings.TrimPrefix(c.Version, "v") {
		return nil, fmt.Errorf("chart %s has version %s, but version %s was asked for; set `version` to the chart's version", path, got, c.Version)
	}
	return ch, nil
}

func (f *fetcher) locate(c runtimes.Chart) (string, error) {
	name := ChartName(c)
	opts := action.NewInstall(&action.Configuration{})
	opts.SetRegistryClient(f.registry)
	opts.Version = c.Version
	opts.Username, opts.Password = f.source.Username, f.source.Password
	opts.PlainHTTP = f.source.PlainHTTP
	src := f.source
	switch {
	case src.Path != "":
		return f.localPath(name, c.Version)
	case registry.IsOCI(src.Repository):
		return opts.LocateChart(strings.TrimSuffix(src.Repository, "/")+"/"+name, f.settings)
	case src.Repository != "":
		opts.RepoURL = src.Repository
		return opts.LocateChart(name, f.settings)
	case c.ChartURL != "":
		return opts.LocateChart(c.ChartURL, f.settings)
	default:
		opts.RepoURL = c.RepoURL
		return opts.LocateChart(name, f.settings)
	}
}

// localPath resolves the `path` source: a chart itself, or a directory of charts.
func (f *fetcher) localPath(name, version string) (string, error) {
	p := f.source.Path
	st, err := os.Stat(p)
	if err != nil {
		return "", err
	}
	if !st.IsDir() || fileExists(filepath.Join(p, "Chart.yaml")) {
		if f.nCharts > 1 {
			return "", fmt.Errorf("%s is a single chart but this runtime installs %d charts; point `path` at a directory holding <chart>-<version>.tgz files", p, f.nCharts)
		}
		return p, nil
	}
	for _, cand := range []string{
		filepath.Join(p, name+"-"+version+".tgz"),
		filepath.Join(p, name+"-"+strings.TrimPrefix(version, "v")+".tgz"),
		filepath.Join(p, name),
	} {
		if fileExists(cand) {
			return cand, nil
		}
	}
	return "", fmt.Errorf("neither %s-%s.tgz nor a %s/ chart directory found in %s", name, version, name, p)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
