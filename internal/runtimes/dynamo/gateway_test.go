package dynamo_test

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

func gatewayConfig(mode rt.Mode) rt.DeploymentConfig {
	cfg := rt.DeploymentConfig{Name: "qwen", Namespace: "models", Model: "Qwen/Qwen3-0.6B", Mode: mode, HFTokenSecret: "hf",
		Gateway: &rt.Gateway{ParentRefs: []rt.GatewayParent{{Name: "inference-gateway", Namespace: "gateway-system"}},
			Hostnames: []string{"models.example.com"}, MatchModelHeader: true}}
	dynamo.New().Defaults(&cfg)
	return cfg
}

// The epp component, the workers' direct-mode frontend sidecars and a route to "<name>-pool"
// as in ai-dynamo/dynamo examples/backends/vllm/deploy/gaie/{agg,disagg}.yaml @ e147ceea.
func TestGatewayManifests(t *testing.T) {
	for _, mode := range []rt.Mode{rt.ModeAggregated, rt.ModeDisaggregated} {
		cfg := gatewayConfig(mode)
		if ps := dynamo.New().Validate(cfg); len(ps) > 0 {
			t.Fatalf("%s: %v", mode, ps)
		}
		m, err := dynamo.New().Manifests(cfg)
		if err != nil {
			t.Fatal(err)
		}
		runtimestest.Golden(t, "dynamo-gateway-"+string(mode), runtimestest.RenderYAML(t, m.All()))

		components, _, _ := unstructured.NestedSlice(m.Primary.Object, "spec", "components")
		var epp int
		for _, c := range components {
			comp := c.(map[string]any)
			switch comp["type"] {
			case "epp":
				epp++
				if _, ok := comp["eppConfig"].(map[string]any)["config"]; !ok || comp["replicas"] != int64(1) {
					t.Errorf("epp component without eppConfig.config or 1 replica: %v", comp)
				}
			case "frontend":
				if _, ok := comp["frontendSidecar"]; ok {
					t.Error("the frontend got a frontend sidecar")
				}
			default:
				if comp["frontendSidecar"] != "sidecar-frontend" {
					t.Errorf("worker %v without frontendSidecar", comp["name"])
				}
				containers, _, _ := unstructured.NestedSlice(comp, "podTemplate", "spec", "containers")
				side := containers[len(containers)-1].(map[string]any)
				if side["name"] != "sidecar-frontend" || !strings.Contains(strings.Join(toStrings(side["args"]), " "), "--router-mode direct") {
					t.Errorf("worker %v sidecar = %v", comp["name"], side)
				}
			}
		}
		if epp != 1 {
			t.Errorf("%s: %d epp components, want 1", mode, epp)
		}
		if len(m.Companions) != 1 || m.Companions[0].GetKind() != "HTTPRoute" {
			t.Fatalf("companions = %v", m.Companions)
		}
	}
}

func toStrings(v any) []string {
	in, _ := v.([]any)
	out := make([]string, len(in))
	for i, s := range in {
		out[i], _ = s.(string)
	}
	return out
}

// Without the pool the graph stays as without gateway; the route goes to the frontend Service.
func TestGatewayWithoutPoolKeepsTheGraph(t *testing.T) {
	plain := gatewayConfig(rt.ModeAggregated)
	plain.Gateway = nil
	base, err := dynamo.New().Manifests(plain)
	if err != nil {
		t.Fatal(err)
	}
	cfg := gatewayConfig(rt.ModeAggregated)
	cfg.Gateway.InferencePool = rt.Bool(false)
	m, err := dynamo.New().Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := runtimestest.RenderYAML(t, m.All()[:1]), runtimestest.RenderYAML(t, base.All()); string(got) != string(want) {
		t.Errorf("graph changed by a pool-less gateway:\n%s", got)
	}
	rules, _, _ := unstructured.NestedSlice(m.Companions[0].Object, "spec", "rules")
	b := rules[0].(map[string]any)["backendRefs"].([]any)[0].(map[string]any)
	if b["kind"] != "Service" || b["name"] != "qwen-frontend" || b["port"] != int64(dynamo.FrontendPort) {
		t.Errorf("backendRef = %v", b)
	}
	// v1alpha1 (Dynamo 0.x) has no epp component: the pool is refused, the route is not.
	cfg.Dynamo = &rt.DynamoConfig{APIVersion: dynamo.APIVersionV1Alpha1}
	if ps := dynamo.New().Validate(cfg); len(ps) > 0 {
		t.Errorf("v1alpha1 without pool: %v", ps)
	}
	cfg.Gateway.InferencePool = nil
	if ps := dynamo.New().Validate(cfg); !ps.Has("gateway.inference_pool") {
		t.Errorf("v1alpha1 with pool: want a problem at gateway.inference_pool, got %v", ps)
	}
}

// Turning the pool on adds a component, which the 1.4 webhook refuses in place
// (validateDynamoGraphDeploymentSpecUpdate @ e147ceea): the graph is replaced.
func TestGatewayPoolChangeReplaces(t *testing.T) {
	plain := gatewayConfig(rt.ModeAggregated)
	plain.Gateway = nil
	before, _ := dynamo.New().Manifests(plain)
	after, _ := dynamo.New().Manifests(gatewayConfig(rt.ModeAggregated))
	reasons := dynamo.New().ReplaceReasons(before.Primary, after.Primary)
	if len(reasons) != 1 || !strings.Contains(reasons[0], "adds Epp") || !strings.Contains(reasons[0], "topology is immutable") {
		t.Errorf("reasons = %v", reasons)
	}
	if r := dynamo.New().ReplaceReasons(after.Primary, after.Primary); len(r) > 0 {
		t.Errorf("unchanged graph: %v", r)
	}
}
