// Package autoscalingtest runs the `autoscaling` attribute through terraform against the real
// Dynamo 1.4 operator (only that one: a smaller cluster than operatorstest's), the real
// kube-controller-manager with its HPA controller, the real scheduler and kwok GPU nodes.
package autoscalingtest

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/terraform"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) {
	acctest.MainWithOptions(m, testcluster.Options{Operators: []testcluster.Operator{testcluster.OperatorDynamo}}, nil)
}

var dgdGVR = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1beta1", Resource: "dynamographdeployments"}

func gpuNodes(t *testing.T, c *testcluster.Cluster, ns string, count int, gpus int64) []string {
	t.Helper()
	return c.KwokGPUNodes(t, ns, count, gpus, map[string]string{"pool": ns})
}

// dynamoPods lists the running, ready pods of one component type of a graph (labels of
// ai-dynamo/dynamo deploy/operator internal/consts/consts.go @ 1.4.0).
func dynamoPods(c *testcluster.Cluster, ns, dgd, componentType string) ([]corev1.Pod, error) {
	list, err := c.Clientset.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{
		LabelSelector: "nvidia.com/dynamo-graph-deployment-name=" + dgd + ",nvidia.com/dynamo-component-type=" + componentType})
	if err != nil {
		return nil, err
	}
	var out []corev1.Pod
	for _, p := range list.Items {
		if p.DeletionTimestamp != nil || p.Status.Phase != corev1.PodRunning || p.Status.PodIP == "" {
			continue
		}
		for _, cond := range p.Status.Conditions {
			if cond.Type == corev1.PodReady && cond.Status == corev1.ConditionTrue {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// nothingLeft checks that destroy removed the graph, the HPAs and the pods.
func nothingLeft(c *testcluster.Cluster, ns string) func(*terraform.State) error {
	return acctest.NothingLeft(c, []string{ns}, dgdGVR)
}
