package deploymentmetrics

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kaito"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kuberay"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/vllm"
)

// Where each runtime's pods serve Prometheus metrics.
const (
	// Dynamo 1.4: the frontend serves /metrics on its HTTP port, container port "http" 8000;
	// workers on the system port, "system" 9090 (deploy/operator/internal/consts/consts.go
	// DynamoServicePort, DynamoSystemPort; ai-dynamo/dynamo 1.4.0, wxsms/dynamo @ e147ceea).
	dynamoHTTPPort, dynamoSystemPort = 8000, 9090
	// KubeRay adds the Ray metrics export port, "metrics" 8080, to every Ray node
	// (ray-operator/controllers/ray/common/pod.go DefaultMetricsPort, v1.7.0).
	rayMetricsPort = 8080

	dynamoComponentType    = "nvidia.com/dynamo-component-type"
	dynamoSubComponentType = "nvidia.com/dynamo-sub-component-type"
	rayNodeType            = "ray.io/node-type"
)

// target is where one pod's metrics are read, and the pod's part in the deployment.
type target struct {
	pod  corev1.Pod
	role string
	port int32
}

// targetFor says where pod serves metrics; ok is false for a pod that serves none (a Dynamo
// planner or endpoint picker, a LeaderWorkerSet follower).
func targetFor(runtimeID string, pod corev1.Pod) (target, bool) {
	t := target{pod: pod, role: "worker"}
	switch runtimeID {
	case dynamo.ID:
		ct := pod.Labels[dynamoComponentType]
		switch ct {
		case "frontend":
			t.role, t.port = ct, portOr(pod, "http", dynamoHTTPPort)
		case "worker", "prefill", "decode", "":
			t.role, t.port = "worker", portOr(pod, "system", dynamoSystemPort)
			if sub := pod.Labels[dynamoSubComponentType]; sub != "" {
				t.role = sub
			} else if ct != "" {
				t.role = ct
			}
		default: // planner, epp: no engine
			return t, false
		}
	case kuberay.ID:
		t.port = portOr(pod, "metrics", rayMetricsPort)
		if r := pod.Labels[rayNodeType]; r != "" {
			t.role = r
		}
	case kaito.ID:
		// llama.cpp on 5000, vLLM on 8000: the port the container declares (our manifests).
		t.port = firstPort(pod)
		if t.port == 0 {
			t.port = kaito.LlamaCppPort
		}
	case vllm.ID:
		// Only the pod that runs the API server declares the "http" port; a LeaderWorkerSet's
		// followers are Ray workers without one.
		t.port = portOr(pod, "http", 0)
		if t.port == 0 {
			return t, false
		}
	default:
		t.port = firstPort(pod)
	}
	return t, t.port != 0
}

func portOr(pod corev1.Pod, name string, fallback int32) int32 {
	for _, c := range pod.Spec.Containers {
		for _, p := range c.Ports {
			if p.Name == name {
				return p.ContainerPort
			}
		}
	}
	return fallback
}

func firstPort(pod corev1.Pod) int32 {
	for _, c := range pod.Spec.Containers {
		for _, p := range c.Ports {
			return p.ContainerPort
		}
	}
	return 0
}
