package vllmtest

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
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

const serverPods = "app.kubernetes.io/instance=qwen,kubefoundry.io/provider=vllm,app.kubernetes.io/component=server"

// checkServers waits until n vLLM pods of the Deployment run on the kwok nodes (the
// controller-manager's ReplicaSet made them, the scheduler bound them) and checks what they
// run: the pinned image, `vllm serve <model>` with the given flag, one GPU, the /health
// probes; and the API Service selecting them.
func checkServers(c *testcluster.Cluster, ns string, n int, flag ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		pods, err := acctest.WaitRunningPods(c, ns, serverPods, n, 60*time.Second)
		if err != nil {
			return err
		}
		for i := range pods {
			ctr, err := testcluster.Container(&pods[i], "vllm")
			if err != nil {
				return err
			}
			argv := append(append([]string{}, ctr.Command...), ctr.Args...)
			if !acctest.Contiguous(argv, "vllm", "serve", "Qwen/Qwen3-0.6B") || !acctest.Contiguous(argv, flag...) {
				return fmt.Errorf("pod %s runs %q, want vllm serve Qwen/Qwen3-0.6B ... %q", pods[i].Name, argv, flag)
			}
			if gpus(ctr) != 1 || ctr.ReadinessProbe == nil || ctr.ReadinessProbe.HTTPGet == nil || ctr.ReadinessProbe.HTTPGet.Path != "/health" {
				return fmt.Errorf("pod %s: gpus %d, readiness probe %+v", pods[i].Name, gpus(ctr), ctr.ReadinessProbe)
			}
		}
		svc, err := c.Clientset.CoreV1().Services(ns).Get(context.Background(), "qwen-api", metav1.GetOptions{})
		if err != nil {
			return err
		}
		if svc.Spec.Selector["app.kubernetes.io/component"] != "server" || svc.Spec.Ports[0].Port != 8000 {
			return fmt.Errorf("Service qwen-api: selector %v, ports %v", svc.Spec.Selector, svc.Spec.Ports)
		}
		return nil
	}
}

// runtime = "vllm" end to end against the controller-manager (Deployment and ReplicaSet
// controllers), the scheduler and kwok GPU nodes: create waits until the Deployment is rolled
// out, a scale and an engine flag change roll out (one pod at a time: maxSurge 0, so the
// update needs no spare GPU), an out-of-band scale is drift that the next apply reverts,
// import reads back the same attributes, and destroy leaves nothing.
func TestAccVLLMDeploymentLifecycle(t *testing.T) {
	t.Parallel()
	c := testcluster.Get(t)
	c.LogOnFailure(t, "kube-scheduler", "kwok")
	ns := c.ShortNamespace(t, "vllm")
	c.KwokGPUNodes(t, ns, 2, 1, map[string]string{"pool": ns})
	body := func(replicas int, maxSeqs string) string {
		return fmt.Sprintf(`name      = "qwen"
namespace = %q
runtime   = "vllm"
model     = "Qwen/Qwen3-0.6B"
replicas  = %d
engine_args = { "max-num-seqs" = %q }
`, ns, replicas, maxSeqs)
	}
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns),
		resource.TestStep{
			Config: cfg(t, body(1, "32")),
			ConfigStateChecks: []statecheck.StateCheck{
				attr("phase", knownvalue.StringExact("Running")),
				attr("ready", knownvalue.Int64Exact(1)),
				attr("endpoint", knownvalue.StringExact("qwen-api."+ns+".svc.cluster.local:8000")),
				attr("vllm", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"nodes": knownvalue.Int64Exact(1), "tensor_parallel": knownvalue.Int64Exact(1),
					"pipeline_parallel": knownvalue.Int64Exact(1), "shared_memory": knownvalue.StringExact("2Gi")})),
			},
			Check: checkServers(c, ns, 1, "--max-num-seqs", "32"),
		},
		resource.TestStep{ // scale
			Config: cfg(t, body(2, "32")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
			ConfigStateChecks: []statecheck.StateCheck{attr("phase", knownvalue.StringExact("Running")), attr("ready", knownvalue.Int64Exact(2))},
			Check:             checkServers(c, ns, 2, "--max-num-seqs", "32"),
		},
		resource.TestStep{ // a flag change rolls the pods
			Config: cfg(t, body(2, "64")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
			ConfigStateChecks: []statecheck.StateCheck{attr("phase", knownvalue.StringExact("Running")), attr("ready", knownvalue.Int64Exact(2))},
			Check:             checkServers(c, ns, 2, "--max-num-seqs", "64"),
		},
		resource.TestStep{ // drift: someone scales the Deployment down
			PreConfig: func() {
				patch := []byte(`{"spec":{"replicas":1}}`)
				if _, err := c.Clientset.AppsV1().Deployments(ns).Patch(context.Background(), "qwen", types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
					t.Fatal(err)
				}
			},
			Config:             cfg(t, body(2, "64")),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		},
		resource.TestStep{ // the apply reverts it
			Config:            cfg(t, body(2, "64")),
			ConfigStateChecks: []statecheck.StateCheck{attr("replicas", knownvalue.Int64Exact(2)), attr("ready", knownvalue.Int64Exact(2))},
			Check:             checkServers(c, ns, 2, "--max-num-seqs", "64"),
		},
		resource.TestStep{
			ResourceName: addr, ImportState: true, ImportStateId: ns + "/qwen", ImportStateVerify: true,
			ImportStateVerifyIgnore: []string{"timeouts", "status_message"},
		},
	))
}

// More GPUs per pod than any node has: the wait ends at once with the scheduler's words.
func TestAccVLLMUnschedulableFailsFastWithSchedulerMessage(t *testing.T) {
	t.Parallel()
	c := testcluster.Get(t)
	ns := c.ShortNamespace(t, "vllm-big")
	c.KwokGPUNodes(t, ns, 1, 1, map[string]string{"pool": ns})
	body := fmt.Sprintf(`name      = "big"
namespace = %q
runtime   = "vllm"
model     = "Qwen/Qwen3-0.6B"
gpus      = 8
timeouts {
  create = "5m"
}`, ns)
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns),
		acctest.FailsFast(t, cfg(t, body), regexp.MustCompile(`(?s)Insufficient\s+nvidia\.com/gpu`), "insufficient-GPU failure")...))
}

// Plan-time diagnostics name the attribute (no cluster object is made).
func TestAccVLLMPlanRejectsDisaggregatedAndMismatchedParallelism(t *testing.T) {
	t.Parallel()
	base := `name    = "bad"
runtime = "vllm"
model   = "Qwen/Qwen3-0.6B"
`
	resource.Test(t, acctest.TestCase(t, nil,
		resource.TestStep{
			Config: cfg(t, base+`mode = "disaggregated"`), PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)mode.*aggregated\s+only`),
		},
		resource.TestStep{
			Config: cfg(t, base+"gpus = 4\nvllm = { tensor_parallel = 2 }"), PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)vllm\.tensor_parallel.*one\s+per\s+GPU`),
		},
	))
}
