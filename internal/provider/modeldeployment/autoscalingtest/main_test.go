// Package autoscalingtest runs the `autoscaling` attribute through terraform against the real
// Dynamo 1.4 operator (only that one: a smaller cluster than operatorstest's), the real
// kube-controller-manager with its HPA controller, the real scheduler and kwok GPU nodes.
package autoscalingtest

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
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

func testCase(t *testing.T, destroyed func(*terraform.State) error, s ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             destroyed,
		Steps:                    s,
	}
}

func deployment(label, body string) string {
	return fmt.Sprintf("resource \"kubefoundry_model_deployment\" %q {\n%s\n}\n", label, body)
}

func cfg(t *testing.T, blocks ...string) string {
	return acctest.ProviderBlock(t, "") + strings.Join(blocks, "")
}

func gpuNodes(t *testing.T, c *testcluster.Cluster, ns string, count int, gpus int64) []string {
	t.Helper()
	return c.KwokGPUNodes(t, ns, count, gpus, map[string]string{"pool": ns})
}

var nsSeq atomic.Int64

// shortNamespace: Dynamo 1.4 writes "<namespace>-<graph>" into a 63-byte label.
func shortNamespace(t *testing.T, c *testcluster.Cluster, prefix string) string {
	t.Helper()
	name := fmt.Sprintf("%s-%d", prefix, nsSeq.Add(1))
	if _, err := c.Clientset.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = c.Clientset.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{})
	})
	return name
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
	return func(*terraform.State) error {
		ctx := context.Background()
		var left []string
		l, err := c.Dynamic.Resource(dgdGVR).Namespace(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return err
		}
		for _, o := range l.Items {
			left = append(left, "dgd/"+o.GetName())
		}
		hpas, err := c.Clientset.AutoscalingV2().HorizontalPodAutoscalers(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return err
		}
		for _, o := range hpas.Items {
			left = append(left, "hpa/"+o.Name)
		}
		pods, err := c.Clientset.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return err
		}
		for _, o := range pods.Items {
			left = append(left, "pod/"+o.Name)
		}
		if len(left) > 0 {
			return fmt.Errorf("left after destroy in %s: %v", ns, left)
		}
		return nil
	}
}
