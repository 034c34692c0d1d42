// Package kservetest holds the terraform acceptance tests of runtime = "kserve" against
// KServe's real LLMInferenceService controller v0.19.0 (built from the Go module proxy by
// scripts/kserve-build.sh, run as a local process with its webhooks, configuration and
// presets), the LeaderWorkerSet controller v0.9.0 (multi-node workloads), the Gateway API and
// Inference Extension CRDs, the scheduler and kwok GPU nodes.
// No inference engine runs: kwok reports the controller's pods Running and Ready.
//
//	TF_ACC=1 go test -p 1 ./internal/provider/modeldeployment/kservetest/
package kservetest
