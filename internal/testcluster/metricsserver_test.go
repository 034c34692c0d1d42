package testcluster

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// podCPU reads a pod's CPU use from the metrics API (metrics.k8s.io/v1beta1 PodMetrics, served
// by metrics-server through the API server's aggregation layer), summed over its containers.
func podCPU(ctx context.Context, c *Cluster, ns, name string) (int64, error) {
	raw, err := c.Clientset.CoreV1().RESTClient().Get().AbsPath("/apis/metrics.k8s.io/v1beta1/namespaces", ns, "pods", name).DoRaw(ctx)
	if err != nil {
		return 0, err
	}
	var pm struct {
		Containers []struct {
			Usage map[string]resource.Quantity `json:"usage"`
		} `json:"containers"`
	}
	if err := json.Unmarshal(raw, &pm); err != nil {
		return 0, err
	}
	var milli int64
	for _, ct := range pm.Containers {
		q := ct.Usage["cpu"]
		milli += q.MilliValue()
	}
	return milli, nil
}

// The metrics pipeline: kwok serves the usage a ClusterResourceUsage sets as the node's
// kubelet resource metrics, the real metrics-server v0.8.1 scrapes it, and the metrics API
// answers through the API server's aggregation layer; a new usage shows up there.
func TestMetricsServerReportsKwokPodUsage(t *testing.T) {
	ctx := context.Background()
	c, err := Start(ctx, Options{MetricsServer: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	if _, err := c.CreateKwokNode(ctx, GPUNode{Name: "cpu-0"}); err != nil {
		t.Fatal(err)
	}
	if err := c.SetPodUsage(ctx, "default", "750m"); err != nil {
		t.Fatal(err)
	}
	q := corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1")}
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "default"}, Spec: corev1.PodSpec{
		Containers: []corev1.Container{{Name: "main", Image: "registry.invalid/x:1", Resources: corev1.ResourceRequirements{Requests: q}}}}}
	if _, err := c.Clientset.CoreV1().Pods("default").Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	near := func(want int64) func() error {
		return func() error {
			got, err := podCPU(ctx, c, "default", "p")
			if err != nil {
				return err
			}
			if got < want*9/10 || got > want*11/10 {
				return fmt.Errorf("pod CPU %dm in the metrics API, want about %dm", got, want)
			}
			return nil
		}
	}
	if err := Eventually(ctx, 90*time.Second, near(750)); err != nil {
		t.Fatalf("%v\n%s\n%s", err, c.LogTail(MetricsServerLogName, 20), c.LogTail("kwok", 20))
	}
	if err := c.SetPodUsage(ctx, "default", "200m"); err != nil {
		t.Fatal(err)
	}
	if err := Eventually(ctx, 90*time.Second, near(200)); err != nil {
		t.Fatalf("after lowering the usage: %v\n%s", err, c.LogTail(MetricsServerLogName, 20))
	}
	raw, err := c.Clientset.CoreV1().RESTClient().Get().AbsPath("/apis/metrics.k8s.io/v1beta1/nodes/cpu-0").DoRaw(ctx)
	if err != nil {
		t.Errorf("NodeMetrics of cpu-0: %v", err)
	} else {
		t.Logf("NodeMetrics: %s", raw)
	}
}
