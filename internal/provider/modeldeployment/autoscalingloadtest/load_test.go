package autoscalingloadtest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// podUsage sets the simulated CPU use of every pod in ns (kwok ClusterResourceUsage) and
// removes it when the test ends.
func podUsage(t *testing.T, c *testcluster.Cluster, ns, cpu string) {
	t.Helper()
	if err := c.SetPodUsage(context.Background(), ns, cpu); err != nil {
		t.Fatalf("setting the pods' CPU use to %s: %v", cpu, err)
	}
	t.Cleanup(func() { _ = c.DeletePodUsage(context.Background(), ns) })
}

// hpaCPU is the CPU utilization the HPA last read from the metrics API, -1 if none yet.
func hpaCPU(c *testcluster.Cluster, ns, name string) (int32, error) {
	h, err := c.Clientset.AutoscalingV2().HorizontalPodAutoscalers(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		return -1, err
	}
	for _, m := range h.Status.CurrentMetrics {
		if m.Type == autoscalingv2.ResourceMetricSourceType && m.Resource != nil && m.Resource.Name == "cpu" &&
			m.Resource.Current.AverageUtilization != nil {
			return *m.Resource.Current.AverageUtilization, nil
		}
	}
	return -1, nil
}

// TestAccRealDynamoAutoscalingScalesWithLoad: scaling driven by load, every part real but the
// load. kwok reports the worker pods' CPU use (ClusterResourceUsage), metrics-server scrapes
// it from kwok's kubelet endpoint, the HPA controller reads it through the metrics API and
// scales the real Dynamo operator's scaling adapter, whose controller carries it to the graph:
// worker pods come and go on kwok nodes. Raising the use to 95% of the request (target 60%)
// scales to max_replicas, lowering it to 10% back to min_replicas (no scale-down
// stabilization: scale_down_stabilization_seconds = 0); after each, terraform plans nothing.
func TestAccRealDynamoAutoscalingScalesWithLoad(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t, "dynamo-operator", "kwok", testcluster.MetricsServerLogName)
	ns := c.ShortNamespace(t, "load")
	c.KwokGPUNodes(t, ns, 3, 1, map[string]string{"pool": ns})
	podUsage(t, c, ns, "300m") // 30% of the request: below the target, at min_replicas
	config := acctest.Config(t, acctest.Deployment("a", fmt.Sprintf(`name = "qwen"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"
replicas = 1
pod = { resources = { cpu = "1" } }
autoscaling = { worker = { min_replicas = 1, max_replicas = 3, cpu_utilization = 60, scale_down_stabilization_seconds = 0 } }`, ns)))
	load := func(cpu string, replicas int, utilization func(int32) bool) func() {
		return func() {
			start := time.Now()
			if err := c.SetPodUsage(context.Background(), ns, cpu); err != nil {
				t.Fatal(err)
			}
			err := testcluster.Eventually(context.Background(), 4*time.Minute, func() error {
				u, err := hpaCPU(c, ns, "qwen-vllmworker")
				if err != nil {
					return err
				}
				if !utilization(u) {
					return fmt.Errorf("HPA reads CPU utilization %d%%", u)
				}
				return scaleState(c, ns, replicas)
			})
			if err != nil {
				u, _ := hpaCPU(c, ns, "qwen-vllmworker")
				t.Fatalf("CPU use %s per pod: %v (HPA reads %d%%)", cpu, err, u)
			}
			t.Logf("CPU use %s per pod: %d worker pods after %s", cpu, replicas, time.Since(start).Round(time.Second))
		}
	}
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns),
		resource.TestStep{
			Config: config,
			Check: func(*terraform.State) error {
				return testcluster.Eventually(context.Background(), 2*time.Minute, func() error {
					u, err := hpaCPU(c, ns, "qwen-vllmworker")
					if err != nil {
						return err
					}
					if u < 20 || u > 40 {
						return fmt.Errorf("HPA reads CPU utilization %d%%, want about 30%%", u)
					}
					return scaleState(c, ns, 1)
				})
			},
		},
		resource.TestStep{
			PreConfig: load("950m", 3, func(u int32) bool { return u > 80 }),
			Config:    config,
			PlanOnly:  true, // the HPA's 3 replicas are not drift
		},
		resource.TestStep{
			PreConfig: load("100m", 1, func(u int32) bool { return u >= 0 && u < 20 }),
			Config:    config,
			PlanOnly:  true,
		},
	))
}
