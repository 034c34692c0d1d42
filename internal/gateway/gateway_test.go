package gateway

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

func cfgWith(g *runtimes.Gateway) runtimes.DeploymentConfig {
	return runtimes.DeploymentConfig{Name: "qwen", Namespace: "models", Model: "Qwen/Qwen3-0.6B", Gateway: g}
}

func TestRouteRendersParentsHostnamesMatchAndBackend(t *testing.T) {
	g := &runtimes.Gateway{
		ParentRefs:       []runtimes.GatewayParent{{Name: "inference-gateway", Namespace: "gw", SectionName: "http"}},
		Hostnames:        []string{"models.example.com"},
		Path:             "/qwen",
		MatchModelHeader: true,
	}
	route, err := Route(cfgWith(g), "dynamo", PoolBackend("qwen", 8000))
	if err != nil {
		t.Fatal(err)
	}
	if route.GetAPIVersion() != "gateway.networking.k8s.io/v1" || route.GetKind() != "HTTPRoute" || route.GetName() != "qwen" || route.GetNamespace() != "models" {
		t.Fatalf("route identity: %s %s %s/%s", route.GetAPIVersion(), route.GetKind(), route.GetNamespace(), route.GetName())
	}
	parents, _, _ := unstructured.NestedSlice(route.Object, "spec", "parentRefs")
	p := parents[0].(map[string]any)
	if p["name"] != "inference-gateway" || p["namespace"] != "gw" || p["sectionName"] != "http" || p["kind"] != "Gateway" {
		t.Errorf("parentRef = %v", p)
	}
	rules, _, _ := unstructured.NestedSlice(route.Object, "spec", "rules")
	rule := rules[0].(map[string]any)
	match := rule["matches"].([]any)[0].(map[string]any)
	if v, _, _ := unstructured.NestedString(match, "path", "value"); v != "/qwen" {
		t.Errorf("path = %q", v)
	}
	h := match["headers"].([]any)[0].(map[string]any)
	if h["name"] != ModelHeader || h["value"] != "Qwen/Qwen3-0.6B" || h["type"] != "Exact" {
		t.Errorf("header match = %v", h)
	}
	b := rule["backendRefs"].([]any)[0].(map[string]any)
	if b["group"] != PoolGroup || b["kind"] != "InferencePool" || b["name"] != "qwen-pool" || b["port"] != int64(8000) {
		t.Errorf("backendRef = %v", b)
	}
	if v, _, _ := unstructured.NestedString(rule, "timeouts", "request"); v != "300s" {
		t.Errorf("timeout = %q", v)
	}
	if hs, _, _ := unstructured.NestedStringSlice(route.Object, "spec", "hostnames"); len(hs) != 1 || hs[0] != "models.example.com" {
		t.Errorf("hostnames = %v", hs)
	}
}

func TestRouteToServiceHasNoGroup(t *testing.T) {
	route, err := Route(cfgWith(&runtimes.Gateway{ParentRefs: []runtimes.GatewayParent{{Name: "gw"}}}), "kaito", ServiceBackend("qwen-vllm", 8000))
	if err != nil {
		t.Fatal(err)
	}
	rules, _, _ := unstructured.NestedSlice(route.Object, "spec", "rules")
	b := rules[0].(map[string]any)["backendRefs"].([]any)[0].(map[string]any)
	if _, ok := b["group"]; ok || b["kind"] != "Service" || b["name"] != "qwen-vllm" {
		t.Errorf("backendRef = %v", b)
	}
	if _, ok := rules[0].(map[string]any)["matches"].([]any)[0].(map[string]any)["headers"]; ok {
		t.Error("header match rendered without match_model_header")
	}
}

func TestEndpointPickerPointsAtThePool(t *testing.T) {
	cfg := cfgWith(&runtimes.Gateway{ParentRefs: []runtimes.GatewayParent{{Name: "gw"}}})
	pool, err := Pool(cfg, "kuberay", map[string]string{"a": "b"}, 8000)
	if err != nil {
		t.Fatal(err)
	}
	if n, _, _ := unstructured.NestedString(pool.Object, "spec", "endpointPickerRef", "name"); n != "qwen-epp" {
		t.Errorf("endpointPickerRef.name = %q", n)
	}
	objs, err := EndpointPicker(cfg, "kuberay")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]*unstructured.Unstructured{}
	for _, o := range objs {
		if o.GetName() != "qwen-epp" || o.GetNamespace() != "models" {
			t.Errorf("%s named %s/%s", o.GetKind(), o.GetNamespace(), o.GetName())
		}
		kinds[o.GetKind()] = o
	}
	for _, k := range []string{"ConfigMap", "ServiceAccount", "Role", "RoleBinding", "Deployment", "Service"} {
		if kinds[k] == nil {
			t.Errorf("no %s", k)
		}
	}
	containers, _, _ := unstructured.NestedSlice(kinds["Deployment"].Object, "spec", "template", "spec", "containers")
	args := containers[0].(map[string]any)["args"].([]any)
	joined := strings.Join(toStrings(args), " ")
	for _, want := range []string{"--pool-name qwen-pool", "--pool-namespace models", "--pool-group inference.networking.k8s.io", "--config-file /config/default-plugins.yaml"} {
		if !strings.Contains(joined, want) {
			t.Errorf("args %q lack %q", joined, want)
		}
	}
	// The picker's own pods must not fall into a pool: its labels differ from any pool selector.
	sel, _, _ := unstructured.NestedStringMap(kinds["Service"].Object, "spec", "selector")
	if sel["app.kubernetes.io/component"] != "endpoint-picker" {
		t.Errorf("EPP Service selector = %v", sel)
	}
}

func toStrings(in []any) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i], _ = v.(string)
	}
	return out
}

func TestValidateNamesTheAttribute(t *testing.T) {
	no := false
	cases := []struct {
		g    runtimes.Gateway
		s    Support
		path string
	}{
		{runtimes.Gateway{}, Support{Pool: true}, "gateway.parent_refs"},
		{runtimes.Gateway{ParentRefs: []runtimes.GatewayParent{{Name: "Bad_Name"}}}, Support{Pool: true}, "gateway.parent_refs"},
		{runtimes.Gateway{ParentRefs: []runtimes.GatewayParent{{Name: "gw"}}, Hostnames: []string{"10.0.0.1"}}, Support{Pool: true}, "gateway.hostnames"},
		{runtimes.Gateway{ParentRefs: []runtimes.GatewayParent{{Name: "gw"}}, Hostnames: []string{"https://x.example.com"}}, Support{Pool: true}, "gateway.hostnames"},
		{runtimes.Gateway{ParentRefs: []runtimes.GatewayParent{{Name: "gw"}}, Path: "qwen"}, Support{Pool: true}, "gateway.path"},
		{runtimes.Gateway{ParentRefs: []runtimes.GatewayParent{{Name: "gw"}}, RequestTimeout: "5 minutes"}, Support{Pool: true}, "gateway.request_timeout"},
		{runtimes.Gateway{ParentRefs: []runtimes.GatewayParent{{Name: "gw"}}}, Support{NoPool: "not here"}, "gateway.inference_pool"},
		{runtimes.Gateway{ParentRefs: []runtimes.GatewayParent{{Name: "gw"}}, EPPImage: "x", InferencePool: &no}, Support{Pool: true, EPPImage: true}, "gateway.epp_image"},
	}
	for _, c := range cases {
		var ps runtimes.Problems
		g := c.g
		Validate(&ps, cfgWith(&g), c.s)
		if !ps.Has(c.path) {
			t.Errorf("%+v: want a problem at %s, got %v", c.g, c.path, ps)
		}
	}
	var ps runtimes.Problems
	Validate(&ps, cfgWith(&runtimes.Gateway{ParentRefs: []runtimes.GatewayParent{{Name: "gw", Namespace: "gateway-system", SectionName: "https"}},
		Hostnames: []string{"*.example.com", "models.example.com"}, Path: "/v1", RequestTimeout: "1h30m"}), Support{Pool: true})
	if len(ps) > 0 {
		t.Errorf("valid gateway rejected: %v", ps)
	}
}

func TestURLAndSummary(t *testing.T) {
	g := &runtimes.Gateway{ParentRefs: []runtimes.GatewayParent{{Name: "gw", SectionName: "web"}}, Path: "/qwen"}
	gw := &unstructured.Unstructured{Object: map[string]any{
		"spec": map[string]any{"listeners": []any{
			map[string]any{"name": "other", "protocol": "HTTP", "port": int64(80)},
			map[string]any{"name": "web", "protocol": "HTTPS", "port": int64(8443)},
		}},
		"status": map[string]any{"addresses": []any{map[string]any{"type": "IPAddress", "value": "203.0.113.7"}}},
	}}
	if u := URL(g, gw); u != "https://203.0.113.7:8443/qwen" {
		t.Errorf("URL = %q", u)
	}
	g.Hostnames = []string{"*.example.com", "models.example.com"}
	if u := URL(g, gw); u != "https://models.example.com:8443/qwen" {
		t.Errorf("URL with hostname = %q", u)
	}
	if u := URL(&runtimes.Gateway{ParentRefs: []runtimes.GatewayParent{{Name: "gw"}}}, nil); u != "" {
		t.Errorf("URL without any host = %q", u)
	}

	route := &unstructured.Unstructured{Object: map[string]any{"status": map[string]any{"parents": []any{map[string]any{
		"parentRef": map[string]any{"name": "gw", "namespace": "gateway-system"},
		"conditions": []any{
			map[string]any{"type": "Accepted", "status": "True", "reason": "Accepted"},
			map[string]any{"type": "ResolvedRefs", "status": "False", "reason": "BackendNotFound", "message": "pool qwen-pool not found"},
		},
	}}}}}
	s := Summary(route, nil, "qwen", "qwen-pool")
	for _, want := range []string{"HTTPRoute qwen on gateway-system/gw Accepted=True", "ResolvedRefs=False (BackendNotFound: pool qwen-pool not found)", "InferencePool qwen-pool not found"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary %q lacks %q", s, want)
		}
	}
	if Ready(route) {
		t.Error("route with ResolvedRefs=False reported ready")
	}
	if s := Summary(&unstructured.Unstructured{Object: map[string]any{}}, nil, "qwen", ""); !strings.Contains(s, "no Gateway controller has reported") {
		t.Errorf("summary without status = %q", s)
	}
}
