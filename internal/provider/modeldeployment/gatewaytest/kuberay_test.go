package gatewaytest

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// checkRayPool: our InferencePool selects exactly the Serve pods of this RayService (the
// labels KubeRay copies from our templates plus its own ray.io/serve), and the endpoint
// picker it names exists with its RBAC.
func checkRayPool(c *testcluster.Cluster, ns string) error {
	return testcluster.Eventually(context.Background(), 90*time.Second, func() error {
		pool, err := get(c, gateway.PoolGVR, ns, "qwen-pool")
		if err != nil {
			return err
		}
		sel, _, _ := unstructured.NestedStringMap(pool.Object, "spec", "selector", "matchLabels")
		pods, err := c.Clientset.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{LabelSelector: metav1.FormatLabelSelector(&metav1.LabelSelector{MatchLabels: sel})})
		if err != nil {
			return err
		}
		rs, err := get(c, rayServiceGVR, ns, "qwen")
		if err != nil {
			return err
		}
		cluster, _, _ := unstructured.NestedString(rs.Object, "status", "pendingServiceStatus", "rayClusterName")
		if active, _, _ := unstructured.NestedString(rs.Object, "status", "activeServiceStatus", "rayClusterName"); active != "" {
			cluster = active
		}
		if cluster == "" || len(pods.Items) == 0 {
			return fmt.Errorf("pool selects %d pods; RayService cluster %q", len(pods.Items), cluster)
		}
		for _, p := range pods.Items {
			// Workers serve from the start; the head only once KubeRay finds its proxy healthy.
			if p.Labels["ray.io/cluster"] != cluster || p.Labels["ray.io/node-type"] != "worker" {
				return fmt.Errorf("pool selects %s (cluster %q, type %q), not a Serve worker of %s", p.Name, p.Labels["ray.io/cluster"], p.Labels["ray.io/node-type"], cluster)
			}
		}
		if _, err := c.Clientset.AppsV1().Deployments(ns).Get(context.Background(), "qwen-epp", metav1.GetOptions{}); err != nil {
			return err
		}
		if _, err := c.Clientset.RbacV1().RoleBindings(ns).Get(context.Background(), "qwen-epp", metav1.GetOptions{}); err != nil {
			return err
		}
		svc, err := c.Clientset.CoreV1().Services(ns).Get(context.Background(), "qwen-epp", metav1.GetOptions{})
		if err != nil {
			return err
		}
		if name, _, _ := unstructured.NestedString(pool.Object, "spec", "endpointPickerRef", "name"); name != svc.Name {
			return fmt.Errorf("endpointPickerRef.name = %q", name)
		}
		return nil
	})
}

func TestAccGatewayKubeRayPoolPickerDriftAndPoolOff(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	ns := c.ShortNamespace(t, "gwr")
	c.KwokGPUNodes(t, ns, 2, 1, map[string]string{"pool": ns})
	dep := func(extra string) string {
		// A RayService never turns Ready here (no Ray dashboard runs): no wait.
		return acctest.Deployment("r", fmt.Sprintf("name = \"qwen\"\nnamespace = %q\nruntime = \"kuberay\"\nmodel = \"Qwen/Qwen3-0.6B\"\nwait_for_ready = false\n%s", ns, extra))
	}
	const R = "kubefoundry_model_deployment.r"
	withPool := `gateway = { parent_refs = [{ name = "inference-gateway" }] }`
	noPool := `gateway = {
  parent_refs    = [{ name = "inference-gateway" }]
  inference_pool = false
}`
	eppObjects := [][2]any{{deployGVR, "qwen-epp"}}
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns, rayServiceGVR, eppObjects...),
		resource.TestStep{
			Config: acctest.Config(t, dep(withPool)),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.Attr(R, "url", knownvalue.StringExact("")), // no host name and no Gateway reporting an address
				acctest.Attr(R, "companion_manifests", knownvalue.StringRegexp(regexp.MustCompile(`kind: InferencePool`))),
			},
			Check: func(*terraform.State) error { return checkRayPool(c, ns) },
		},
		resource.TestStep{
			// Drift on the objects we render: the picker's Deployment deleted, the pool's port edited.
			PreConfig: func() {
				ctx := context.Background()
				if err := c.Clientset.AppsV1().Deployments(ns).Delete(ctx, "qwen-epp", metav1.DeleteOptions{}); err != nil {
					t.Fatal(err)
				}
				patch := []byte(`[{"op":"replace","path":"/spec/targetPorts/0/number","value":9999}]`)
				if _, err := c.Dynamic.Resource(gateway.PoolGVR).Namespace(ns).Patch(ctx, "qwen-pool", types.JSONPatchType, patch, metav1.PatchOptions{}); err != nil {
					t.Fatal(err)
				}
			},
			Config: acctest.Config(t, dep(withPool)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(R, plancheck.ResourceActionUpdate),
			}},
			Check: func(*terraform.State) error {
				pool, err := get(c, gateway.PoolGVR, ns, "qwen-pool")
				if err != nil {
					return err
				}
				ports, _, _ := unstructured.NestedSlice(pool.Object, "spec", "targetPorts")
				if n := ports[0].(map[string]any)["number"]; n != int64(8000) {
					return fmt.Errorf("pool target port = %v after apply, want 8000", n)
				}
				return checkRayPool(c, ns)
			},
		},
		resource.TestStep{
			// Pool off: the pool and the picker go, the route now targets the Serve Service.
			Config: acctest.Config(t, dep(noPool)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(R, plancheck.ResourceActionUpdate),
			}},
			Check: func(*terraform.State) error {
				for _, x := range [][2]any{{gateway.PoolGVR, "qwen-pool"}, {deployGVR, "qwen-epp"}} {
					if err := c.WaitGone(context.Background(), x[0].(schema.GroupVersionResource), ns, x[1].(string), 30*time.Second); err != nil {
						return err
					}
				}
				route, err := get(c, gateway.HTTPRouteGVR, ns, "qwen")
				if err != nil {
					return err
				}
				if b := backendRef(route); b["kind"] != "Service" || b["name"] != "qwen-serve-svc" {
					return fmt.Errorf("route backendRef = %v", b)
				}
				return nil
			},
		},
		resource.TestStep{
			// The whole block removed: the route goes too.
			Config: acctest.Config(t, dep("")),
			Check: func(*terraform.State) error {
				if err := c.WaitGone(context.Background(), gateway.HTTPRouteGVR, ns, "qwen", 30*time.Second); err != nil {
					return err
				}
				rs, err := get(c, rayServiceGVR, ns, "qwen")
				if err != nil {
					return err
				}
				if strings.Contains(fmt.Sprint(rs.Object["spec"]), "kubefoundry.io/serve-pool") {
					return fmt.Errorf("RayService pod templates still carry the pool label")
				}
				return nil
			},
		},
	))
}
