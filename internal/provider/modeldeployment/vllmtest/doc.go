// Package vllmtest holds the terraform acceptance tests of runtime = "vllm" against real
// parts: the kube-apiserver, the controller-manager's Deployment and StatefulSet
// controllers, the kube-scheduler, kwok GPU nodes, and the LeaderWorkerSet controller
// v0.9.0 (with its webhooks) built from the sigs.k8s.io/lws module. Only the engine is
// absent: kwok reports the vLLM pods Running and Ready without running them.
//
//	TF_ACC=1 go test -p 1 ./internal/provider/modeldeployment/vllmtest/
package vllmtest
