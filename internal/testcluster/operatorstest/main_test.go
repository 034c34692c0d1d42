package operatorstest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) {
	testcluster.MainWithOptions(m, testcluster.Options{Operators: testcluster.AllOperators}, nil)
}

var (
	dgdV1beta1   = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1beta1", Resource: "dynamographdeployments"}
	dgdV1alpha1  = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1alpha1", Resource: "dynamographdeployments"}
	rayService   = schema.GroupVersionResource{Group: "ray.io", Version: "v1", Resource: "rayservices"}
	rayCluster   = schema.GroupVersionResource{Group: "ray.io", Version: "v1", Resource: "rayclusters"}
	workspaceGVR = schema.GroupVersionResource{Group: "kaito.sh", Version: "v1beta1", Resource: "workspaces"}
)

// gpuNodes creates kwok GPU nodes for one test (names prefixed by the namespace) and removes
// them afterwards.
func gpuNodes(t *testing.T, c *testcluster.Cluster, prefix string, count int, gpus int64, labels map[string]string, taints ...corev1.Taint) []string {
	t.Helper()
	return c.KwokGPUNodes(t, prefix, count, gpus, labels, taints...)
}

func create(t *testing.T, c *testcluster.Cluster, gvr schema.GroupVersionResource, ns, manifest string) *unstructured.Unstructured {
	t.Helper()
	obj := &unstructured.Unstructured{}
	if err := yaml.Unmarshal([]byte(manifest), &obj.Object); err != nil {
		t.Fatal(err)
	}
	obj.SetNamespace(ns)
	got, err := c.Dynamic.Resource(gvr).Namespace(ns).Create(context.Background(), obj, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("creating %s %s: %v", gvr.Resource, obj.GetName(), err)
	}
	return got
}

// runningPods waits until want pods matching the selector run Ready with a pod IP, and
// returns them.
func runningPods(t *testing.T, c *testcluster.Cluster, ns, selector string, want int, timeout time.Duration) []corev1.Pod {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last []string
	for time.Now().Before(deadline) {
		list, err := c.Clientset.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{LabelSelector: selector})
		if err == nil {
			var ok []corev1.Pod
			last = last[:0]
			for _, p := range list.Items {
				last = append(last, p.Name+"="+string(p.Status.Phase)+"@"+p.Spec.NodeName)
				if p.Status.Phase == corev1.PodRunning && p.Status.PodIP != "" && podReady(&p) {
					ok = append(ok, p)
				}
			}
			if len(ok) >= want {
				return ok
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("fewer than %d running pods for %q in %s after %s: %v", want, selector, ns, timeout, last)
	return nil
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

func gpuRequest(p *corev1.Pod) int64 {
	var n int64
	for _, ctr := range p.Spec.Containers {
		if q, ok := ctr.Resources.Requests["nvidia.com/gpu"]; ok {
			n += q.Value()
		}
	}
	return n
}

func nested(obj *unstructured.Unstructured, path ...string) string {
	s, _, _ := unstructured.NestedString(obj.Object, path...)
	return s
}

var nsSeq atomic.Int64

// shortNamespace creates a namespace "<prefix>-<n>" and deletes it afterwards. Dynamo 1.4 puts
// "<namespace>-<graph name>" into a label (at most 63 bytes), so graphs need short namespaces;
// testcluster's Namespace names them after the (long) test name.
func shortNamespace(t *testing.T, c *testcluster.Cluster, prefix string) string {
	t.Helper()
	name := fmt.Sprintf("%s-%d", prefix, nsSeq.Add(1))
	if _, err := c.Clientset.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = c.Clientset.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{})
	})
	if err := c.WaitForDefaultServiceAccount(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	return name
}
