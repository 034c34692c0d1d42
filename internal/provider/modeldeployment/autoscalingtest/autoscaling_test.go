package autoscalingtest

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

var adapterGVR = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1beta1", Resource: "dynamographdeploymentscalingadapters"}

// workerReplicas is the replicas of the DGD's worker component, and whether it has an adapter.
func workerReplicas(c *testcluster.Cluster, ns, name string) (int64, bool, error) {
	dgd, err := c.Dynamic.Resource(dgdGVR).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		return 0, false, err
	}
	comps, _, _ := unstructured.NestedSlice(dgd.Object, "spec", "components")
	for _, x := range comps {
		cm, _ := x.(map[string]any)
		if cm["type"] == "worker" {
			n, _, _ := unstructured.NestedInt64(cm, "replicas")
			_, adapted := cm["scalingAdapter"]
			return n, adapted, nil
		}
	}
	return 0, false, fmt.Errorf("%s/%s has no worker component", ns, name)
}

// scaleState checks the whole chain: adapter spec.replicas (scale subresource), the DGD's
// worker replicas and the running worker pods on the kwok nodes.
func scaleState(c *testcluster.Cluster, ns string, want int) error {
	sc, err := c.Dynamic.Resource(adapterGVR).Namespace(ns).Get(context.Background(), "qwen-vllmworker", metav1.GetOptions{}, "scale")
	if err != nil {
		return fmt.Errorf("adapter scale subresource: %w", err)
	}
	if n, _, _ := unstructured.NestedInt64(sc.Object, "spec", "replicas"); n != int64(want) {
		return fmt.Errorf("adapter scale spec.replicas = %d, want %d", n, want)
	}
	n, adapted, err := workerReplicas(c, ns, "qwen")
	if err != nil {
		return err
	}
	if !adapted || n != int64(want) {
		return fmt.Errorf("DGD worker replicas %d (scalingAdapter %v), want %d with the adapter", n, adapted, want)
	}
	pods, err := dynamoPods(c, ns, "qwen", "worker")
	if err != nil {
		return err
	}
	if len(pods) != want {
		return fmt.Errorf("%d running worker pods, want %d", len(pods), want)
	}
	return nil
}

// TestAccRealDynamoAutoscalingHPAScalesAdapter: the real Dynamo 1.4 operator creates the
// scaling adapter we opt the worker into; the real HPA controller (kube-controller-manager)
// scales it through its scale subresource; the operator's adapter controller carries that to
// the graph and worker pods come and go on kwok nodes; the next plan stays empty; removing
// autoscaling returns to replicas.
//
// No metrics-server runs here, so the HPA has no CPU usage to act on: the scale-up is made
// through the adapter's scale subresource (what an autoscaler writes), and the real HPA then
// enforces a lowered max_replicas on its own (it clamps to min..max without metrics,
// kubernetes pkg/controller/podautoscaler/horizontal.go normalizeDesiredReplicas / the
// out-of-range branch of reconcileAutoscaler, v1.36).
func TestAccRealDynamoAutoscalingHPAScalesAdapter(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	ns := c.ShortNamespace(t, "as")
	gpuNodes(t, c, ns, 3, 1)
	conf := func(replicas int, autoscaling string) string {
		return acctest.Config(t, acctest.Deployment("a", fmt.Sprintf(`name = "qwen"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"
replicas = %d
pod = { resources = { cpu = "1" } }
%s`, ns, replicas, autoscaling)))
	}
	scaled := func(most int) string {
		return fmt.Sprintf("autoscaling = { worker = { min_replicas = 1, max_replicas = %d, cpu_utilization = 60 } }", most)
	}
	hpa := func() error {
		h, err := c.Clientset.AutoscalingV2().HorizontalPodAutoscalers(ns).Get(context.Background(), "qwen-vllmworker", metav1.GetOptions{})
		if err != nil {
			return fmt.Errorf("HPA: %w", err)
		}
		ref := h.Spec.ScaleTargetRef
		if ref.Kind != "DynamoGraphDeploymentScalingAdapter" || ref.Name != "qwen-vllmworker" || ref.APIVersion != "nvidia.com/v1beta1" {
			return fmt.Errorf("HPA targets %+v, want the worker's adapter", ref)
		}
		return nil
	}
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns),
		resource.TestStep{
			Config: conf(1, scaled(3)),
			Check: func(*terraform.State) error {
				if err := hpa(); err != nil {
					return err
				}
				return testcluster.Eventually(context.Background(), 60*time.Second, func() error { return scaleState(c, ns, 1) })
			},
		},
		resource.TestStep{
			// An autoscaler's decision: 3 replicas through the adapter's scale subresource.
			PreConfig: func() {
				ctx := context.Background()
				err := testcluster.Eventually(context.Background(), 30*time.Second, func() error {
					cur, err := c.Dynamic.Resource(adapterGVR).Namespace(ns).Get(ctx, "qwen-vllmworker", metav1.GetOptions{}, "scale")
					if err != nil {
						return err
					}
					if err := unstructured.SetNestedField(cur.Object, int64(3), "spec", "replicas"); err != nil {
						return err
					}
					_, err = c.Dynamic.Resource(adapterGVR).Namespace(ns).Update(ctx, cur, metav1.UpdateOptions{}, "scale")
					return err
				})
				if err == nil {
					err = testcluster.Eventually(context.Background(), 90*time.Second, func() error { return scaleState(c, ns, 3) })
				}
				if err != nil {
					t.Fatalf("scaling the adapter to 3: %v", err)
				}
			},
			Config:   conf(1, scaled(3)),
			PlanOnly: true, // the autoscaler's 3 replicas are not drift
		},
		resource.TestStep{
			// A lower ceiling: the real HPA controller scales the adapter down to it.
			Config: conf(1, scaled(2)),
			Check: func(*terraform.State) error {
				return testcluster.Eventually(context.Background(), 90*time.Second, func() error { return scaleState(c, ns, 2) })
			},
		},
		resource.TestStep{Config: conf(1, scaled(2)), PlanOnly: true},
		resource.TestStep{
			// Autoscaling off: back to replicas = 1, the HPA and the adapter go.
			Config: conf(1, ""),
			Check: func(*terraform.State) error {
				if _, err := c.Clientset.AutoscalingV2().HorizontalPodAutoscalers(ns).Get(context.Background(), "qwen-vllmworker", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
					return fmt.Errorf("HPA still there after autoscaling was removed (err %v)", err)
				}
				return testcluster.Eventually(context.Background(), 90*time.Second, func() error {
					n, adapted, err := workerReplicas(c, ns, "qwen")
					if err != nil {
						return err
					}
					if adapted || n != 1 {
						return fmt.Errorf("DGD worker replicas %d (scalingAdapter %v), want 1 without adapter", n, adapted)
					}
					if _, err := c.Dynamic.Resource(adapterGVR).Namespace(ns).Get(context.Background(), "qwen-vllmworker", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
						return fmt.Errorf("adapter still there (err %v)", err)
					}
					pods, err := dynamoPods(c, ns, "qwen", "worker")
					if err != nil {
						return err
					}
					if len(pods) != 1 {
						return fmt.Errorf("%d running worker pods, want 1", len(pods))
					}
					return nil
				})
			},
		},
		resource.TestStep{Config: conf(1, ""), PlanOnly: true},
	))
}

// TestAccAutoscalingKEDAMissing: a `prometheus` target needs KEDA; this cluster has none, so
// the apply stops before creating anything, naming `autoscaling` and the CRD to install.
func TestAccAutoscalingKEDAMissing(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.ShortNamespace(t, "keda")
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns),
		resource.TestStep{
			Config: acctest.Config(t, acctest.Deployment("d", fmt.Sprintf(`name = "d"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"
autoscaling = { worker = { min_replicas = 1, max_replicas = 2, prometheus = {
  server_address = "http://prometheus.monitoring:9090", query = "sum(vllm:num_requests_waiting)", threshold = "5" } } }`, ns))),
			ExpectError: regexp.MustCompile(`(?s)KEDA is not installed.*scaledobjects.keda.sh`),
		},
	))
}
