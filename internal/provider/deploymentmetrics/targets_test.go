package deploymentmetrics

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func podWith(labels map[string]string, ports ...corev1.ContainerPort) corev1.Pod {
	return corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "p", Labels: labels},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "main", Ports: ports}}},
	}
}

// Ports and roles as the operators lay pods out: Dynamo 1.4 (frontend "http" 8000, workers
// "system" 9090, no metrics on planner/epp), KubeRay 1.7 ("metrics" 8080 on every Ray node),
// our vLLM Deployment/LeaderWorkerSet ("http" only where the API server runs) and KAITO.
func TestTargetFor(t *testing.T) {
	system := corev1.ContainerPort{Name: "system", ContainerPort: 9090}
	nixl := corev1.ContainerPort{Name: "nixl", ContainerPort: 19090}
	cases := []struct {
		runtime string
		pod     corev1.Pod
		role    string
		port    int32
		ok      bool
	}{
		{"dynamo", podWith(map[string]string{dynamoComponentType: "frontend"}, corev1.ContainerPort{Name: "http", ContainerPort: 8000}), "frontend", 8000, true},
		{"dynamo", podWith(map[string]string{dynamoComponentType: "worker"}, nixl, system), "worker", 9090, true},
		{"dynamo", podWith(map[string]string{dynamoComponentType: "worker", dynamoSubComponentType: "prefill"}, system), "prefill", 9090, true},
		{"dynamo", podWith(map[string]string{dynamoComponentType: "decode"}), "decode", dynamoSystemPort, true},
		{"dynamo", podWith(map[string]string{dynamoComponentType: "planner"}), "", 0, false},
		{"dynamo", podWith(map[string]string{dynamoComponentType: "epp"}), "", 0, false},
		{"kuberay", podWith(map[string]string{rayNodeType: "head"}, corev1.ContainerPort{Name: "serve", ContainerPort: 8000}, corev1.ContainerPort{Name: "metrics", ContainerPort: 8080}), "head", 8080, true},
		{"kuberay", podWith(map[string]string{rayNodeType: "worker"}), "worker", rayMetricsPort, true},
		{"vllm", podWith(nil, corev1.ContainerPort{Name: "http", ContainerPort: 8000}), "worker", 8000, true},
		{"vllm", podWith(nil), "", 0, false},
		{"kaito", podWith(nil, corev1.ContainerPort{ContainerPort: 5000}), "worker", 5000, true},
		{"kaito", podWith(nil, corev1.ContainerPort{ContainerPort: 8000}), "worker", 8000, true},
	}
	for _, c := range cases {
		got, ok := targetFor(c.runtime, c.pod)
		if ok != c.ok || (ok && (got.role != c.role || got.port != c.port)) {
			t.Errorf("%s %v: got %q:%d ok=%v, want %q:%d ok=%v", c.runtime, c.pod.Labels, got.role, got.port, ok, c.role, c.port, c.ok)
		}
	}
}
