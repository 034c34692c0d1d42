// Package kservecrdtest drives runtime = "kserve" through terraform against KServe
// v0.19.0's real LLMInferenceService CRDs (strict server-side apply) without its
// controller: what the provider writes, reads back, detects as drift and imports. The tests
// with the controller are in ../kservetest.
package kservecrdtest

import (
	"context"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) {
	acctest.MainWithOptions(m, testcluster.Options{GatewayAPI: true}, func(c *testcluster.Cluster) func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
		defer cancel()
		if err := testcluster.InstallKServeCRDs(ctx, c.RESTConfig); err != nil {
			panic(err)
		}
		return func() {}
	})
}

var llmisvcGVR = schema.GroupVersionResource{Group: "serving.kserve.io", Version: "v1alpha2", Resource: "llminferenceservices"}
