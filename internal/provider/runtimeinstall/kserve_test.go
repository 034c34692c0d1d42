package runtimeinstall_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/helminstall/helmtest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kserve"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// legacyPoolGVR is the pool the KServe v0.19.0 scheduler writes next to the v1 one
// (github.com/kserve/kserve pkg/controller/v1alpha2/llmisvc/scheduler.go
// reconcileV1Alpha2InferencePool).
var legacyPoolGVR = schema.GroupVersionResource{Group: "inference.networking.x-k8s.io", Version: "v1alpha2", Resource: "inferencepools"}

const bundleVersion = "inference.networking.k8s.io/bundle-version"

// TestAccRuntimeInstall_KServeLegacyPoolCRD: runtime "kserve" from an air-gapped `path` source
// applies the x-k8s.io v1alpha2 InferencePool CRD (GIE v1.3.1, from the source's crds/ folder)
// before its charts, so the controller's v1alpha2 pool can be written; a newer one of the same
// name installed by someone else is kept on the next apply; remove_crds_on_destroy removes it.
// The charts are generated ones with KServe's chart names and controller pod labels (the real
// resources chart needs cert-manager, which the test cluster does not run).
func TestAccRuntimeInstall_KServeLegacyPoolCRD(t *testing.T) {
	c := testcluster.Get(t)
	src := newSources(t)
	ns := uniqueNS(t, "ri-kserve")
	const id = "kserve"
	helmtest.StartKubelet(t, c.Clientset, ns)
	chart := src.publish(t, "path", runtimeCharts(t, id, kserve.Version, false))
	legacy, err := testcluster.LegacyInferencePoolCRD(kserve.LegacyPoolGIEVersion)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(src.localDir, "crds"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src.localDir, "crds", "inferencepools-x-k8s.yaml"), legacy, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	crdState := []statecheck.StateCheck{statecheck.ExpectKnownValue(resName, tfjsonpath.New("crds"), stringList([]string{kserve.LegacyPoolCRD}))}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			return wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
				return legacyPoolBundle(ctx, c) == "", nil
			})
		},
		Steps: []resource.TestStep{
			{
				Config:            config(t, id, ns, kserve.Version, chart, "remove_crds_on_destroy = true"),
				ConfigStateChecks: crdState,
				Check: func(*terraform.State) error {
					if v := legacyPoolBundle(ctx, c); v != kserve.LegacyPoolGIEVersion {
						return fmt.Errorf("CRD %s: bundle version %q, want %s (Established)", kserve.LegacyPoolCRD, v, kserve.LegacyPoolGIEVersion)
					}
					// What the controller's scheduler writes is now accepted.
					pool := &unstructured.Unstructured{Object: map[string]any{
						"apiVersion": legacyPoolGVR.GroupVersion().String(), "kind": "InferencePool",
						"metadata": map[string]any{"name": "legacy-pool", "namespace": ns},
						"spec": map[string]any{
							"selector": map[string]any{"app": "model"}, "targetPortNumber": int64(8000),
							"extensionRef": map[string]any{"name": "legacy-pool-epp"},
						},
					}}
					if _, err := c.Dynamic.Resource(legacyPoolGVR).Namespace(ns).Create(ctx, pool, metav1.CreateOptions{}); err != nil {
						return fmt.Errorf("creating a %s InferencePool: %w", legacyPoolGVR.GroupVersion(), err)
					}
					return nil
				},
			},
			{ // someone installs a newer release of the CRD: the next apply keeps it
				PreConfig: func() {
					patch := fmt.Sprintf(`{"metadata":{"annotations":{%q:"v1.9.0"}}}`, bundleVersion)
					if _, err := c.Dynamic.Resource(crdGVR).Patch(ctx, kserve.LegacyPoolCRD, types.MergePatchType, []byte(patch), metav1.PatchOptions{FieldManager: "newer-gie"}); err != nil {
						t.Fatal(err)
					}
				},
				Config:            config(t, id, ns, kserve.Version, chart, "remove_crds_on_destroy = true\n  values = \"extra: 1\\n\""),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resName, plancheck.ResourceActionUpdate)}},
				ConfigStateChecks: append(crdState, statecheck.ExpectKnownValue(resName, tfjsonpath.New("installed"), knownvalue.Bool(true))),
				Check: func(*terraform.State) error {
					if v := legacyPoolBundle(ctx, c); v != "v1.9.0" {
						return fmt.Errorf("CRD %s: bundle version %q after apply, want the newer v1.9.0 kept", kserve.LegacyPoolCRD, v)
					}
					return nil
				},
			},
		},
	})
}

// legacyPoolBundle is the bundle version of the legacy InferencePool CRD when it exists and
// is Established, else "".
func legacyPoolBundle(ctx context.Context, c *testcluster.Cluster) string {
	obj, err := c.Dynamic.Resource(crdGVR).Get(ctx, kserve.LegacyPoolCRD, metav1.GetOptions{})
	if err != nil {
		return ""
	}
	conds, _, _ := unstructured.NestedSlice(obj.Object, "status", "conditions")
	for _, cond := range conds {
		if m, _ := cond.(map[string]any); m["type"] == "Established" && m["status"] == "True" {
			return obj.GetAnnotations()[bundleVersion]
		}
	}
	return ""
}
