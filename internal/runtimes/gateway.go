package runtimes

// Gateway routes traffic from an existing Gateway API Gateway to the deployment (the
// `gateway` block). Rendering lives in internal/gateway; nil renders nothing at all.
type Gateway struct {
	ParentRefs []GatewayParent
	Hostnames  []string
	// Path is the PathPrefix the route matches; empty means "/".
	Path string
	// MatchModelHeader adds an exact match on X-Gateway-Model-Name = the served model name.
	MatchModelHeader bool
	// InferencePool routes to an InferencePool with an endpoint picker; nil means true.
	// False routes straight to the runtime's Service.
	InferencePool *bool
	// RequestTimeout is the route's request timeout (Gateway API duration); empty: "300s".
	RequestTimeout string
	// EPPImage overrides the endpoint picker image the provider renders (KubeRay).
	EPPImage string
}

// GatewayParent is one parentRef of the HTTPRoute: a Gateway and optionally its listener.
type GatewayParent struct {
	Name        string
	Namespace   string
	SectionName string
}

// PoolEnabled reports whether traffic goes through an InferencePool (the default).
func (g *Gateway) PoolEnabled() bool {
	return g != nil && (g.InferencePool == nil || *g.InferencePool)
}

// PathPrefix is the effective path match.
func (g *Gateway) PathPrefix() string {
	if g == nil || g.Path == "" {
		return "/"
	}
	return g.Path
}

// Timeout is the effective request timeout.
func (g *Gateway) Timeout() string {
	if g == nil || g.RequestTimeout == "" {
		return "300s"
	}
	return g.RequestTimeout
}
