// Package kaitosettest runs `kaito = { inference_set = true }` through terraform against the
// real KAITO 0.12 workspace controller (whose InferenceSet controller is on by default), the
// real HPA controller of kube-controller-manager, metrics-server reading the CPU use kwok
// simulates (testcluster Options.MetricsServer) and kwok GPU nodes. Its own package so the
// metrics pipeline and KAITO run only where they are needed.
package kaitosettest

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/terraform"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) {
	acctest.MainWithOptions(m, testcluster.Options{Operators: []testcluster.Operator{testcluster.OperatorKAITO}, MetricsServer: true}, nil)
}

var (
	inferenceSetGVR = schema.GroupVersionResource{Group: "kaito.sh", Version: "v1beta1", Resource: "inferencesets"}
	workspaceGVR    = schema.GroupVersionResource{Group: "kaito.sh", Version: "v1beta1", Resource: "workspaces"}
)

// createdBy is the label KAITO 0.12 puts on an InferenceSet's Workspaces and their pods
// (pkg/utils/consts/consts.go WorkspaceCreatedByInferenceSetLabel @ v0.12.0).
const createdBy = "inferenceset.kaito.sh/created-by"

// deploymentName is the name of the one deployment (and so of its InferenceSet and HPA) the test makes.
const deploymentName = "qwen"

// setState checks the chain the HPA drives: the InferenceSet's scale subresource, the
// Workspaces KAITO's InferenceSet controller made for it and their running pods on kwok nodes.
func setState(c *testcluster.Cluster, ns string, want int) error {
	name := deploymentName
	ctx := context.Background()
	sc, err := c.Dynamic.Resource(inferenceSetGVR).Namespace(ns).Get(ctx, name, metav1.GetOptions{}, "scale")
	if err != nil {
		return fmt.Errorf("InferenceSet scale subresource: %w", err)
	}
	if n, _, _ := unstructured.NestedInt64(sc.Object, "spec", "replicas"); n != int64(want) {
		return fmt.Errorf("InferenceSet scale spec.replicas = %d, want %d", n, want)
	}
	wss, err := c.Dynamic.Resource(workspaceGVR).Namespace(ns).List(ctx, metav1.ListOptions{LabelSelector: createdBy + "=" + name})
	if err != nil {
		return err
	}
	live := 0
	for _, w := range wss.Items {
		if w.GetDeletionTimestamp() == nil {
			live++
		}
	}
	if live != want {
		return fmt.Errorf("%d Workspaces of the InferenceSet, want %d", live, want)
	}
	pods, err := c.RunningPods(ctx, ns, createdBy+"="+name)
	if err != nil {
		return err
	}
	if len(pods) != want {
		return fmt.Errorf("%d running pods of the InferenceSet, want %d", len(pods), want)
	}
	return nil
}

// hpa reads the HPA and its CPU utilization (-1 when it has read none yet).
func hpa(c *testcluster.Cluster, ns string) (*autoscalingv2.HorizontalPodAutoscaler, int32, error) {
	name := deploymentName
	h, err := c.Clientset.AutoscalingV2().HorizontalPodAutoscalers(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		return nil, -1, err
	}
	for _, m := range h.Status.CurrentMetrics {
		if m.Type == autoscalingv2.ResourceMetricSourceType && m.Resource != nil && m.Resource.Name == "cpu" &&
			m.Resource.Current.AverageUtilization != nil {
			return h, *m.Resource.Current.AverageUtilization, nil
		}
	}
	return h, -1, nil
}

// hpaConditionsTrue checks that the HPA controller resolved the scale target (AbleToScale:
// it read the InferenceSet's scale subresource) and computed a metric (ScalingActive).
func hpaConditionsTrue(h *autoscalingv2.HorizontalPodAutoscaler) error {
	for _, typ := range []autoscalingv2.HorizontalPodAutoscalerConditionType{autoscalingv2.AbleToScale, autoscalingv2.ScalingActive} {
		found := false
		for _, cnd := range h.Status.Conditions {
			if cnd.Type == typ {
				found = true
				if cnd.Status != corev1.ConditionTrue {
					return fmt.Errorf("HPA condition %s is %s: %s: %s", typ, cnd.Status, cnd.Reason, cnd.Message)
				}
			}
		}
		if !found {
			return fmt.Errorf("HPA has no %s condition yet", typ)
		}
	}
	return nil
}

func nothingLeft(c *testcluster.Cluster, ns string) func(*terraform.State) error {
	return acctest.NothingLeft(c, []string{ns}, inferenceSetGVR, workspaceGVR)
}
