package clustertest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

var (
	kserveCRDs    sync.Once
	kserveCRDsErr error
)

// ensureKServeCRDs installs the LLMInferenceService CRDs of github.com/kserve/kserve v0.19.0
// (config/crd/full/llmisvc) into the shared cluster, once.
func ensureKServeCRDs(t *testing.T, c *testcluster.Cluster) {
	t.Helper()
	kserveCRDs.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		kserveCRDsErr = testcluster.InstallKServeCRDs(ctx, c.RESTConfig)
	})
	if kserveCRDsErr != nil {
		t.Fatalf("installing the KServe CRDs: %v", kserveCRDsErr)
	}
}
