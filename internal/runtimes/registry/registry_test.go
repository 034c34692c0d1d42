package registry_test

import (
	"slices"
	"testing"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/registry"
)

func TestRegistry(t *testing.T) {
	if got := registry.IDs(); !slices.Equal(got, []string{"dynamo", "kuberay", "kaito", "vllm", "llmd", "kserve"}) {
		t.Fatalf("IDs() = %v", got)
	}
	for _, id := range registry.IDs() {
		r, ok := registry.Get(id)
		if !ok || r.ID() != id {
			t.Fatalf("Get(%q) = %v, %v", id, r, ok)
		}
		if r.DisplayName() == "" || r.Description() == "" || r.DefaultNamespace() == "" {
			t.Errorf("%s: missing display name, description or default namespace", id)
		}
		if _, builtin := r.(rt.Claimer); builtin { // a built-in kind (Deployment) several runtimes render
		} else if byCRD, ok := registry.ForCRD(r.CRD().Name()); !ok || byCRD.ID() != id {
			t.Errorf("ForCRD(%s) does not find %s", r.CRD().Name(), id)
		}
		spec := r.Install()
		if id == "llmd" { // no operator: the InferencePool CRD is all a cluster needs
			if len(spec.CRDNames) == 0 || len(spec.PreCRDs) == 0 {
				t.Errorf("%s: incomplete install facts: %+v", id, spec)
			}
			continue
		}
		if len(spec.Charts) == 0 || len(spec.OperatorSelectors) == 0 || spec.OperatorNamespace == "" || len(spec.CRDNames) == 0 {
			t.Errorf("%s: incomplete install facts: %+v", id, spec)
		}
		for _, c := range spec.Charts {
			if c.Version == "" || c.Version == "latest" {
				t.Errorf("%s: chart %s is not pinned (version %q)", id, c.Release, c.Version)
			}
		}
	}
	if _, ok := registry.Get("tgi"); ok {
		t.Error("unknown runtime found")
	}
	if registry.DefaultID != "dynamo" {
		t.Errorf("default runtime %q", registry.DefaultID)
	}
}
