// Package llmdtest holds the terraform acceptance tests of runtime = "llmd" against real
// parts: the kube-apiserver with the Gateway API and Inference Extension CRDs (the
// InferencePool and HTTPRoute are validated by the API server), the controller-manager's
// Deployment controller, the kube-scheduler and kwok GPU nodes. Absent: the engines, the
// routing sidecar and the endpoint picker processes (kwok reports their pods Running and
// Ready without running them) and a Gateway controller. The real endpoint picker runs, as a
// local process, in ../epptest.
//
//	TF_ACC=1 go test -p 1 ./internal/provider/modeldeployment/llmdtest/
package llmdtest
