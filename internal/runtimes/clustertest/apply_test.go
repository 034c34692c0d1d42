package clustertest

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/registry"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

const fieldManager = "kubefoundry-test"

// resourceFor maps an object to its dynamic client: the CRDs and the companion kinds.
func resourceFor(d dynamic.Interface, obj *unstructured.Unstructured) dynamic.ResourceInterface {
	gvk := obj.GroupVersionKind()
	var gvr schema.GroupVersionResource
	for _, r := range registry.All() {
		for _, v := range rt.Versions(r) {
			if v.CRD().GVK() == gvk {
				gvr = v.CRD().GVR()
			}
		}
	}
	switch {
	case gvk.Group == "" && gvk.Kind == "Service":
		gvr = schema.GroupVersionResource{Version: "v1", Resource: "services"}
	case gvk.Group == "" && gvk.Kind == "PersistentVolumeClaim":
		gvr = schema.GroupVersionResource{Version: "v1", Resource: "persistentvolumeclaims"}
	case gvk.Group == "batch" && gvk.Kind == "Job":
		gvr = schema.GroupVersionResource{Group: "batch", Version: "v1", Resource: "jobs"}
	case gvr.Resource == "":
		gvr = discoveredResource(d, gvk) // other companions (ConfigMap, Role, InferencePool, ...)
	}
	return d.Resource(gvr).Namespace(obj.GetNamespace())
}

// applyStrict server-side applies obj with strict field validation; dryRun leaves no trace.
func applyStrict(ctx context.Context, d dynamic.Interface, obj *unstructured.Unstructured, dryRun bool) (*unstructured.Unstructured, error) {
	body, err := json.Marshal(obj.Object)
	if err != nil {
		return nil, err
	}
	opts := metav1.PatchOptions{FieldManager: fieldManager, Force: ptr(true), FieldValidation: "Strict"}
	if dryRun {
		opts.DryRun = []string{metav1.DryRunAll}
	}
	return resourceFor(d, obj).Patch(ctx, obj.GetName(), types.ApplyPatchType, body, opts)
}

func ptr[T any](v T) *T { return &v }

// TestManifestsPassStrictDryRun applies every generated manifest of every runtime case to the
// real API server with the real CRDs, dryRun=All and fieldValidation=Strict: a field the CRD
// does not know (or would prune) fails the test. Each object goes to a cluster with the CRDs
// of the release its API version targets (clusterFor): v1beta1 Dynamo objects to the current
// CRDs (dynamo-1.4.0), v1alpha1 ones to the previous CRD (0.7-era, v1alpha1 only).
func TestManifestsPassStrictDryRun(t *testing.T) {
	ctx := context.Background()
	for _, r := range registry.All() {
		for _, tc := range runtimestest.Cases(r.ID()) {
			t.Run(tc.Name, func(t *testing.T) {
				cfg := runtimestest.Defaulted(t, r, tc)
				r := rt.ForConfig(r, cfg)
				c := clusterFor(t, r)
				cfg.Namespace = c.Namespace(t)
				m, err := r.Manifests(cfg)
				if err != nil {
					t.Fatal(err)
				}
				for _, obj := range m.All() {
					if _, err := applyStrict(ctx, c.Dynamic, obj, true); err != nil {
						t.Errorf("%s %s rejected: %v", obj.GetKind(), obj.GetName(), err)
					}
				}
			})
		}
	}
}

// TestStrictValidationCatchesPrunedFields is the negative control: the upstream bug (a
// "router-mode" key in a Dynamo service or component) must be rejected, proving the dry run
// is strict.
func TestStrictValidationCatchesPrunedFields(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	r, _ := registry.Get("dynamo")
	cfg := runtimestest.Defaulted(t, r, runtimestest.Cases("dynamo")[0])
	cfg.Namespace = ns
	m, err := r.Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	obj := m.Primary.DeepCopy()
	components, _, _ := unstructured.NestedSlice(obj.Object, "spec", "components")
	components[0].(map[string]any)["router-mode"] = "kv"
	if err := unstructured.SetNestedSlice(obj.Object, components, "spec", "components"); err != nil {
		t.Fatal(err)
	}
	_, err = applyStrict(context.Background(), c.Dynamic, obj, true)
	if err == nil || !strings.Contains(err.Error(), "router-mode") {
		t.Fatalf("want a strict-validation error naming router-mode, got %v", err)
	}
}

// TestParseAfterServerRoundTrip creates every primary object for real and parses what the
// server returns (defaults applied, managed fields added): it must equal the config.
func TestParseAfterServerRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, r := range registry.All() {
		for _, tc := range runtimestest.Cases(r.ID()) {
			t.Run(tc.Name, func(t *testing.T) {
				cfg := runtimestest.Defaulted(t, r, tc)
				r := rt.ForConfig(r, cfg)
				c := clusterFor(t, r)
				cfg.Namespace = c.Namespace(t)
				m, err := r.Manifests(cfg)
				if err != nil {
					t.Fatal(err)
				}
				live, err := applyStrict(ctx, c.Dynamic, m.Primary, false)
				if err != nil {
					t.Fatalf("apply: %v", err)
				}
				parsed, err := r.Parse(live)
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				want := cfg
				want.Workload = nil // not read back: see runtimestest.CheckManifests
				if !reflect.DeepEqual(parsed, want) {
					a, _ := json.Marshal(parsed)
					b, _ := json.Marshal(want)
					t.Errorf("Parse(live) != cfg\nparsed: %s\nwant:   %s", a, b)
				}
				// Re-applying the same manifest must not bump the generation (no spurious diffs).
				again, err := applyStrict(ctx, c.Dynamic, m.Primary, false)
				if err != nil {
					t.Fatal(err)
				}
				if again.GetGeneration() != live.GetGeneration() {
					t.Errorf("re-apply changed generation %d -> %d", live.GetGeneration(), again.GetGeneration())
				}
			})
		}
	}
}
