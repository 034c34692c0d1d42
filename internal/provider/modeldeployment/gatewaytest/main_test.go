package gatewaytest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"

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

func testCase(t *testing.T, destroyed func(*terraform.State) error, s ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             destroyed,
		Steps:                    s,
	}
}

func cfg(t *testing.T, blocks ...string) string {
	return acctest.ProviderBlock(t, "") + strings.Join(blocks, "")
}

func deployment(label, body string) string {
	return fmt.Sprintf("resource \"kubefoundry_model_deployment\" %q {\n%s\n}\n", label, body)
}

func attr(addr, name string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New(name), v)
}

var nsSeq int

// shortNamespace: Dynamo writes "<namespace>-<graph>" into a 63-byte label.
func shortNamespace(t *testing.T, c *testcluster.Cluster, prefix string) string {
	t.Helper()
	nsSeq++
	name := fmt.Sprintf("%s-%d", prefix, nsSeq)
	if _, err := c.Clientset.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = c.Clientset.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{})
	})
	return name
}

func get(c *testcluster.Cluster, gvr schema.GroupVersionResource, ns, name string) (*unstructured.Unstructured, error) {
	return c.Dynamic.Resource(gvr).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{})
}

// eventually polls f until it returns nil or the timeout passes (operators and the garbage
// collector act after apply returns).
func eventually(timeout time.Duration, f func() error) error {
	var last error
	err := wait.PollUntilContextTimeout(context.Background(), 250*time.Millisecond, timeout, true, func(context.Context) (bool, error) {
		last = f()
		return last == nil, nil
	})
	if err != nil && last != nil {
		return last
	}
	return err
}

// gone waits until the object no longer exists.
func gone(c *testcluster.Cluster, gvr schema.GroupVersionResource, ns, name string, timeout time.Duration) error {
	return eventually(timeout, func() error {
		_, err := get(c, gvr, ns, name)
		if apierrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		return fmt.Errorf("%s %s/%s still exists", gvr.Resource, ns, name)
	})
}

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

// nothingLeft checks destroy removed the deployment and every gateway object.
func nothingLeft(c *testcluster.Cluster, ns string, primary schema.GroupVersionResource, extra ...[2]any) func(*terraform.State) error {
	return func(*terraform.State) error {
		checks := append([][2]any{{primary, "qwen"}, {gateway.HTTPRouteGVR, "qwen"}, {gateway.PoolGVR, "qwen-pool"}}, extra...)
		for _, x := range checks {
			if err := gone(c, x[0].(schema.GroupVersionResource), ns, x[1].(string), 60*time.Second); err != nil {
				return err
			}
		}
		return nil
	}
}
