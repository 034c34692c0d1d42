package kservetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kserve"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

var (
	lwsGVR        = schema.GroupVersionResource{Group: "leaderworkerset.x-k8s.io", Version: "v1", Resource: "leaderworkersets"}
	legacyPoolGVR = schema.GroupVersionResource{Group: "inference.networking.x-k8s.io", Version: "v1alpha2", Resource: "inferencepools"}
)

// eventually retries check for up to 90 s (the controllers converge after terraform returns).
func eventually(check func() error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var err error
		for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(time.Second) {
			if err = check(); err == nil {
				return nil
			}
		}
		return err
	}
}

// onGPUNodes: n pods matching selector run, each bound to a node with GPUs and asking for one.
func onGPUNodes(c *testcluster.Cluster, ns, selector string, n int) error {
	pods, err := c.RunningPods(context.Background(), ns, selector)
	if err != nil {
		return err
	}
	if len(pods) != n {
		return fmt.Errorf("%d pods %s running in %s, want %d", len(pods), selector, ns, n)
	}
	for i := range pods {
		p := &pods[i]
		node, err := c.Clientset.CoreV1().Nodes().Get(context.Background(), p.Spec.NodeName, metav1.GetOptions{})
		if err != nil {
			return fmt.Errorf("pod %s on node %q: %w", p.Name, p.Spec.NodeName, err)
		}
		if node.Labels["type"] != "kwok" || node.Status.Allocatable.Name("nvidia.com/gpu", "").Value() < 1 {
			return fmt.Errorf("pod %s on node %s, not a kwok GPU node", p.Name, node.Name)
		}
		ctr, err := testcluster.Container(p, "main")
		if err != nil {
			return err
		}
		if q := ctr.Resources.Limits[corev1.ResourceName("nvidia.com/gpu")]; q.Value() != 1 {
			return fmt.Errorf("pod %s asks for %d GPUs, want 1", p.Name, q.Value())
		}
	}
	return nil
}

// checkMultiNode: KServe's controller made LeaderWorkerSet "qwen-kserve-mn" of groups of
// size pods (a leader and its workers), and the LWS controller v0.9.0 made replicas groups of
// pods, all running on kwok GPU nodes.
func checkMultiNode(c *testcluster.Cluster, ns string, replicas, size int64) resource.TestCheckFunc {
	return eventually(func() error {
		lws, err := c.Dynamic.Resource(lwsGVR).Namespace(ns).Get(context.Background(), "qwen-kserve-mn", metav1.GetOptions{})
		if err != nil {
			return fmt.Errorf("the controller's LeaderWorkerSet: %w", err)
		}
		gotSize, _, _ := unstructured.NestedInt64(lws.Object, "spec", "leaderWorkerTemplate", "size")
		gotReplicas, _, _ := unstructured.NestedInt64(lws.Object, "spec", "replicas")
		if gotSize != size || gotReplicas != replicas {
			return fmt.Errorf("LeaderWorkerSet qwen-kserve-mn: %d groups of %d, want %d of %d", gotReplicas, gotSize, replicas, size)
		}
		sel := "leaderworkerset.sigs.k8s.io/name=qwen-kserve-mn"
		if err := onGPUNodes(c, ns, sel, int(replicas*size)); err != nil {
			return err
		}
		// one leader (worker-index 0) per group
		return onGPUNodes(c, ns, sel+",leaderworkerset.sigs.k8s.io/worker-index=0", int(replicas))
	})
}

// Multi-node (spec.worker) on the real controller: data parallelism 2 with one rank per pod
// puts each replica on two pods, so KServe v0.19.0 renders a LeaderWorkerSet
// (workload_multi_node.go) instead of a Deployment; the LWS controller creates leader and
// worker pods that the scheduler binds to kwok GPU nodes; the service becomes Ready; a scale
// adds a group; destroy leaves nothing (the LWS and its pods are garbage collected).
func TestAccKServeMultiNode(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t, testcluster.KServeLogName, "kube-scheduler", "kwok")
	ns := c.ShortNamespace(t, "kserve-mn")
	c.KwokGPUNodes(t, ns, 4, 1, map[string]string{"pool": ns})
	body := func(replicas int) string {
		return fmt.Sprintf(`name      = "qwen"
namespace = %q
runtime   = "kserve"
model     = "Qwen/Qwen3-0.6B"
replicas  = %d
gpus      = 1
kserve    = { data_parallel = 2, data_local_parallel = 1 }
`, ns, replicas)
	}
	resource.Test(t, acctest.TestCase(t, acctest.NothingLeft(c, []string{ns}, llmisvcGVR, lwsGVR),
		resource.TestStep{
			Config:            cfg(t, body(1)),
			ConfigStateChecks: []statecheck.StateCheck{attr("phase", knownvalue.StringExact("Running"))},
			Check:             checkMultiNode(c, ns, 1, 2),
		},
		resource.TestStep{ // scale: one more leader+worker group
			Config: cfg(t, body(2)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
			ConfigStateChecks: []statecheck.StateCheck{attr("phase", knownvalue.StringExact("Running")), attr("replicas", knownvalue.Int64Exact(2))},
			Check:             checkMultiNode(c, ns, 2, 2),
		},
	))
}

// checkPD: the controller's decode Deployment "qwen-kserve", prefill Deployment
// "qwen-kserve-prefill" and llm-d scheduler "qwen-kserve-router-scheduler" have their pods
// running (the model servers on kwok GPU nodes), and its InferencePool exists in both
// versions it writes.
func checkPD(c *testcluster.Cluster, ns string, prefill int) resource.TestCheckFunc {
	return eventually(func() error {
		ctx := context.Background()
		for name, n := range map[string]int{"qwen-kserve": 1, "qwen-kserve-prefill": prefill} {
			d, err := c.Clientset.AppsV1().Deployments(ns).Get(ctx, name, metav1.GetOptions{})
			if err != nil {
				return fmt.Errorf("the controller's Deployment %s: %w", name, err)
			}
			sel := metav1.FormatLabelSelector(d.Spec.Selector)
			if err := onGPUNodes(c, ns, sel, n); err != nil {
				return fmt.Errorf("Deployment %s: %w", name, err)
			}
		}
		d, err := c.Clientset.AppsV1().Deployments(ns).Get(ctx, "qwen-kserve-router-scheduler", metav1.GetOptions{})
		if err != nil {
			return fmt.Errorf("the controller's scheduler: %w", err)
		}
		if pods, err := c.RunningPods(ctx, ns, metav1.FormatLabelSelector(d.Spec.Selector)); err != nil || len(pods) != 1 {
			return fmt.Errorf("%d scheduler pods running (%v), want 1", len(pods), err)
		}
		for _, gvr := range []schema.GroupVersionResource{gateway.PoolGVR, legacyPoolGVR} {
			pools, err := c.Dynamic.Resource(gvr).Namespace(ns).List(ctx, metav1.ListOptions{})
			if err != nil || len(pools.Items) != 1 {
				return fmt.Errorf("%s: %v (%v), want the scheduler's", gvr.GroupVersion(), pools, err)
			}
		}
		return nil
	})
}

// P/D (spec.prefill) on the real controller: with the llm-d scheduler, KServe v0.19.0 makes
// the decode Deployment, the prefill Deployment, the scheduler Deployment and its
// InferencePool; the model-server pods run on kwok GPU nodes; scaling the prefill pool adds a
// prefill pod; destroy leaves nothing. The service never turns Ready here: the controller waits
// for a Gateway controller to accept the pool (InferencePoolReady False, WaitingForGateway) and
// none runs, so the test applies with wait_for_ready = false and checks that condition.
func waitingForGateway(c *testcluster.Cluster, ns string) resource.TestCheckFunc {
	return eventually(func() error {
		obj, err := c.Dynamic.Resource(llmisvcGVR).Namespace(ns).Get(context.Background(), "qwen", metav1.GetOptions{})
		if err != nil {
			return err
		}
		conds, _, _ := unstructured.NestedSlice(obj.Object, "status", "conditions")
		for _, raw := range conds {
			m, _ := raw.(map[string]any)
			if m["type"] == "InferencePoolReady" && m["status"] == "False" && m["reason"] == "WaitingForGateway" {
				return nil
			}
			if m["type"] != "InferencePoolReady" && m["type"] != "RouterReady" && m["type"] != "Ready" && m["status"] != "True" {
				return fmt.Errorf("condition %v %v: %v", m["type"], m["reason"], m["message"])
			}
		}
		return fmt.Errorf("no InferencePoolReady=False WaitingForGateway in %v", conds)
	})
}

func TestAccKServePrefillDecode(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t, testcluster.KServeLogName, "kube-scheduler", "kwok")
	// Without this CRD the controller's scheduler fails with SchedulerReconcileError: "failed to
	// get v1alpha2.InferencePool ...: no matches for kind "InferencePool" in version
	// "inference.networking.x-k8s.io/v1alpha2"" (seen here with only the v1 CRD installed).
	if err := testcluster.InstallLegacyInferencePoolCRD(context.Background(), c.RESTConfig, kserve.LegacyPoolGIEVersion); err != nil {
		t.Fatal(err)
	}
	ns := c.ShortNamespace(t, "kserve-pd")
	c.KwokGPUNodes(t, ns, 3, 1, map[string]string{"pool": ns})
	body := func(prefill int) string {
		return fmt.Sprintf(`name      = "qwen"
namespace = %q
runtime   = "kserve"
model     = "Qwen/Qwen3-0.6B"
mode      = "disaggregated"
disaggregated = {
  prefill_replicas = %d
  prefill_gpus     = 1
  decode_replicas  = 1
  decode_gpus      = 1
}
kserve = { scheduler = true }
wait_for_ready = false
`, ns, prefill)
	}
	resource.Test(t, acctest.TestCase(t, acctest.NothingLeft(c, []string{ns}, llmisvcGVR, gateway.PoolGVR, legacyPoolGVR),
		resource.TestStep{
			Config:            cfg(t, body(1)),
			ConfigStateChecks: []statecheck.StateCheck{attr("mode", knownvalue.StringExact("disaggregated"))},
			Check:             resource.ComposeTestCheckFunc(checkPD(c, ns, 1), waitingForGateway(c, ns)),
		},
		resource.TestStep{ // scale the prefill pool
			Config: cfg(t, body(2)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
			Check: resource.ComposeTestCheckFunc(checkPD(c, ns, 2), waitingForGateway(c, ns)),
		},
	))
}
