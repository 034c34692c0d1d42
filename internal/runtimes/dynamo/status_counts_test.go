package dynamo_test

import (
	"testing"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

// Newer operators (latest CRD) report per-service counts and status.observedGeneration; the
// frontend's replicas must not count as model replicas.
func TestStatusCountsFromServices(t *testing.T) {
	r := dynamo.New()
	var disagg runtimestest.Case
	for _, c := range runtimestest.Cases(dynamo.ID) {
		if c.Name == "dynamo-disaggregated-vllm" {
			disagg = c
		}
	}
	cfg := runtimestest.Defaulted(t, r, disagg)
	m, err := r.Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	obj := m.Primary
	obj.SetGeneration(2)
	obj.Object["status"] = map[string]any{
		"state":              "successful",
		"observedGeneration": int64(2),
		"services": map[string]any{
			"Frontend":          map[string]any{"replicas": int64(1), "readyReplicas": int64(1), "availableReplicas": int64(1)},
			"VllmPrefillWorker": map[string]any{"replicas": int64(2), "readyReplicas": int64(2), "availableReplicas": int64(1)},
			"VllmDecodeWorker":  map[string]any{"replicas": int64(1), "readyReplicas": int64(0), "availableReplicas": int64(0)},
		},
	}
	st := r.Status(obj, nil, nil)
	if st.Phase != rt.PhaseRunning || st.Desired != 3 || st.Ready != 2 || st.Available != 1 {
		t.Errorf("status = %+v, want Running with desired 3, ready 2, available 1", st)
	}
	obj.Object["status"].(map[string]any)["observedGeneration"] = int64(1)
	if st := r.Status(obj, nil, nil); st.Phase == rt.PhaseRunning || st.Current {
		t.Errorf("status.observedGeneration 1 < generation 2 must not be Running: %+v", st)
	}
}
