package helminstall

import (
	"context"
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

// The real KubeRay operator chart 1.6.2 (packaged from ray-project/kuberay v1.6.2,
// ../shared/charts or $KUBEFOUNDRY_KUBERAY_CHART) is the pinned one, renders with our values,
// runs the v1.6.2 operator image and brings the RayService CRD we apply first.
func TestKubeRay162ChartIsThePinnedOne(t *testing.T) {
	path := os.Getenv("KUBEFOUNDRY_KUBERAY_CHART")
	if path == "" {
		root, err := testcluster.RepoRoot()
		if err != nil {
			t.Fatal(err)
		}
		path = filepath.Join(root, "..", "shared", "charts", "kuberay-operator-1.6.2.tgz")
	}
	ch, err := loader.Load(path)
	if err != nil {
		t.Fatalf("KubeRay chart (set KUBEFOUNDRY_KUBERAY_CHART): %v", err)
	}
	rt, _ := Lookup("kuberay")
	plan := Request{Runtime: rt}.Charts()
	if plan[0].Version != ch.Metadata.Version {
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
	if !strings.Contains(rel.Manifest, "quay.io/kuberay/operator:v1.6.2") {
		t.Error("the release does not run quay.io/kuberay/operator:v1.6.2")
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
}
