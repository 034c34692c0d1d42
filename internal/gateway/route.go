package gateway

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Backend is what the route forwards to: an InferencePool or a Service.
type Backend struct {
	Group string // "" for a core Service
	Kind  string
	Name  string
	Port  int64
}

// PoolBackend is the deployment's InferencePool; port is the pool's target port (Dynamo's
// http-route.yaml example @ e147ceea names 8000, the frontend sidecar's port).
func PoolBackend(deployment string, port int64) Backend {
	return Backend{Group: PoolGroup, Kind: "InferencePool", Name: PoolName(deployment), Port: port}
}

// ServiceBackend is a Service of the deployment (gateway.inference_pool = false).
func ServiceBackend(service string, port int64) Backend {
	return Backend{Kind: "Service", Name: service, Port: port}
}

// Route renders the HTTPRoute of cfg.Gateway: its parent Gateways, hostnames, a PathPrefix
// match (plus the model-name header when asked) and one backend.
func Route(cfg runtimes.DeploymentConfig, runtimeID string, b Backend) (*unstructured.Unstructured, error) {
	g := cfg.Gateway
	parents := make([]any, 0, len(g.ParentRefs))
	for _, p := range g.ParentRefs {
		ref := map[string]any{"group": GatewayGroup, "kind": "Gateway", "name": p.Name}
		if p.Namespace != "" {
			ref["namespace"] = p.Namespace
		}
		if p.SectionName != "" {
			ref["sectionName"] = p.SectionName
		}
		parents = append(parents, ref)
	}
	match := map[string]any{"path": map[string]any{"type": "PathPrefix", "value": g.PathPrefix()}}
	if g.MatchModelHeader {
		match["headers"] = []any{map[string]any{"type": "Exact", "name": ModelHeader, "value": cfg.EffectiveServedModelName()}}
	}
	ref := map[string]any{"kind": b.Kind, "name": b.Name, "port": b.Port}
	if b.Group != "" {
		ref["group"] = b.Group
	}
	spec := map[string]any{
		"parentRefs": parents,
		"rules": []any{map[string]any{
			"matches":     []any{match},
			"backendRefs": []any{ref},
			// Generation is slow: the Gateway's default timeout would cut long completions
			// (300s as in Dynamo's gateway-api.mdx and the llm-d router chart).
			"timeouts": map[string]any{"request": g.Timeout()},
		}},
	}
	if len(g.Hostnames) > 0 {
		hs := make([]any, len(g.Hostnames))
		for i, h := range g.Hostnames {
			hs[i] = h
		}
		spec["hostnames"] = hs
	}
	return runtimes.NewObject(GatewayGroup+"/v1", "HTTPRoute", RouteName(cfg.Name), cfg.Namespace,
		runtimes.Labels(cfg.Name, runtimeID), map[string]any{"spec": spec})
}
