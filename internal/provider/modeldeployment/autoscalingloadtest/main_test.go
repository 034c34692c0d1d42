// Package autoscalingloadtest scales a Dynamo deployment with load through terraform: the real
// Dynamo 1.4 operator, the real HPA controller of kube-controller-manager, kwok GPU nodes and
// the real metrics-server reading the CPU use kwok simulates (testcluster
// Options.MetricsServer). Its own package so the metrics pipeline runs only where it is needed.
package autoscalingloadtest

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/terraform"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) {
	acctest.MainWithOptions(m, testcluster.Options{Operators: []testcluster.Operator{testcluster.OperatorDynamo}, MetricsServer: true}, nil)
}

var (
	dgdGVR     = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1beta1", Resource: "dynamographdeployments"}
	adapterGVR = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1beta1", Resource: "dynamographdeploymentscalingadapters"}
)

// scaleState checks the chain the HPA drives: the adapter's scale subresource, the graph's
// worker replicas (with the adapter) and the running worker pods on kwok nodes (labels of
// ai-dynamo/dynamo deploy/operator internal/consts/consts.go @ 1.4.0).
func scaleState(c *testcluster.Cluster, ns string, want int) error {
	ctx := context.Background()
	sc, err := c.Dynamic.Resource(adapterGVR).Namespace(ns).Get(ctx, "qwen-vllmworker", metav1.GetOptions{}, "scale")
	if err != nil {
		return fmt.Errorf("adapter scale subresource: %w", err)
	}
	if n, _, _ := unstructured.NestedInt64(sc.Object, "spec", "replicas"); n != int64(want) {
		return fmt.Errorf("adapter scale spec.replicas = %d, want %d", n, want)
	}
	dgd, err := c.Dynamic.Resource(dgdGVR).Namespace(ns).Get(ctx, "qwen", metav1.GetOptions{})
	if err != nil {
		return err
	}
	comps, _, _ := unstructured.NestedSlice(dgd.Object, "spec", "components")
	for _, x := range comps {
		if cm, _ := x.(map[string]any); cm["type"] == "worker" {
			n, _, _ := unstructured.NestedInt64(cm, "replicas")
			if _, adapted := cm["scalingAdapter"]; !adapted || n != int64(want) {
				return fmt.Errorf("DGD worker replicas %d (scalingAdapter %v), want %d with the adapter", n, adapted, want)
			}
		}
	}
	pods, err := c.RunningPods(ctx, ns, "nvidia.com/dynamo-graph-deployment-name=qwen,nvidia.com/dynamo-component-type=worker")
	if err != nil {
		return err
	}
	if len(pods) != want {
		return fmt.Errorf("%d running worker pods, want %d", len(pods), want)
	}
	return nil
}

func nothingLeft(c *testcluster.Cluster, ns string) func(*terraform.State) error {
	return acctest.NothingLeft(c, []string{ns}, dgdGVR)
}
