// Package epptest runs the real llm-d router endpoint picker (v0.10.0, built from
// ../shared/operators by scripts/llmd-router-build.sh) against model deployments terraform
// created with runtime = "llmd", and checks what it picks: only the pods of the deployment
// whose InferencePool it serves, new pods once they run, and, from the engines' /metrics, the
// less loaded pod; with the P/D configuration, the decode pod and, for a long prompt, the
// prefill pod (x-prefiller-host-port).
//
// Real: kube-apiserver with the Inference Extension and llm-d CRDs, the Deployment
// controller, kube-scheduler, kwok GPU nodes, the picker process with the EndpointPickerConfig
// the provider rendered. Stand-ins, named so in the code: the gateway data plane (the test
// speaks Envoy's ext_proc protocol to the picker, as Envoy would; no Envoy runs) and the vLLM
// engines' /metrics (served by the test on each pod's IP: kwok gives pods loopback IPs here,
// testcluster.Options.LoopbackPodIPs). No request reaches an engine.
//
//	TF_ACC=1 go test -p 1 ./internal/provider/modeldeployment/epptest/
package epptest
