package gatewaytest

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

const routeA = `gateway = {
  parent_refs        = [{ name = "inference-gateway", namespace = "gateway-system" }]
  hostnames          = ["qwen.example.com"]
  match_model_header = true
}`

const routeB = `gateway = {
  parent_refs = [{ name = "inference-gateway", namespace = "gateway-system", section_name = "http" }]
  hostnames   = ["models.example.com"]
  path        = "/qwen"
}`

// The Dynamo 1.4 operator's pool: created from our epp component, over the graph's workers
// (deploy/operator/internal/dynamo/epp/inference_pool.go @ e147ceea), with its EPP Service.
func checkDynamoPool(c *testcluster.Cluster, ns string) error {
	return testcluster.Eventually(context.Background(), 90*time.Second, func() error {
		pool, err := get(c, gateway.PoolGVR, ns, "qwen-pool")
		if err != nil {
			return fmt.Errorf("the operator has not created InferencePool qwen-pool: %w", err)
		}
		sel, _, _ := unstructured.NestedStringMap(pool.Object, "spec", "selector", "matchLabels")
		if sel["nvidia.com/dynamo-component-class"] != "worker" || sel["nvidia.com/dynamo-namespace"] != ns+"-qwen" {
			return fmt.Errorf("pool selector = %v", sel)
		}
		epp, _, _ := unstructured.NestedString(pool.Object, "spec", "endpointPickerRef", "name")
		if _, err := c.Clientset.CoreV1().Services(ns).Get(context.Background(), epp, metav1.GetOptions{}); err != nil {
			return fmt.Errorf("the pool's endpoint picker Service %q: %w", epp, err)
		}
		// The pool selects this graph's worker pods, and they run the direct-mode sidecar.
		pods, err := c.Clientset.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{LabelSelector: metav1.FormatLabelSelector(&metav1.LabelSelector{MatchLabels: sel})})
		if err != nil {
			return err
		}
		if len(pods.Items) != 1 {
			return fmt.Errorf("the pool selects %d pods, want the 1 worker", len(pods.Items))
		}
		p := pods.Items[0]
		if p.Labels["nvidia.com/dynamo-component-type"] != "worker" {
			return fmt.Errorf("pool selects %s (type %q)", p.Name, p.Labels["nvidia.com/dynamo-component-type"])
		}
		for _, ctr := range p.Spec.Containers {
			if ctr.Name == "sidecar-frontend" {
				return nil
			}
		}
		return fmt.Errorf("worker pod %s has no sidecar-frontend container", p.Name)
	})
}

func TestAccGatewayDynamoCreateChangeDriftRemove(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	ns := c.ShortNamespace(t, "gwd")
	c.KwokGPUNodes(t, ns, 2, 1, map[string]string{"pool": ns})
	dep := func(extra string) string {
		return acctest.Deployment("a", fmt.Sprintf("name = \"qwen\"\nnamespace = %q\nruntime = \"dynamo\"\nmodel = \"Qwen/Qwen3-0.6B\"\n%s", ns, extra))
	}
	const A = "kubefoundry_model_deployment.a"
	noController := regexp.MustCompile(`^gateway: HTTPRoute qwen: no Gateway controller has reported on it yet; InferencePool qwen-pool: no Gateway controller`)
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns, dgdGVR),
		resource.TestStep{
			Config: acctest.Config(t, dep(routeA)),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.Attr(A, "phase", knownvalue.StringExact("Running")),
				acctest.Attr(A, "url", knownvalue.StringExact("http://qwen.example.com/")),
				acctest.Attr(A, "status_message", knownvalue.StringRegexp(noController)),
				acctest.Attr(A, "manifest", knownvalue.StringRegexp(regexp.MustCompile(`(?s)frontendSidecar: sidecar-frontend.*type: epp`))),
			},
			Check: func(*terraform.State) error {
				route, err := get(c, gateway.HTTPRouteGVR, ns, "qwen")
				if err != nil {
					return err
				}
				if b := backendRef(route); b["kind"] != "InferencePool" || b["name"] != "qwen-pool" || b["port"] != int64(8000) {
					return fmt.Errorf("route backendRef = %v", b)
				}
				return checkDynamoPool(c, ns)
			},
		},
		resource.TestStep{
			// A stand-in plays the Gateway controller (none runs here): it writes the route's
			// status as one would, and the refresh reports it.
			PreConfig: func() { writeRouteStatus(t, c, ns, "qwen", "False") },
			Config:    acctest.Config(t, dep(routeA)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(A, plancheck.ResourceActionNoop),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.Attr(A, "status_message", knownvalue.StringRegexp(regexp.MustCompile(
					`HTTPRoute qwen on gateway-system/inference-gateway Accepted=True, ResolvedRefs=False \(InvalidKind: stand-in\)`))),
			},
		},
		resource.TestStep{
			// Drift: the route deleted out of band comes back on the next apply.
			PreConfig: func() {
				if err := c.Dynamic.Resource(gateway.HTTPRouteGVR).Namespace(ns).Delete(context.Background(), "qwen", metav1.DeleteOptions{}); err != nil {
					t.Fatal(err)
				}
			},
			Config: acctest.Config(t, dep(routeA)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(A, plancheck.ResourceActionUpdate),
			}},
			Check: func(*terraform.State) error {
				_, err := get(c, gateway.HTTPRouteGVR, ns, "qwen")
				return err
			},
		},
		resource.TestStep{
			// Host, listener and path change in place: the graph keeps its components.
			Config: acctest.Config(t, dep(routeB)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(A, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.Attr(A, "url", knownvalue.StringExact("http://models.example.com/qwen")),
			},
			Check: func(*terraform.State) error {
				route, err := get(c, gateway.HTTPRouteGVR, ns, "qwen")
				if err != nil {
					return err
				}
				if hs, _, _ := unstructured.NestedStringSlice(route.Object, "spec", "hostnames"); len(hs) != 1 || hs[0] != "models.example.com" {
					return fmt.Errorf("hostnames = %v", hs)
				}
				return nil
			},
		},
		resource.TestStep{
			// Without gateway: the epp component goes, which Dynamo's webhook allows only by
			// replacing the graph; the route goes with the block, the pool with the old graph.
			Config: acctest.Config(t, dep("")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(A, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.Attr(A, "phase", knownvalue.StringExact("Running")),
				acctest.Attr(A, "url", knownvalue.Null()),
				acctest.Attr(A, "status_message", knownvalue.StringExact("")),
			},
			Check: func(*terraform.State) error {
				if err := c.WaitGone(context.Background(), gateway.HTTPRouteGVR, ns, "qwen", 30*time.Second); err != nil {
					return err
				}
				return c.WaitGone(context.Background(), gateway.PoolGVR, ns, "qwen-pool", 60*time.Second)
			},
		},
	))
}

// writeRouteStatus plays a Gateway controller: it reports the route Accepted by its parent,
// with ResolvedRefs as given (stand-in: no Gateway controller runs in the test cluster).
func writeRouteStatus(t *testing.T, c *testcluster.Cluster, ns, name, resolved string) {
	t.Helper()
	route, err := get(c, gateway.HTTPRouteGVR, ns, name)
	if err != nil {
		t.Fatal(err)
	}
	now := metav1.Now().UTC().Format(time.RFC3339)
	cond := func(typ, status, reason string) map[string]any {
		return map[string]any{"type": typ, "status": status, "reason": reason, "message": "stand-in", "lastTransitionTime": now,
			"observedGeneration": route.GetGeneration()}
	}
	_ = unstructured.SetNestedSlice(route.Object, []any{map[string]any{
		"parentRef":      map[string]any{"group": gateway.GatewayGroup, "kind": "Gateway", "name": "inference-gateway", "namespace": "gateway-system"},
		"controllerName": "example.com/stand-in-gateway-controller",
		"conditions":     []any{cond("Accepted", "True", "Accepted"), cond("ResolvedRefs", resolved, "InvalidKind")},
	}}, "status", "parents")
	if _, err := c.Dynamic.Resource(gateway.HTTPRouteGVR).Namespace(ns).UpdateStatus(context.Background(), route, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}
