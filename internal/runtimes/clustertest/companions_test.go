package clustertest

import (
	"context"
	"sync"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/restmapper"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/registry"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

var (
	mapperMu sync.Mutex
	mappers  = map[dynamic.Interface]*restmapper.DeferredDiscoveryRESTMapper{}
	configs  = map[dynamic.Interface]*testcluster.Cluster{}

	gatewayCRDs    sync.Once
	gatewayCRDsErr error
)

// discoveredResource maps a companion kind to its resource through the API server's
// discovery (the cluster whose dynamic client d is); the zero value when unknown.
func discoveredResource(d dynamic.Interface, gvk schema.GroupVersionKind) schema.GroupVersionResource {
	mapperMu.Lock()
	defer mapperMu.Unlock()
	m := mappers[d]
	if m == nil {
		c := configs[d]
		if c == nil {
			return schema.GroupVersionResource{}
		}
		dc, err := discovery.NewDiscoveryClientForConfig(c.RESTConfig)
		if err != nil {
			return schema.GroupVersionResource{}
		}
		m = restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
		mappers[d] = m
	}
	mapping, err := m.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		m.Reset() // a CRD installed since the last discovery
		if mapping, err = m.RESTMapping(gvk.GroupKind(), gvk.Version); err != nil {
			return schema.GroupVersionResource{}
		}
	}
	return mapping.Resource
}

// ensureGatewayCRDs installs the Gateway API and Inference Extension CRDs (the llm-d
// runtime's InferencePool and HTTPRoute companions) into the shared cluster, once, and
// registers the cluster for discovery.
func ensureGatewayCRDs(t *testing.T, c *testcluster.Cluster) {
	t.Helper()
	mapperMu.Lock()
	configs[c.Dynamic] = c
	mapperMu.Unlock()
	gatewayCRDs.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		gatewayCRDsErr = testcluster.InstallGatewayCRDs(ctx, c.RESTConfig)
	})
	if gatewayCRDsErr != nil {
		t.Fatalf("installing the Gateway API CRDs: %v", gatewayCRDsErr)
	}
}

// TestLLMDGatewayObjectsPassStrictDryRun: the llm-d objects with a gateway block (the
// HTTPRoute to the pool, which the shared cases leave out) against the real Gateway API CRDs.
func TestLLMDGatewayObjectsPassStrictDryRun(t *testing.T) {
	r, _ := registry.Get("llmd")
	for _, mode := range []rt.Mode{rt.ModeAggregated, rt.ModeDisaggregated} {
		t.Run(string(mode), func(t *testing.T) {
			c := clusterFor(t, r)
			cfg := rt.DeploymentConfig{Runtime: "llmd", Name: "qwen", Namespace: c.Namespace(t), Model: "Qwen/Qwen3-0.6B", Mode: mode,
				Gateway: &rt.Gateway{ParentRefs: []rt.GatewayParent{{Name: "inference-gateway", Namespace: "gateway-system"}}, Path: "/qwen", MatchModelHeader: true}}
			r.Defaults(&cfg)
			m, err := r.Manifests(cfg)
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[string]int{}
			for _, obj := range m.All() {
				kinds[obj.GetKind()]++
				if _, err := applyStrict(context.Background(), c.Dynamic, obj, true); err != nil {
					t.Errorf("%s %s rejected: %v", obj.GetKind(), obj.GetName(), err)
				}
			}
			if kinds["HTTPRoute"] != 1 || kinds["InferencePool"] != 1 || kinds["Role"] != 1 {
				t.Errorf("rendered kinds %v", kinds)
			}
		})
	}
}
