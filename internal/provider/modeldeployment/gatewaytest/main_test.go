package gatewaytest

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/terraform"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) {
	acctest.MainWithOptions(m, testcluster.Options{
		Operators:  []testcluster.Operator{testcluster.OperatorDynamo, testcluster.OperatorKubeRay},
		GatewayAPI: true,
	}, nil)
}

var (
	dgdGVR        = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1beta1", Resource: "dynamographdeployments"}
	rayServiceGVR = schema.GroupVersionResource{Group: "ray.io", Version: "v1", Resource: "rayservices"}
	deployGVR     = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}
)

// backendRef returns the route's single backendRef.
func backendRef(route *unstructured.Unstructured) map[string]any {
	rules, _, _ := unstructured.NestedSlice(route.Object, "spec", "rules")
	if len(rules) == 0 {
		return nil
	}
	refs, _ := rules[0].(map[string]any)["backendRefs"].([]any)
	if len(refs) == 0 {
		return nil
	}
	m, _ := refs[0].(map[string]any)
	return m
}

func get(c *testcluster.Cluster, gvr schema.GroupVersionResource, ns, name string) (*unstructured.Unstructured, error) {
	return c.Dynamic.Resource(gvr).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{})
}

// nothingLeft checks destroy removed the deployment and every gateway object.
func nothingLeft(c *testcluster.Cluster, ns string, primary schema.GroupVersionResource, extra ...[2]any) func(*terraform.State) error {
	return func(*terraform.State) error {
		checks := append([][2]any{{primary, "qwen"}, {gateway.HTTPRouteGVR, "qwen"}, {gateway.PoolGVR, "qwen-pool"}}, extra...)
		for _, x := range checks {
			if err := c.WaitGone(context.Background(), x[0].(schema.GroupVersionResource), ns, x[1].(string), 60*time.Second); err != nil {
				return err
			}
		}
		return nil
	}
}
