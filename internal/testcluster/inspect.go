package testcluster

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
)

// ShortNamespace creates "<prefix>-<n>" (waiting for its default service account) and deletes
// it after the test. Dynamo 1.4 writes "<namespace>-<graph>" into a 63-byte label, so the
// namespaces named after long test names (Namespace) leave too little room for a graph.
func (c *Cluster) ShortNamespace(t testing.TB, prefix string) string {
	t.Helper()
	name := fmt.Sprintf("%s-%d", prefix, nsCounter.Add(1))
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if _, err := c.Clientset.CoreV1().Namespaces().Create(context.Background(), ns, metav1.CreateOptions{}); err != nil {
		t.Fatalf("creating namespace %s: %v", name, err)
	}
	t.Cleanup(func() {
		_ = c.Clientset.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{})
	})
	if err := c.WaitForDefaultServiceAccount(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	return name
}

// RunningPods lists the live pods matching selector that kwok runs (Running, Ready, with a
// pod IP), sorted by name.
func (c *Cluster) RunningPods(ctx context.Context, ns, selector string) ([]corev1.Pod, error) {
	list, err := c.Clientset.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return nil, err
	}
	var out []corev1.Pod
	for _, p := range list.Items {
		if p.DeletionTimestamp == nil && p.Status.Phase == corev1.PodRunning && p.Status.PodIP != "" && PodReady(&p) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// PodReady reports the pod's Ready condition.
func PodReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

// Container returns the pod's container called name (the first one when name is "").
func Container(p *corev1.Pod, name string) (*corev1.Container, error) {
	for i := range p.Spec.Containers {
		if name == "" || p.Spec.Containers[i].Name == name {
			return &p.Spec.Containers[i], nil
		}
	}
	return nil, fmt.Errorf("pod %s has no container %q", p.Name, name)
}

// EnvValue returns the literal value of the container's variable name.
func EnvValue(c *corev1.Container, name string) (string, bool) {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value, true
		}
	}
	return "", false
}

// GPULimit is the nvidia.com/gpu limit summed over the pod's containers.
func GPULimit(p *corev1.Pod) int64 {
	var n int64
	for _, c := range p.Spec.Containers {
		if q, ok := c.Resources.Limits["nvidia.com/gpu"]; ok {
			n += q.Value()
		}
	}
	return n
}

// Eventually polls f until it returns nil or timeout passes, returning f's last error:
// operators and the garbage collector act after apply returns.
func Eventually(ctx context.Context, timeout time.Duration, f func() error) error {
	var last error
	err := wait.PollUntilContextTimeout(ctx, 250*time.Millisecond, timeout, true, func(context.Context) (bool, error) {
		last = f()
		return last == nil, nil
	})
	if err != nil && last != nil {
		return last
	}
	return err
}

// WaitGone waits until the object no longer exists.
func (c *Cluster) WaitGone(ctx context.Context, gvr schema.GroupVersionResource, ns, name string, timeout time.Duration) error {
	return Eventually(ctx, timeout, func() error {
		_, err := c.Dynamic.Resource(gvr).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		return fmt.Errorf("%s %s/%s still exists", gvr.Resource, ns, name)
	})
}

// Core and apps kinds a destroyed deployment must not leave behind (besides the runtime's own
// custom resources, which the caller names).
var leftoverKinds = []schema.GroupVersionResource{
	{Group: "apps", Version: "v1", Resource: "deployments"},
	{Group: "apps", Version: "v1", Resource: "statefulsets"},
	{Group: "autoscaling", Version: "v2", Resource: "horizontalpodautoscalers"},
	{Version: "v1", Resource: "services"},
	{Version: "v1", Resource: "pods"},
}

// Leftovers lists "<resource>/<name>" for every object of the given custom resources and of
// the core kinds above still in the namespaces: what a destroy left behind.
func (c *Cluster) Leftovers(ctx context.Context, namespaces []string, custom ...schema.GroupVersionResource) ([]string, error) {
	var left []string
	for _, ns := range namespaces {
		for _, gvr := range append(append([]schema.GroupVersionResource{}, custom...), leftoverKinds...) {
			l, err := c.Dynamic.Resource(gvr).Namespace(ns).List(ctx, metav1.ListOptions{})
			if err != nil {
				return nil, fmt.Errorf("listing %s in %s: %w", gvr.Resource, ns, err)
			}
			for _, o := range l.Items {
				left = append(left, ns+"/"+gvr.Resource+"/"+o.GetName())
			}
		}
	}
	return left, nil
}
