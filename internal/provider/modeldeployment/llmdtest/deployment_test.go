package llmdtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
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
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func argv(p *corev1.Pod, container string) ([]string, error) {
	ctr, err := testcluster.Container(p, container)
	if err != nil {
		return nil, err
	}
	return append(append([]string{}, ctr.Command...), ctr.Args...), nil
}

// checkLLMD checks what runs: `decode` model-server pods (and `prefill` ones) labelled as
// the llm-d guides label them and running `vllm serve <model>` with the flags, one Ready
// endpoint picker, and an InferencePool whose selector picks exactly this deployment's
// model-server pods (not the picker, not another deployment's pods).
func checkLLMD(c *testcluster.Cluster, ns, name string, decode, prefill int, guide string, flags ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx := context.Background()
		base := "app.kubernetes.io/instance=" + name + ",kubefoundry.io/provider=llmd"
		servers := map[string]bool{}
		for role, n := range map[string]int{"decode": decode, "prefill": prefill} {
			pods, err := acctest.WaitRunningPods(c, ns, base+",llm-d.ai/role="+role, n, 60*time.Second)
			if err != nil {
				return err
			}
			for i := range pods {
				p := &pods[i]
				servers[p.Name] = true
				if p.Labels["llm-d.ai/inference-serving"] != "true" || p.Labels["llm-d.ai/model"] != "Qwen3-0.6B" || p.Labels["llm-d.ai/guide"] != guide {
					return fmt.Errorf("pod %s labels %v", p.Name, p.Labels)
				}
				args, err := argv(p, "vllm")
				if err != nil {
					return err
				}
				if !acctest.Contiguous(args, "vllm", "serve", "Qwen/Qwen3-0.6B") || !acctest.Contiguous(args, flags...) {
					return fmt.Errorf("pod %s runs %q, want vllm serve Qwen/Qwen3-0.6B ... %q", p.Name, args, flags)
				}
				if guide == "pd-disaggregation" {
					if err := checkPDPod(p, role, args); err != nil {
						return err
					}
				}
			}
		}
		if _, err := acctest.WaitRunningPods(c, ns, "app.kubernetes.io/instance="+name+",app.kubernetes.io/component=endpoint-picker", 1, 60*time.Second); err != nil {
			return err
		}
		pool, err := c.Dynamic.Resource(gateway.PoolGVR).Namespace(ns).Get(ctx, gateway.PoolName(name), metav1.GetOptions{})
		if err != nil {
			return err
		}
		sel, _, _ := unstructured.NestedStringMap(pool.Object, "spec", "selector", "matchLabels")
		all, err := c.Clientset.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return err
		}
		for _, p := range all.Items {
			if p.DeletionTimestamp != nil || p.Status.Phase != corev1.PodRunning {
				continue
			}
			if picked := labels.SelectorFromSet(sel).Matches(labels.Set(p.Labels)); picked != servers[p.Name] {
				return fmt.Errorf("InferencePool selector %v picks pod %s: %v, want %v", sel, p.Name, picked, servers[p.Name])
			}
		}
		cm, err := c.Clientset.CoreV1().ConfigMaps(ns).Get(ctx, gateway.EPPName(name), metav1.GetOptions{})
		if err != nil {
			return err
		}
		conf := cm.Data["default-plugins.yaml"]
		if !strings.Contains(conf, "prefix-cache-scorer") || (guide == "pd-disaggregation") != strings.Contains(conf, "disagg-profile-handler") {
			return fmt.Errorf("EPP config for %s:\n%s", guide, conf)
		}
		return nil
	}
}

// checkPDPod: both roles are NIXL peers; decode pods serve 8000 through the routing sidecar
// and run vLLM on 8200.
func checkPDPod(p *corev1.Pod, role string, args []string) error {
	if !acctest.Contiguous(args, "--kv-transfer-config", `{"kv_connector":"NixlConnector","kv_role":"kv_both"}`) {
		return fmt.Errorf("pod %s: no NixlConnector kv-transfer-config in %q", p.Name, args)
	}
	port := "8000"
	if role == "decode" {
		port = "8200"
		if len(p.Spec.InitContainers) != 1 || p.Spec.InitContainers[0].Name != "routing-proxy" ||
			!acctest.Contiguous(p.Spec.InitContainers[0].Args, "--port=8000", "--model-server-port=8200", "--kv-connector=nixlv2") {
			return fmt.Errorf("decode pod %s: routing sidecar %+v", p.Name, p.Spec.InitContainers)
		}
	}
	if !acctest.Contiguous(args, "--port", port) {
		return fmt.Errorf("%s pod %s: vLLM not on %s: %q", role, p.Name, port, args)
	}
	return nil
}

// The optimized baseline end to end: create waits until the decode Deployment is rolled out
// and the picker is Ready; a scale and an engine flag change roll out; an out-of-band scale is
// drift the next apply reverts; import reads the same attributes back; destroy leaves nothing.
func TestAccLLMDBaselineLifecycle(t *testing.T) {
	t.Parallel()
	c := testcluster.Get(t)
	c.LogOnFailure(t, "kube-scheduler", "kwok")
	ns := c.ShortNamespace(t, "llmd")
	c.KwokGPUNodes(t, ns, 2, 1, map[string]string{"pool": ns})
	body := func(replicas int, maxSeqs string) string {
		return fmt.Sprintf(`name      = "qwen"
namespace = %q
runtime   = "llmd"
model     = "Qwen/Qwen3-0.6B"
replicas  = %d
engine_args = { "max-num-seqs" = %q }
`, ns, replicas, maxSeqs)
	}
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns, "qwen"),
		resource.TestStep{
			Config: cfg(t, body(1, "32")),
			ConfigStateChecks: []statecheck.StateCheck{
				attr("phase", knownvalue.StringExact("Running")),
				attr("ready", knownvalue.Int64Exact(1)),
				attr("mode", knownvalue.StringExact("aggregated")),
				attr("endpoint", knownvalue.StringExact("qwen-api."+ns+".svc.cluster.local:8000")),
				attr("vllm", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"nodes": knownvalue.Int64Exact(1), "tensor_parallel": knownvalue.Int64Exact(1),
					"pipeline_parallel": knownvalue.Int64Exact(1), "shared_memory": knownvalue.StringExact("2Gi")})),
			},
			Check: checkLLMD(c, ns, "qwen", 1, 0, "optimized-baseline", "--max-num-seqs", "32"),
		},
		resource.TestStep{ // scale
			Config: cfg(t, body(2, "32")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
			ConfigStateChecks: []statecheck.StateCheck{attr("phase", knownvalue.StringExact("Running")), attr("ready", knownvalue.Int64Exact(2))},
			Check:             checkLLMD(c, ns, "qwen", 2, 0, "optimized-baseline", "--max-num-seqs", "32"),
		},
		resource.TestStep{ // a flag change rolls the pods
			Config:            cfg(t, body(2, "64")),
			ConfigStateChecks: []statecheck.StateCheck{attr("phase", knownvalue.StringExact("Running")), attr("ready", knownvalue.Int64Exact(2))},
			Check:             checkLLMD(c, ns, "qwen", 2, 0, "optimized-baseline", "--max-num-seqs", "64"),
		},
		resource.TestStep{ // drift: someone scales the decode Deployment down
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
			Check:             checkLLMD(c, ns, "qwen", 2, 0, "optimized-baseline", "--max-num-seqs", "64"),
		},
		resource.TestStep{
			ResourceName: addr, ImportState: true, ImportStateId: ns + "/qwen", ImportStateVerify: true,
			ImportStateVerifyIgnore: []string{"timeouts", "status_message"},
		},
	))
}

// P/D disaggregation: prefill and decode Deployments, the routing sidecar on decode pods, an
// EPP with the P/D profile handler. Scaling the prefill pool (a companion Deployment) waits
// for its new pod; deleting the prefill Deployment out of band is drift the apply repairs;
// import reads the prefill pool back from the decode Deployment.
func TestAccLLMDPDLifecycle(t *testing.T) {
	t.Parallel()
	c := testcluster.Get(t)
	c.LogOnFailure(t, "kube-scheduler", "kwok")
	ns := c.ShortNamespace(t, "llmd-pd")
	c.KwokGPUNodes(t, ns, 3, 1, map[string]string{"pool": ns})
	body := func(prefill int) string {
		return fmt.Sprintf(`name      = "pd"
namespace = %q
runtime   = "llmd"
model     = "Qwen/Qwen3-0.6B"
mode      = "disaggregated"
disaggregated = {
  prefill_replicas = %d
  prefill_gpus     = 1
  decode_replicas  = 1
  decode_gpus      = 1
}
`, ns, prefill)
	}
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns, "pd"),
		resource.TestStep{
			Config: cfg(t, body(1)),
			ConfigStateChecks: []statecheck.StateCheck{
				attr("phase", knownvalue.StringExact("Running")),
				attr("ready", knownvalue.Int64Exact(2)),
				attr("mode", knownvalue.StringExact("disaggregated")),
			},
			Check: checkLLMD(c, ns, "pd", 1, 1, "pd-disaggregation"),
		},
		resource.TestStep{ // scale the prefill pool
			Config: cfg(t, body(2)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
			ConfigStateChecks: []statecheck.StateCheck{attr("phase", knownvalue.StringExact("Running")), attr("ready", knownvalue.Int64Exact(3))},
			Check:             checkLLMD(c, ns, "pd", 1, 2, "pd-disaggregation"),
		},
		resource.TestStep{ // drift: the prefill Deployment is scaled down out of band
			PreConfig: func() {
				patch := []byte(`{"spec":{"replicas":1}}`)
				if _, err := c.Clientset.AppsV1().Deployments(ns).Patch(context.Background(), "pd-prefill", types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
					t.Fatal(err)
				}
			},
			Config:             cfg(t, body(2)),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		},
		resource.TestStep{ // the apply repairs it
			Config:            cfg(t, body(2)),
			ConfigStateChecks: []statecheck.StateCheck{attr("phase", knownvalue.StringExact("Running")), attr("ready", knownvalue.Int64Exact(3))},
			Check:             checkLLMD(c, ns, "pd", 1, 2, "pd-disaggregation"),
		},
		resource.TestStep{
			ResourceName: addr, ImportState: true, ImportStateId: ns + "/pd", ImportStateVerify: true,
			ImportStateVerifyIgnore: []string{"timeouts", "status_message"},
		},
	))
}

// A prefill pod wider than any node: the decode pod and the picker run, yet the wait ends at
// once with the scheduler's words about the prefill pod.
func TestAccLLMDUnschedulablePrefillFailsFastWithSchedulerMessage(t *testing.T) {
	t.Parallel()
	c := testcluster.Get(t)
	ns := c.ShortNamespace(t, "llmd-big")
	c.KwokGPUNodes(t, ns, 1, 1, map[string]string{"pool": ns})
	body := fmt.Sprintf(`name      = "big"
namespace = %q
runtime   = "llmd"
model     = "Qwen/Qwen3-0.6B"
mode      = "disaggregated"
disaggregated = {
  prefill_replicas = 1
  prefill_gpus     = 8
  decode_replicas  = 1
  decode_gpus      = 1
}
gpu_fit_check = "off"
timeouts {
  create = "5m"
}`, ns)
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns, "big"),
		acctest.FailsFast(t, cfg(t, body), regexp.MustCompile(`(?s)big-prefill.*Insufficient\s+nvidia\.com/gpu`), "insufficient-GPU failure")...))
}

// Plan-time diagnostics name the attribute (no cluster object is made).
func TestAccLLMDPlanRejectsWhatTheWellLitPathsDoNotRun(t *testing.T) {
	t.Parallel()
	base := `name    = "bad"
runtime = "llmd"
model   = "Qwen/Qwen3-0.6B"
`
	resource.Test(t, acctest.TestCase(t, nil,
		resource.TestStep{
			Config: cfg(t, base+`router_mode = "kv"`), PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)router_mode.*endpoint\s+picker`),
		},
		resource.TestStep{
			Config: cfg(t, base+"mode = \"disaggregated\"\nvllm = { tensor_parallel = 2 }"), PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)vllm\.tensor_parallel.*each\s+role\s+runs\s+tensor\s+parallel`),
		},
		resource.TestStep{
			Config: cfg(t, base+"vllm = { nodes = 2 }"), PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)vllm\.nodes.*one\s+pod\s+per\s+replica`),
		},
	))
}

// The example plans with no cluster configured: attribute names by terraform, values by the provider.
func TestAccLLMDExamplePlansOffline(t *testing.T) {
	root, err := testcluster.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(filepath.Join(root, "examples/resources/kubefoundry_model_deployment/llmd.tf"))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "none"))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:             `provider "kubefoundry" {}` + "\n" + string(body),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})
}
