// Package dgdrtest holds the acceptance tests of kubefoundry_deployment_request against the
// real Dynamo 1.4 operator on kwok GPU nodes (TF_ACC=1 go test -p 1 ./internal/provider/deploymentrequest/dgdrtest/).
//
// What is real here: the operator's admission webhooks (defaulting spec.image, validation),
// its request controller (validation, GPU discovery from the nodes' GPU Feature Discovery
// labels, which it writes back into spec.hardware, the profiling Job and its service
// account, reading the profiler's output, generating and creating the graph, tracking it to
// Deployed), the graph's component Deployments and kwok-run pods on GPU nodes.
//
// What is not: no profiler runs. kwok completes the Job's pod without running the planner
// image, so the output-copier sidecar never writes the output ConfigMap the operator waits
// for. The stand-in profiler of these tests writes that ConfigMap, as the sidecar would
// (the sidecar script of internal/controller/dynamographdeploymentrequest_controller.go
// @ 1.4.0), with a graph it rendered instead of one AIConfigurator chose. So the
// configuration search itself (which TP, how many workers meet the SLA) is not exercised.
package dgdrtest
