package runtimeinstall_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/helminstall"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/helminstall/helmtest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

const resName = "kubefoundry_runtime_install.test"

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// versionAnnotation is set on every CRD of a generated chart, to see CRD upgrades.
const versionAnnotation = "kubefoundry.test/chart-version"

// expectedCRDs are the CRDs each runtime's generated charts bundle (sorted).
var expectedCRDs = map[string][]string{
	"dynamo":       {"dynamographdeployments.nvidia.com"},
	"kuberay":      {"rayservices.ray.io"},
	"kaito":        {"inferencesets.kaito.sh", "nodeclaims.karpenter.sh", "nodepools.karpenter.sh", "workspaces.kaito.sh"},
	"gpu-operator": {"clusterpolicies.nvidia.com"},
}

// runtimeCharts generates the runtime's charts at a version: the real chart names, the
// operator Deployment with the runtime's real pod labels, and the real CRDs.
func runtimeCharts(t *testing.T, id, version string, broken bool) []helmtest.Chart {
	t.Helper()
	rt, ok := helminstall.Lookup(id)
	if !ok {
		t.Fatalf("unknown runtime %s", id)
	}
	crds := map[string][]byte{}
	for _, name := range expectedCRDs[id] {
		crds[name+".yaml"] = crdManifest(t, name, version)
	}
	out := make([]helmtest.Chart, len(rt.Spec.Charts))
	for i, c := range rt.Spec.Charts {
		out[i] = helmtest.Chart{Name: helminstall.ChartName(c), Version: version}
	}
	k, v, _ := strings.Cut(rt.Spec.OperatorSelectors[0], "=")
	last := &out[len(out)-1]
	last.PodLabels = map[string]string{k: v}
	last.Broken = broken
	out[0].CRDs = crds // the first chart bundles the CRDs (Dynamo 1.4 has one chart, dynamo-platform)
	return out
}

func crdManifest(t *testing.T, name, version string) []byte {
	t.Helper()
	var raw []byte
	switch name {
	case "nodeclaims.karpenter.sh":
		raw = helmtest.CRD("karpenter.sh", "NodeClaim", "nodeclaims", "Cluster")
	case "nodepools.karpenter.sh":
		raw = helmtest.CRD("karpenter.sh", "NodePool", "nodepools", "Cluster")
	case "clusterpolicies.nvidia.com":
		raw = helmtest.CRD("nvidia.com", "ClusterPolicy", "clusterpolicies", "Cluster")
	default:
		// The CRD release the test cluster runs (a chart may not drop a version the
		// cluster's CRD already stores).
		dirs, err := testcluster.CRDDirs(testcluster.DefaultCRDSet())
		if err != nil {
			t.Fatal(err)
		}
		for _, dir := range dirs {
			if raw, err = os.ReadFile(filepath.Join(dir, name+".yaml")); err == nil {
				break
			}
		}
		if raw == nil {
			t.Fatalf("CRD %s not in %v", name, dirs)
		}
	}
	var m map[string]any
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	meta := m["metadata"].(map[string]any)
	ann, _ := meta["annotations"].(map[string]any)
	if ann == nil {
		ann = map[string]any{}
	}
	ann[versionAnnotation] = version
	meta["annotations"] = ann
	out, err := yaml.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sources serves generated charts the three ways users get them.
type sources struct {
	repo     *helmtest.Repo
	registry *helmtest.Registry
	localDir string
}

func newSources(t *testing.T) *sources {
	return &sources{repo: helmtest.ServeRepo(t), registry: helmtest.ServeRegistry(t), localDir: t.TempDir()}
}

// publish packages the charts and returns the `chart = {...}` attribute for the source kind.
func (s *sources) publish(t *testing.T, kind string, charts []helmtest.Chart) string {
	t.Helper()
	switch kind {
	case "repo":
		for _, c := range charts {
			helmtest.Package(t, c, s.repo.Dir)
		}
		s.repo.Index(t)
		return fmt.Sprintf("chart = { repository = %q }", s.repo.URL)
	case "oci":
		for _, c := range charts {
			s.registry.Push(t, helmtest.Package(t, c, t.TempDir()), c.Name, c.Version)
		}
		return fmt.Sprintf("chart = {\n    repository = %q\n    plain_http = true\n  }", s.registry.Ref())
	case "path":
		var last string
		for _, c := range charts {
			last = helmtest.Package(t, c, s.localDir)
		}
		if len(charts) == 1 { // a single chart is given as the .tgz itself
			return fmt.Sprintf("chart = { path = %q }", last)
		}
		return fmt.Sprintf("chart = { path = %q }", s.localDir)
	}
	t.Fatalf("unknown source kind %s", kind)
	return ""
}

func config(t *testing.T, runtime, ns, version, chart, extra string) string {
	return acctest.ProviderBlock(t, "") + fmt.Sprintf(`
resource "kubefoundry_runtime_install" "test" {
  runtime   = %q
  namespace = %q
  version   = %q
  %s
  %s
  timeouts {
    create = "2m"
    update = "2m"
    delete = "2m"
  }
}
`, runtime, ns, version, chart, extra)
}

// expectedReleases is the exact `releases` value after a clean install or upgrade.
func expectedReleases(t *testing.T, id, ns, version string, revision int64) knownvalue.Check { //nolint:unparam // t kept for symmetry with the other helpers
	rt, _ := helminstall.Lookup(id)
	var out []knownvalue.Check
	req := helminstall.Request{Runtime: rt, Version: version, Namespace: ns}
	for _, c := range req.Charts() {
		out = append(out, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"name": knownvalue.StringExact(c.Release), "namespace": knownvalue.StringExact(c.Namespace),
			"chart": knownvalue.StringExact(helminstall.ChartName(c)), "version": knownvalue.StringExact(version),
			"revision": knownvalue.Int64Exact(revision), "status": knownvalue.StringExact("deployed"),
		}))
	}
	return knownvalue.ListExact(out)
}

func stringList(names []string) knownvalue.Check {
	out := make([]knownvalue.Check, len(names))
	for i, n := range names {
		out[i] = knownvalue.StringExact(n)
	}
	return knownvalue.ListExact(out)
}

// crdVersion returns the test annotation of a CRD, or "" when the CRD is missing.
func crdVersion(t *testing.T, name string) string {
	c := testcluster.Get(t)
	obj, err := c.Dynamic.Resource(crdGVR).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		return ""
	}
	return obj.GetAnnotations()[versionAnnotation]
}

// uniqueNS returns a namespace name that does not exist yet, so the resource creates it.
func uniqueNS(t *testing.T, prefix string) string { //nolint:unparam // t kept for symmetry with the other helpers
	return fmt.Sprintf("%s-%d", prefix, nsSeq.Add(1))
}
