package helminstall

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kserve"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// The KServe v0.19.0 controller's scheduler writes an x-k8s.io v1alpha2 InferencePool
// (pkg/controller/v1alpha2/llmisvc/scheduler.go reconcileV1Alpha2InferencePool), so the kserve
// install takes that one CRD (GIE v1.3.1) from a chart.path crds/ folder, and nothing else of
// it: the v1 InferencePool CRD lying next to it is not applied (the provider pins v1.6.2).
func TestKServeInstallTakesLegacyPoolCRDFromLocalFolder(t *testing.T) {
	legacy, err := testcluster.LegacyInferencePoolCRD(kserve.LegacyPoolGIEVersion)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "legacy-pool.yaml"), legacy, 0o600); err != nil {
		t.Fatal(err)
	}
	v1 := "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: " + gateway.PoolCRD + "\n"
	if err := os.WriteFile(filepath.Join(dir, "pool-v1.yaml"), []byte(v1), 0o600); err != nil {
		t.Fatal(err)
	}
	rt, ok := Lookup("kserve")
	if !ok {
		t.Fatal("kserve is not an installable runtime")
	}
	plan := Request{Runtime: rt}.Charts()
	charts := make([]*chart.Chart, len(plan))
	for i, p := range plan {
		charts[i] = &chart.Chart{Metadata: &chart.Metadata{Name: ChartName(p), Version: p.Version, APIVersion: "v2"}}
	}
	objs, warnings, err := collectCRDs(context.Background(), rt.Spec, plan, charts, true, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) > 0 {
		t.Errorf("warnings with the CRD in crds/: %v", warnings)
	}
	if len(objs) != 1 || objs[0].GetName() != kserve.LegacyPoolCRD {
		names := make([]string, len(objs))
		for i, o := range objs {
			names[i] = o.GetName()
		}
		t.Fatalf("CRDs %v, want only %s", names, kserve.LegacyPoolCRD)
	}
	if v := objs[0].GetAnnotations()[bundleVersionAnnotation]; v != kserve.LegacyPoolGIEVersion {
		t.Errorf("bundle version %q, want %s", v, kserve.LegacyPoolGIEVersion)
	}
	if served, _, _ := unstructured.NestedSlice(objs[0].Object, "spec", "versions"); len(served) != 1 || served[0].(map[string]any)["name"] != "v1alpha2" {
		t.Errorf("the CRD does not serve exactly v1alpha2: %v", served)
	}

	// Air-gapped without the file: a warning naming it and where to put it, no download.
	_, warnings, err = collectCRDs(context.Background(), rt.Spec, plan, charts, true, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], kserve.LegacyPoolCRD) || !strings.Contains(warnings[0], "crds/ folder of chart.path") {
		t.Errorf("warnings %v, want one naming %s and the crds/ folder", warnings, kserve.LegacyPoolCRD)
	}
	if !slices.Contains(rt.Spec.RemoveCRDsOnUninstall, kserve.LegacyPoolCRD) {
		t.Errorf("remove_crds_on_destroy would leave %s (%v)", kserve.LegacyPoolCRD, rt.Spec.RemoveCRDsOnUninstall)
	}
}

// A newer Inference Extension CRD of the same name is kept; an older or unversioned one is
// replaced.
func TestKeepInstalledOnlyNewerInferenceExtensionCRD(t *testing.T) {
	crd := func(v string) *unstructured.Unstructured {
		u := &unstructured.Unstructured{}
		u.SetName(kserve.LegacyPoolCRD)
		if v != "" {
			u.SetAnnotations(map[string]string{bundleVersionAnnotation: v})
		}
		return u
	}
	ours := crd("v1.3.1")
	for installed, keep := range map[string]bool{"v1.4.0": true, "v1.10.0": true, "v1.3.1": false, "v1.2.0": false, "": false, "dev": false} {
		if got := keepInstalled(crd(installed), ours); got != keep {
			t.Errorf("installed %q, ours v1.3.1: keep = %v, want %v", installed, got, keep)
		}
	}
	if keepInstalled(nil, ours) {
		t.Error("kept a CRD that is not installed")
	}
	if keepInstalled(crd("v1.4.0"), crd("")) {
		t.Error("kept an installed CRD over one without a bundle version")
	}
}
