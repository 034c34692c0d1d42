package helminstall

import (
	"context"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
)

// kubeRay170Chart extracts helm-chart/kuberay-operator from the KubeRay 1.7.0 source archive
// ($KUBEFOUNDRY_KUBERAY_ARCHIVE, else ../shared/operators/kuberay-operator-1.7.0.tar.gz;
// ray-project/kuberay tag ray-operator/v1.7.0).
func kubeRay170Chart(t *testing.T) string {
	t.Helper()
	return chartFromArchive(t, "KUBEFOUNDRY_KUBERAY_ARCHIVE", "operators/kuberay-operator-1.7.0.tar.gz", "helm-chart/kuberay-operator/")
}

// kubeRay162Chart is the packaged 1.6.2 chart (../shared/charts or $KUBEFOUNDRY_KUBERAY_CHART).
func kubeRay162Chart(t *testing.T) string {
	t.Helper()
	return sharedFile(t, "KUBEFOUNDRY_KUBERAY_CHART", "charts/kuberay-operator-1.6.2.tgz")
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
			m, err := dryRunInstall(ch, plan[0].Release, plan[0].Namespace, plan[0].Values, crdStripper{})
			if err != nil {
				t.Fatalf("rendering: %v", err)
			}
			if image := "quay.io/kuberay/operator:v" + tc.version; !strings.Contains(m, image) {
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
