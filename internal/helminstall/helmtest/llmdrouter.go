package helmtest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/llmd"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// LLMDRouterChart packages an llm-d router v0.10.0 chart ("llm-d-router-standalone" or
// "llm-d-router-gateway") from the release archive in ../shared/operators as the release
// tooling publishes it (hack/push-chart.sh: routerlib vendored, chart version = the tag, the
// endpoint picker image pinned to the tag with pullPolicy IfNotPresent) into dir.
func LLMDRouterChart(t testing.TB, chartName, dir string) string {
	t.Helper()
	src, err := testcluster.LLMDRouterDir(true)
	if err != nil {
		t.Fatal(err)
	}
	return Release(t, filepath.Join(src, "charts", chartName), []string{filepath.Join(src, "charts", "routerlib")}, llmd.RouterChartVersion,
		map[string]any{"router": map[string]any{"epp": map[string]any{"image": map[string]any{
			"registry": "ghcr.io/llm-d", "repository": "llm-d-router-endpoint-picker", "tag": llmd.RouterVersion, "pullPolicy": "IfNotPresent",
		}}}}, dir)
}

// LLMDRouterCRDs writes the CRDs the llm-d router reads into dir, as an air-gapped user puts
// them next to the charts: the Inference Extension v1.6.2 InferencePool (Go module cache) and
// the release's llm-d.ai InferenceObjective and InferenceModelRewrite.
func LLMDRouterCRDs(t testing.TB, dir string) {
	t.Helper()
	src, err := testcluster.LLMDRouterDir(true)
	if err != nil {
		t.Fatal(err)
	}
	gw, err := testcluster.GatewayCRDDirs()
	if err != nil {
		t.Fatal(err)
	}
	files := []string{
		filepath.Join(src, "crds", "llm-d.ai_inferenceobjectives.yaml"),
		filepath.Join(src, "crds", "llm-d.ai_inferencemodelrewrites.yaml"),
		filepath.Join(gw[len(gw)-1], "inference.networking.k8s.io_inferencepools.yaml"),
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range files {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(p)), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
