package clustertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	apiextensions "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/version"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kaito"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kuberay"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/registry"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// supportedCRDs maps each KAITO and KubeRay release the runtimes claim (kaito.SupportedVersions,
// kuberay.SupportedVersions) to the folder of ../shared/crds holding that release's CRD.
var supportedCRDs = []struct {
	runtime, version, dir, crd string
	more                       []string // further CRDs of the release some cases render
}{
	// kaito.inference_set renders a kaito.sh/v1beta1 InferenceSet, which KAITO 0.12 serves
	// (KAITO 0.8's InferenceSet is v1alpha1 only, so those cases are not checked against it).
	{kaito.ID, "0.12.0", "kaito-0.12.0", "workspaces.kaito.sh", []string{"inferencesets.kaito.sh"}},
	{kaito.ID, "0.8.0", "", "workspaces.kaito.sh", nil}, // top level: the previous pins
	{kuberay.ID, "1.7.0", "kuberay-1.7.0", "rayservices.ray.io", nil},
	{kuberay.ID, "1.6.2", "kuberay-1.6.2", "rayservices.ray.io", nil},
	{kuberay.ID, "1.5.1", "", "rayservices.ray.io", nil},
}

// TestKaitoKubeRayManifestsPassStrictDryRunPerVersion dry-runs every rendered KAITO and KubeRay
// object (companion Services included) with fieldValidation=Strict against the CRD of each
// release the runtime claims to support, each in its own API server (one CRD version per
// cluster), and writes the status cases that release produces through its status
// subresource. It also fails when a claimed version has no CRD to check against.
func TestKaitoKubeRayManifestsPassStrictDryRunPerVersion(t *testing.T) {
	root, err := testcluster.CRDDir()
	if err != nil {
		t.Fatal(err)
	}
	claimed := map[string][]string{kaito.ID: kaito.SupportedVersions, kuberay.ID: kuberay.SupportedVersions}
	for id, versions := range claimed {
		for _, v := range versions {
			found := false
			for _, s := range supportedCRDs {
				found = found || (s.runtime == id && s.version == v)
			}
			if !found {
				t.Errorf("%s %s is claimed as supported but has no CRD folder in this test", id, v)
			}
		}
	}
	// One API server per CRD generation: previous pins (top level) and current releases.
	for _, gen := range []struct {
		name string
		dirs map[string]bool
	}{{"previous", map[string]bool{"": true}}, {"current", map[string]bool{"kaito-0.12.0": true, "kuberay-1.7.0": true}},
		{"kuberay-1.6.2", map[string]bool{"kuberay-1.6.2": true}}} {
		t.Run(gen.name, func(t *testing.T) {
			ctx := context.Background()
			c, err := testcluster.Start(ctx, testcluster.Options{SkipCRDs: true, NoControllerManager: true})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Stop()
			cs, err := apiextensions.NewForConfig(c.RESTConfig)
			if err != nil {
				t.Fatal(err)
			}
			var runtimesHere []string
			for _, s := range supportedCRDs {
				if !gen.dirs[s.dir] {
					continue
				}
				dir := filepath.Join(root, s.dir)
				if _, err := os.Stat(dir); err != nil {
					t.Fatalf("%s %s: %v", s.runtime, s.version, err)
				}
				served := map[string]bool{}
				for _, name := range append([]string{s.crd}, s.more...) {
					crd, err := testcluster.CRDByName(dir, name)
					if err != nil {
						t.Fatal(err)
					}
					if err := testcluster.CreateCRD(ctx, cs, crd); err != nil {
						t.Fatal(err)
					}
					served[name] = true
				}
				runtimesHere = append(runtimesHere, s.runtime+" "+s.version)
				r, _ := registry.Get(s.runtime)
				checkStatusCases(t, c, r, s.version)
				for _, tc := range runtimestest.Cases(s.runtime) {
					if !served[rt.ForConfig(r, runtimestest.Defaulted(t, r, tc)).CRD().Name()] {
						continue // a kind this release does not serve at the rendered version
					}
					t.Run(s.version+"/"+tc.Name, func(t *testing.T) {
						cfg := runtimestest.Defaulted(t, r, tc)
						cfg.Namespace = "default"
						m, err := r.Manifests(cfg)
						if err != nil {
							t.Fatal(err)
						}
						for _, obj := range m.All() {
							if _, err := applyStrict(ctx, c.Dynamic, obj, true); err != nil {
								t.Errorf("%s %s %s rejected by the %s %s CRD: %v", s.runtime, obj.GetKind(), obj.GetName(), s.runtime, s.version, err)
							}
						}
					})
				}
			}
			t.Logf("checked against %v", runtimesHere)
		})
	}
}

// crdHasStatusFields reports whether the served CRD accepts status (a strict dry run of the
// status write).
func crdHasStatusFields(t *testing.T, c *testcluster.Cluster, obj *unstructured.Unstructured, status map[string]any) bool {
	t.Helper()
	obj = obj.DeepCopy()
	obj.Object["status"] = runtime.DeepCopyJSON(status)
	_, err := resourceFor(c.Dynamic, obj).UpdateStatus(context.Background(), obj, metav1.UpdateOptions{FieldValidation: "Strict", DryRun: []string{metav1.DryRunAll}})
	return err == nil || !strings.Contains(err.Error(), "unknown field")
}

// checkStatusCases writes the runtime's status cases that this release's CRD can hold through
// the status subresource (strict) and maps the object read back.
func checkStatusCases(t *testing.T, c *testcluster.Cluster, r rt.Runtime, release string) {
	ns := c.Namespace(t)
	for i, sc := range runtimestest.StatusCases(r.ID()) {
		if sc.Since != "" && version.MustParseGeneric(release).LessThan(version.MustParseGeneric(sc.Since)) {
			continue // the release does not write this status
		}
		t.Run(release+"/status/"+sc.Name, func(t *testing.T) {
			cfg, live := deploy(t, c, r, ns, fmt.Sprintf("status-%d", i))
			if sc.Status != nil {
				live = writeStatus(t, c, live, sc.Status)
			}
			if sc.Stale {
				cfg.Replicas = rt.Int64(*cfg.Replicas + 1)
				live = apply(t, c, r, cfg)
			}
			got, err := resourceFor(c.Dynamic, live).Get(context.Background(), live.GetName(), metav1.GetOptions{})
			if err != nil {
				t.Fatal(err)
			}
			runtimestest.AssertStatus(t, sc, r.Status(got, nil, nil))
		})
	}
}
