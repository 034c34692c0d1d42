package vllmtest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// checkGroups waits until `groups` LeaderWorkerSet groups of two pods run and checks what
// the real LWS controller and its pod webhook made of the rendered templates: a leader pod
// "<name>-<g>" (component server, selected by the API Service) that starts the Ray head and
// vllm serve with the Ray executor, and a worker pod "<name>-<g>-1" (component ray-worker,
// not selected) that joins it; the webhook gave both LWS_LEADER_ADDRESS and LWS_GROUP_SIZE,
// which the scripts read; each holds one GPU.
func checkGroups(c *testcluster.Cluster, ns string, groups int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		const sel = "app.kubernetes.io/instance=mn,kubefoundry.io/provider=vllm"
		pods, err := acctest.WaitRunningPods(c, ns, sel, 2*groups, 90*time.Second)
		if err != nil {
			return fmt.Errorf("the LeaderWorkerSet's pods: %w", err)
		}
		svc, err := c.Clientset.CoreV1().Services(ns).Get(context.Background(), "mn-api", metav1.GetOptions{})
		if err != nil {
			return err
		}
		selected := labels.SelectorFromSet(svc.Spec.Selector)
		for g := range groups {
			byName := map[string]*corev1.Pod{}
			for i := range pods {
				byName[pods[i].Name] = &pods[i]
			}
			leader, worker := byName[fmt.Sprintf("mn-%d", g)], byName[fmt.Sprintf("mn-%d-1", g)]
			if leader == nil || worker == nil {
				return fmt.Errorf("group %d: leader or worker pod missing among %v", g, names(pods))
			}
			for _, p := range []*corev1.Pod{leader, worker} {
				ctr, err := testcluster.Container(p, "vllm")
				if err != nil {
					return err
				}
				if _, ok := testcluster.EnvValue(ctr, "LWS_LEADER_ADDRESS"); !ok {
					return fmt.Errorf("pod %s: the LWS pod webhook set no LWS_LEADER_ADDRESS (env %v)", p.Name, ctr.Env)
				}
				if size, _ := testcluster.EnvValue(ctr, "LWS_GROUP_SIZE"); size != "2" {
					return fmt.Errorf("pod %s: LWS_GROUP_SIZE = %q, want 2", p.Name, size)
				}
				if gpus(ctr) != 1 {
					return fmt.Errorf("pod %s: %d GPUs, want 1", p.Name, gpus(ctr))
				}
			}
			lc, _ := testcluster.Container(leader, "vllm")
			wc, _ := testcluster.Container(worker, "vllm")
			if script := strings.Join(lc.Command, " "); !strings.Contains(script, "ray start --head") || !acctest.Contiguous(lc.Args, "--distributed-executor-backend", "ray") ||
				!acctest.Contiguous(lc.Args, "--tensor-parallel-size", "2") {
				return fmt.Errorf("leader %s runs %q %q", leader.Name, lc.Command, lc.Args)
			}
			if script := strings.Join(wc.Command, " "); !strings.Contains(script, `ray start --address="$LWS_LEADER_ADDRESS:6379"`) {
				return fmt.Errorf("worker %s runs %q", worker.Name, wc.Command)
			}
			if !selected.Matches(labels.Set(leader.Labels)) || selected.Matches(labels.Set(worker.Labels)) {
				return fmt.Errorf("Service mn-api (selector %v) must select leader %s and not worker %s", svc.Spec.Selector, leader.Name, worker.Name)
			}
		}
		return nil
	}
}

func names(pods []corev1.Pod) []string {
	out := make([]string, len(pods))
	for i, p := range pods {
		out[i] = p.Name
	}
	return out
}

// Multi-node vLLM against the real LeaderWorkerSet controller v0.9.0: a Deployment becomes a
// LeaderWorkerSet when vllm.nodes goes from 1 to 2 (planned as a replacement: the kind
// changes), waits until the LWS reports Available, scales to two groups in place, imports,
// and destroys without leaving pods.
func TestAccVLLMMultiNodeLeaderWorkerSet(t *testing.T) {
	t.Parallel()
	c := testcluster.Get(t)
	c.LogOnFailure(t, testcluster.LWSLogName, "kube-scheduler", "kwok")
	ns := c.ShortNamespace(t, "vllm-mn")
	c.KwokGPUNodes(t, ns, 4, 1, map[string]string{"pool": ns})
	body := func(replicas, nodes int) string {
		return fmt.Sprintf(`name      = "mn"
namespace = %q
runtime   = "vllm"
model     = "Qwen/Qwen3-8B"
replicas  = %d
vllm      = { nodes = %d }
`, ns, replicas, nodes)
	}
	running := func(ready int64) []statecheck.StateCheck {
		return []statecheck.StateCheck{attr("phase", knownvalue.StringExact("Running")), attr("ready", knownvalue.Int64Exact(ready))}
	}
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns),
		resource.TestStep{Config: cfg(t, body(1, 1)), ConfigStateChecks: running(1)},
		resource.TestStep{
			Config: cfg(t, body(1, 2)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)}},
			ConfigStateChecks: append(running(1), attr("vllm", knownvalue.ObjectExact(map[string]knownvalue.Check{
				"nodes": knownvalue.Int64Exact(2), "tensor_parallel": knownvalue.Int64Exact(2),
				"pipeline_parallel": knownvalue.Int64Exact(1), "shared_memory": knownvalue.StringExact("2Gi")}))),
			Check: resource.ComposeTestCheckFunc(checkGroups(c, ns, 1), func(*terraform.State) error {
				if _, err := c.Clientset.AppsV1().Deployments(ns).Get(context.Background(), "mn", metav1.GetOptions{}); err == nil {
					return fmt.Errorf("the Deployment mn is still there after the replacement")
				}
				return nil
			}),
		},
		resource.TestStep{
			Config: cfg(t, body(2, 2)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
			ConfigStateChecks: running(2),
			Check:             checkGroups(c, ns, 2),
		},
		resource.TestStep{
			ResourceName: addr, ImportState: true, ImportStateId: ns + "/mn", ImportStateVerify: true,
			ImportStateVerifyIgnore: []string{"timeouts", "status_message"},
		},
	))
}
