package gateway

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// API groups and versions rendered.
const (
	GatewayGroup = "gateway.networking.k8s.io"
	PoolGroup    = "inference.networking.k8s.io"

	// GatewayAPIVersion is the Gateway API release whose standard-channel CRDs the tests install.
	GatewayAPIVersion = "v1.6.3"
	// InferenceExtensionVersion is the Gateway API Inference Extension release of the InferencePool CRD.
	InferenceExtensionVersion = "v1.6.2"

	// ModelHeader carries the requested model name (Dynamo's gateway-api.mdx @ 1.4.0 and the
	// Inference Extension's body-based router set and match it).
	ModelHeader = "X-Gateway-Model-Name"
)

// Endpoint picker ports: ext-proc gRPC, gRPC health, metrics (llm-d-router v0.10.0
// config/charts/routerlib/templates/_deployment.yaml; Dynamo 1.4 component_epp.go uses the same).
const (
	EPPGRPCPort    = 9002
	EPPHealthPort  = 9003
	EPPMetricsPort = 9090
)

// CRD names, for errors that say what to install.
const (
	HTTPRouteCRD = "httproutes." + GatewayGroup
	PoolCRD      = "inferencepools." + PoolGroup
)

var (
	HTTPRouteGVR = schema.GroupVersionResource{Group: GatewayGroup, Version: "v1", Resource: "httproutes"}
	PoolGVR      = schema.GroupVersionResource{Group: PoolGroup, Version: "v1", Resource: "inferencepools"}
	GatewayGVR   = schema.GroupVersionResource{Group: GatewayGroup, Version: "v1", Resource: "gateways"}
)

// RouteName is the HTTPRoute's name: the deployment's.
func RouteName(deployment string) string { return deployment }

// PoolName is "<name>-pool": the name Dynamo 1.4 gives the pool it creates for a graph
// (deploy/operator/internal/dynamo/epp/inference_pool.go GetPoolName @ e147ceea); the pool we
// render for KubeRay follows it.
func PoolName(deployment string) string { return deployment + "-pool" }

// EPPName names the endpoint picker's Deployment, Service, ServiceAccount, ConfigMap and RBAC.
func EPPName(deployment string) string { return deployment + "-epp" }
