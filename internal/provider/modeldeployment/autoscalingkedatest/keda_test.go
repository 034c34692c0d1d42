package autoscalingkedatest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

var (
	dgdGVR          = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1beta1", Resource: "dynamographdeployments"}
	adapterGVR      = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1beta1", Resource: "dynamographdeploymentscalingadapters"}
	scaledObjectGVR = schema.GroupVersionResource{Group: "keda.sh", Version: "v1alpha1", Resource: "scaledobjects"}
)

// TestAccKEDAScaledObjectValidatedServerSide: the ScaledObject scaling the worker's adapter is
// created, stored unchanged by KEDA's CRD schema (the next plan is empty: no field pruned),
// drift on it is found and repaired, and removing autoscaling removes it.
func TestAccKEDAScaledObjectValidatedServerSide(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t, "dynamo-operator")
	ns := c.ShortNamespace(t, "keda")
	c.KwokGPUNodes(t, ns, 2, 1, map[string]string{"pool": ns})
	conf := func(autoscaling string) string {
		return acctest.Config(t, acctest.Deployment("a", fmt.Sprintf(`name = "qwen"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"
replicas = 1
%s`, ns, autoscaling)))
	}
	scaled := conf(`autoscaling = { worker = { min_replicas = 1, max_replicas = 4, scale_down_stabilization_seconds = 30, prometheus = {
  server_address = "http://prometheus.monitoring:9090", query = "sum(vllm:num_requests_waiting{namespace=\"` + ns + `\"})",
  threshold = "5", activation_threshold = "1" } } }`)
	get := func() (*unstructured.Unstructured, error) {
		return c.Dynamic.Resource(scaledObjectGVR).Namespace(ns).Get(context.Background(), "qwen-vllmworker", metav1.GetOptions{})
	}
	maxReplicas := func(want int64) error {
		so, err := get()
		if err != nil {
			return err
		}
		if n, _, _ := unstructured.NestedInt64(so.Object, "spec", "maxReplicaCount"); n != want {
			return fmt.Errorf("ScaledObject maxReplicaCount = %d, want %d", n, want)
		}
		return nil
	}
	resource.Test(t, acctest.TestCase(t, acctest.NothingLeft(c, []string{ns}, dgdGVR, scaledObjectGVR),
		resource.TestStep{
			Config: scaled,
			Check: func(*terraform.State) error {
				so, err := get()
				if err != nil {
					return fmt.Errorf("ScaledObject: %w", err)
				}
				ref, _, _ := unstructured.NestedStringMap(so.Object, "spec", "scaleTargetRef")
				if ref["kind"] != "DynamoGraphDeploymentScalingAdapter" || ref["name"] != "qwen-vllmworker" || ref["apiVersion"] != "nvidia.com/v1beta1" {
					return fmt.Errorf("ScaledObject targets %v, want the worker's adapter", ref)
				}
				// Fields KEDA's structural schema would prune if we named them wrongly.
				if w, ok, _ := unstructured.NestedInt64(so.Object, "spec", "advanced", "horizontalPodAutoscalerConfig", "behavior", "scaleDown",
					"stabilizationWindowSeconds"); !ok || w != 30 {
					return fmt.Errorf("stored scale-down window = %d (present %v), want 30", w, ok)
				}
				trig, _, _ := unstructured.NestedSlice(so.Object, "spec", "triggers")
				if len(trig) != 1 {
					return fmt.Errorf("triggers = %v, want one", trig)
				}
				tr, _ := trig[0].(map[string]any)
				md, _ := tr["metadata"].(map[string]any)
				if tr["type"] != "prometheus" || md["threshold"] != "5" || md["activationThreshold"] != "1" || md["serverAddress"] != "http://prometheus.monitoring:9090" {
					return fmt.Errorf("stored trigger = %v", tr)
				}
				// The real operator made the adapter the ScaledObject scales.
				return testcluster.Eventually(context.Background(), 60*time.Second, func() error {
					_, err := c.Dynamic.Resource(adapterGVR).Namespace(ns).Get(context.Background(), "qwen-vllmworker", metav1.GetOptions{})
					return err
				})
			},
		},
		resource.TestStep{Config: scaled, PlanOnly: true},
		resource.TestStep{
			// Import reads `autoscaling` back from the ScaledObject.
			ResourceName: "kubefoundry_model_deployment.a", ImportState: true, ImportStateId: ns + "/qwen", ImportStateVerify: true,
			ImportStateVerifyIgnore: []string{"timeouts", "status_message"},
		},
		resource.TestStep{
			// Drift: someone raises the ScaledObject's ceiling by hand.
			PreConfig: func() {
				patch := []byte(`{"spec":{"maxReplicaCount":9}}`)
				if _, err := c.Dynamic.Resource(scaledObjectGVR).Namespace(ns).Patch(context.Background(), "qwen-vllmworker",
					types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
					t.Fatalf("editing the ScaledObject: %v", err)
				}
			},
			Config:             scaled,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		},
		resource.TestStep{
			Config: scaled,
			Check:  func(*terraform.State) error { return maxReplicas(4) },
		},
		resource.TestStep{
			Config: conf(""),
			Check: func(*terraform.State) error {
				if _, err := get(); !apierrors.IsNotFound(err) {
					return fmt.Errorf("ScaledObject still there after autoscaling was removed (err %v)", err)
				}
				return nil
			},
		},
	))
}
