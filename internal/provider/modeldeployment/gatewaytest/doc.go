// Package gatewaytest runs kubefoundry_model_deployment acceptance tests of the `gateway`
// block (the real terraform CLI through terraform-plugin-testing) against the real Dynamo 1.4
// and KubeRay 1.6.2 operators on kwok GPU nodes, with the real Gateway API standard-channel
// CRDs and the Inference Extension's InferencePool CRD installed (testcluster
// Options.GatewayAPI). It has only tests.
//
// Real: the API server validates our HTTPRoute, InferencePool and endpoint picker objects
// against the real CRD schemas; the Dynamo operator admits the epp component (its webhook
// checks that the InferencePool API is served) and creates the "<name>-pool" InferencePool;
// KubeRay labels the Serve pods our pool selects. Not here: a Gateway controller and data
// plane (no Gateway accepts the route, so status_message says no controller reported on it),
// a running endpoint picker, and real requests.
package gatewaytest
