package clustertest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextensions "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) {
	testcluster.MainWith(m, func(*testcluster.Cluster) func() {
		return func() {
			if previous != nil {
				previous.Stop()
			}
		}
	})
}

var (
	previousOnce sync.Once
	previous     *testcluster.Cluster
	previousErr  error
)

// previousCluster is a second control plane with the previous CRD set (one API server holds
// one CRD per group/kind), started on first use and stopped after the tests.
func previousCluster(t *testing.T) *testcluster.Cluster {
	t.Helper()
	previousOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		previous, previousErr = testcluster.Start(ctx, testcluster.Options{SkipCRDs: true, NoControllerManager: true})
		if previousErr == nil {
			previousErr = testcluster.InstallCRDSet(ctx, previous.RESTConfig, testcluster.PreviousCRDs)
		}
	})
	if previousErr != nil {
		t.Fatalf("starting the control plane with the previous CRDs: %v", previousErr)
	}
	return previous
}

// clusterFor picks the cluster whose CRD stores r's API version without a conversion
// webhook: the shared (current CRDs) one, else the one with the previous CRDs. The Dynamo
// 1.4 CRD serves v1alpha1 too, but only through the operator's conversion webhook.
func clusterFor(t *testing.T, r rt.Runtime) *testcluster.Cluster {
	t.Helper()
	c := testcluster.Get(t)
	switch r.CRD().Group {
	case "apps": // the vLLM and llm-d runtimes' Deployments: built in
		if r.ID() == "llmd" { // its InferencePool companion
			ensureGatewayCRDs(t, c)
		}
		return c
	case "leaderworkerset.x-k8s.io": // vLLM multi-node: CRDs from the sigs.k8s.io/lws module
		ensureLWSCRDs(t, c)
	case "serving.kserve.io": // KServe: CRDs from the github.com/kserve/kserve module
		ensureKServeCRDs(t, c)
	}
	if storable(t, c, r.CRD()) {
		return c
	}
	p := previousCluster(t)
	if !storable(t, p, r.CRD()) {
		t.Fatalf("no test cluster stores %s %s", r.CRD().APIVersion(), r.CRD().Kind)
	}
	return p
}

func storable(t *testing.T, c *testcluster.Cluster, crd rt.CRD) bool {
	t.Helper()
	cs, err := apiextensions.NewForConfig(c.RESTConfig)
	if err != nil {
		t.Fatal(err)
	}
	got, err := cs.ApiextensionsV1().CustomResourceDefinitions().Get(context.Background(), crd.Name(), metav1.GetOptions{})
	if err != nil {
		return false
	}
	for _, v := range got.Spec.Versions {
		if v.Name == crd.Version && v.Served {
			return v.Storage || got.Spec.Conversion == nil || got.Spec.Conversion.Strategy == apiextensionsv1.NoneConverter
		}
	}
	return false
}

// operatorBinary is $env when set, else the named binary scripts/operators-build.sh caches
// (built on first use), so these real-operator tests always run.
func operatorBinary(t *testing.T, env string, op testcluster.Operator, name string) string {
	t.Helper()
	if bin := os.Getenv(env); bin != "" {
		return bin
	}
	dir, err := testcluster.OperatorBinDirFor(op)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, name)
}

var (
	lwsCRDs    sync.Once
	lwsCRDsErr error
)

// ensureLWSCRDs installs the LeaderWorkerSet CRDs of sigs.k8s.io/lws v0.9.0 (not part of the
// runtime CRD sets: no operator here serves them) into the shared cluster, once.
func ensureLWSCRDs(t *testing.T, c *testcluster.Cluster) {
	t.Helper()
	lwsCRDs.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		lwsCRDsErr = testcluster.InstallLWSCRDs(ctx, c.RESTConfig)
	})
	if lwsCRDsErr != nil {
		t.Fatalf("installing the LeaderWorkerSet CRDs: %v", lwsCRDsErr)
	}
}
