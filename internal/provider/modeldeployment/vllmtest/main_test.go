package vllmtest

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) {
	acctest.MainWithOptions(m, testcluster.Options{LWS: true}, nil)
}

var lwsGVR = schema.GroupVersionResource{Group: "leaderworkerset.x-k8s.io", Version: "v1", Resource: "leaderworkersets"}

func testCase(t *testing.T, destroyed func(*terraform.State) error, s ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             destroyed,
		Steps:                    s,
	}
}

func cfg(t *testing.T, body string) string {
	return acctest.ProviderBlock(t, "") + "resource \"kubefoundry_model_deployment\" \"m\" {\n" + body + "\n}\n"
}

const addr = "kubefoundry_model_deployment.m"

func attr(name string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New(name), v)
}

var nsSeq atomic.Int64

// namespace creates "<prefix>-<n>" and removes it after the test.
func namespace(t *testing.T, c *testcluster.Cluster, prefix string) string {
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

// runningPods lists the live pods matching selector that kwok runs (Running, Ready, an IP).
func runningPods(c *testcluster.Cluster, ns, selector string) ([]corev1.Pod, error) {
	list, err := c.Clientset.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return nil, err
	}
	var out []corev1.Pod
	for _, p := range list.Items {
		if p.DeletionTimestamp == nil && p.Status.Phase == corev1.PodRunning && p.Status.PodIP != "" && ready(&p) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func ready(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

// engine returns the pod's vllm container.
func engine(p *corev1.Pod) (*corev1.Container, error) {
	for i := range p.Spec.Containers {
		if p.Spec.Containers[i].Name == "vllm" {
			return &p.Spec.Containers[i], nil
		}
	}
	return nil, fmt.Errorf("pod %s has no vllm container", p.Name)
}

func gpus(c *corev1.Container) int64 {
	q := c.Resources.Limits["nvidia.com/gpu"]
	return q.Value()
}

func env(c *corev1.Container, name string) (string, bool) {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value, true
		}
	}
	return "", false
}

// contiguous reports whether want appears in got as one run (a flag and its value).
func contiguous(got []string, want ...string) bool {
	for i := 0; i+len(want) <= len(got); i++ {
		if slices.Equal(got[i:i+len(want)], want) {
			return true
		}
	}
	return false
}

// nothingLeft checks that destroy removed the deployment's objects and pods.
func nothingLeft(c *testcluster.Cluster, ns string) func(*terraform.State) error {
	return func(*terraform.State) error {
		ctx := context.Background()
		var left []string
		lws, err := c.Dynamic.Resource(lwsGVR).Namespace(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return err
		}
		for _, o := range lws.Items {
			left = append(left, "leaderworkerset/"+o.GetName())
		}
		deps, err := c.Clientset.AppsV1().Deployments(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return err
		}
		for _, o := range deps.Items {
			left = append(left, "deployment/"+o.Name)
		}
		svcs, err := c.Clientset.CoreV1().Services(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return err
		}
		for _, o := range svcs.Items {
			if strings.HasSuffix(o.Name, "-api") { // LWS's headless Service goes with the GC
				left = append(left, "service/"+o.Name)
			}
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
