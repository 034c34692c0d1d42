package kaito_test

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kaito"
)

// KAITO 0.12 wires the Inference Extension for InferenceSets only: the pool is a plan error
// naming gateway.inference_pool; a route to the deployment's Service works.
func TestGatewayPoolRefusedRouteToService(t *testing.T) {
	cfg := rt.DeploymentConfig{Name: "qwen", Namespace: "models", Model: "Qwen/Qwen2.5-0.5B-Instruct",
		KAITO:   &rt.KaitoConfig{ModelSource: rt.KaitoSourceVLLM},
		Gateway: &rt.Gateway{ParentRefs: []rt.GatewayParent{{Name: "gw"}}}}
	r := kaito.New()
	r.Defaults(&cfg)
	if ps := r.Validate(cfg); !ps.Has("gateway.inference_pool") {
		t.Fatalf("want a problem at gateway.inference_pool, got %v", ps)
	}
	cfg.Gateway.InferencePool = rt.Bool(false)
	if ps := r.Validate(cfg); len(ps) > 0 {
		t.Fatal(ps)
	}
	m, err := r.Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	route := m.Companions[len(m.Companions)-1]
	rules, _, _ := unstructured.NestedSlice(route.Object, "spec", "rules")
	b := rules[0].(map[string]any)["backendRefs"].([]any)[0].(map[string]any)
	if route.GetKind() != "HTTPRoute" || b["name"] != kaito.VLLMServiceName("qwen") || b["port"] != int64(kaito.VLLMPort) {
		t.Errorf("route %s backend %v", route.GetKind(), b)
	}
}
