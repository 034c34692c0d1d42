// Package gateway renders the objects that bring traffic from a Gateway API Gateway to a
// model deployment (the `gateway` block): an HTTPRoute (gateway.networking.k8s.io/v1) and,
// where the provider renders them itself (KubeRay), an InferencePool
// (inference.networking.k8s.io/v1, Gateway API Inference Extension v1.6) with its endpoint
// picker (EPP). Dynamo 1.4 renders its own EPP and pool from an `epp` component (see
// runtimes/dynamo/gateway.go). It also reads back the route's and pool's conditions and the
// URL clients use. It knows nothing about Terraform.
package gateway
