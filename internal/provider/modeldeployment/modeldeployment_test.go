package modeldeployment_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// outcomes tells the played operator what to report per deployment name (default: Running).
var outcomes sync.Map

func TestMain(m *testing.M) {
	// Persisting Dynamo failures end a wait after this grace (production: 2 minutes).
	rt.TransientFailureGrace = 5 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	acctest.MainWith(m, func(c *testcluster.Cluster) func() {
		go testcluster.PlayOperators(ctx, c.Dynamic, func(_ string, obj *unstructured.Unstructured) testcluster.Outcome {
			if o, ok := outcomes.Load(obj.GetName()); ok {
				return o.(testcluster.Outcome)
			}
			if strings.HasPrefix(obj.GetName(), "ready-") {
				return testcluster.Outcome{Phase: "Deploying"} // BenchmarkReadyNoticed flips these itself
			}
			return testcluster.Outcome{Phase: "Running", Delay: 500 * time.Millisecond}
		})
		return cancel
	})
}

const addr = "kubefoundry_model_deployment.m"

func steps(t *testing.T, s ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    s,
	}
}

func config(t *testing.T, body string) string {
	return acctest.ProviderBlock(t, "") + "resource \"kubefoundry_model_deployment\" \"m\" {\n" + body + "\n}\n"
}

func exact(attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New(attr), v)
}

func getObject(t *testing.T, runtimeID, ns, name string) *unstructured.Unstructured {
	t.Helper()
	obj, err := testcluster.Get(t).Dynamic.Resource(testcluster.GVRFor(runtimeID)).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("getting %s/%s: %v", ns, name, err)
	}
	return obj
}

func TestAccModelDeploymentDynamoLifecycle(t *testing.T) {
	ns := testcluster.Get(t).Namespace(t)
	base := fmt.Sprintf(`name = "qwen"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"`, ns)
	resource.Test(t, steps(t,
		resource.TestStep{
			Config: config(t, base),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("manifest"), knownvalue.StringRegexp(regexp.MustCompile(`kind: DynamoGraphDeployment`))),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("engine"), knownvalue.StringExact("vllm")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				exact("id", knownvalue.StringExact(ns+"/qwen")),
				exact("phase", knownvalue.StringExact("Running")),
				exact("status_message", knownvalue.StringExact("")),
				exact("replicas", knownvalue.Int64Exact(1)),
				exact("gpus", knownvalue.Int64Exact(1)),
				exact("mode", knownvalue.StringExact("aggregated")),
				exact("router_mode", knownvalue.StringExact("none")),
				exact("enforce_eager", knownvalue.Bool(true)),
				exact("endpoint", knownvalue.StringExact("qwen-frontend."+ns+".svc.cluster.local:8000")),
			},
		},
		// Update in place; the wait notices the operator's status for generation 2.
		resource.TestStep{
			Config: config(t, base+"\nreplicas = 2\nrouter_mode = \"kv\""),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				exact("replicas", knownvalue.Int64Exact(2)),
				exact("router_mode", knownvalue.StringExact("kv")),
				exact("phase", knownvalue.StringExact("Running")),
			},
			Check: func(*terraform.State) error {
				obj := getObject(t, "dynamo", ns, "qwen")
				if obj.GetGeneration() != 2 {
					return fmt.Errorf("generation %d, want 2", obj.GetGeneration())
				}
				if obj.GetAPIVersion() != "nvidia.com/v1beta1" {
					return fmt.Errorf("apiVersion %s, want the default nvidia.com/v1beta1", obj.GetAPIVersion())
				}
				env, _, _ := unstructured.NestedSlice(component(t, obj, "Frontend"), "podTemplate", "spec", "containers")
				if !strings.Contains(fmt.Sprint(env), "DYN_ROUTER_MODE") {
					return fmt.Errorf("router mode not in Frontend env: %v", env)
				}
				return nil
			},
		},
		// Import by ID: the follow-up plan is empty.
		resource.TestStep{
			ResourceName:            addr,
			ImportState:             true,
			ImportStateId:           ns + "/qwen",
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: []string{"timeouts", "status_message"},
		},
		resource.TestStep{
			Config:           config(t, base+"\nreplicas = 2\nrouter_mode = \"kv\""),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
	))
}

func TestAccModelDeploymentDrift(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	cfg := config(t, fmt.Sprintf(`name = "drift"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"
engine = "sglang"`, ns))
	ctx := context.Background()
	resource.Test(t, steps(t,
		resource.TestStep{Config: cfg},
		// Another manager edits a field we own: refresh shows it, plan restores it.
		resource.TestStep{
			PreConfig: func() {
				obj := getObject(t, "dynamo", ns, "drift")
				component(t, obj, "SglangWorker")["replicas"] = int64(4)
				if _, err := c.Dynamic.Resource(testcluster.DynamoGVR).Namespace(ns).Update(ctx, obj, metav1.UpdateOptions{FieldManager: "kubectl-edit"}); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
			}},
			Check: func(*terraform.State) error {
				r, _, _ := unstructured.NestedInt64(component(t, getObject(t, "dynamo", ns, "drift"), "SglangWorker"), "replicas")
				if r != 1 {
					return fmt.Errorf("replicas %d after apply, want 1 restored", r)
				}
				return nil
			},
		},
		// Deleted out of band: planned for creation again.
		resource.TestStep{
			PreConfig: func() {
				if err := c.Dynamic.Resource(testcluster.DynamoGVR).Namespace(ns).Delete(ctx, "drift", metav1.DeleteOptions{}); err != nil {
					t.Fatal(err)
				}
				waitGone(t, "dynamo", ns, "drift")
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
			}},
		},
	))
}

// component returns the spec.components entry of a v1beta1 DynamoGraphDeployment (the map
// inside obj, so edits write through).
func component(t *testing.T, obj *unstructured.Unstructured, name string) map[string]any {
	t.Helper()
	raw, _, _ := unstructured.NestedFieldNoCopy(obj.Object, "spec", "components")
	list, _ := raw.([]any)
	for _, item := range list {
		if c, ok := item.(map[string]any); ok && c["name"] == name {
			return c
		}
	}
	t.Fatalf("%s has no component %s", obj.GetName(), name)
	return nil
}

func waitGone(t *testing.T, runtimeID, ns, name string) {
	t.Helper()
	for range 300 {
		_, err := testcluster.Get(t).Dynamic.Resource(testcluster.GVRFor(runtimeID)).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{})
		if err != nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s/%s not deleted", ns, name)
}

func TestAccModelDeploymentFailsFastWithCause(t *testing.T) {
	ns := testcluster.Get(t).Namespace(t)
	outcomes.Store("broken", testcluster.Outcome{Phase: "Failed", Message: "VllmWorker: model weights not found", Delay: 200 * time.Millisecond,
		Reason: "no_multinode_orchestrator_available"}) // a reason the 1.4 operator never retries
	resource.Test(t, steps(t, resource.TestStep{
		Config: config(t, fmt.Sprintf(`name = "broken"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"`, ns)),
		ExpectError: regexp.MustCompile(`(?s)Model deployment is not ready.*no_multinode_orchestrator_available:\s+VllmWorker:\s+model\s+weights\s+not\s+found`),
	}))
}

func TestAccModelDeploymentTimeoutReportsCause(t *testing.T) {
	ns := testcluster.Get(t).Namespace(t)
	outcomes.Store("slow", testcluster.Outcome{Phase: "Deploying"})
	resource.Test(t, steps(t, resource.TestStep{
		Config: config(t, fmt.Sprintf(`name = "slow"
namespace = %q
runtime = "kaito"
model = "kaito/llama3.2-1b"
timeouts {
  create = "4s"
}`, ns)),
		ExpectError: regexp.MustCompile(`(?s)timed\s+out\s+waiting.*last\s+phase\s+Deploying:.*InferenceReady:\s+WorkspaceInferenceStatusPending`),
	}))
}

func TestAccModelDeploymentKubeRayDisaggregated(t *testing.T) {
	ns := testcluster.Get(t).Namespace(t)
	resource.Test(t, steps(t, resource.TestStep{
		Config: config(t, fmt.Sprintf(`name = "ray-pd"
namespace = %q
runtime = "kuberay"
model = "Qwen/Qwen3-0.6B"
mode = "disaggregated"
disaggregated = {
  prefill_gpus = 2
}
kuberay = {
  max_num_seqs = 64
}`, ns)),
		ConfigStateChecks: []statecheck.StateCheck{
			exact("phase", knownvalue.StringExact("Running")),
			exact("disaggregated", knownvalue.ObjectExact(map[string]knownvalue.Check{
				"prefill_replicas": knownvalue.Int64Exact(1), "prefill_gpus": knownvalue.Int64Exact(2),
				"decode_replicas": knownvalue.Int64Exact(1), "decode_gpus": knownvalue.Int64Exact(1),
			})),
			exact("manifest", knownvalue.StringRegexp(regexp.MustCompile(`build_pd_openai_app`))),
		},
	}))
}

func TestAccModelDeploymentKaitoVLLMCompanionService(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	resource.Test(t, steps(t, resource.TestStep{
		Config: config(t, fmt.Sprintf(`name = "kvllm"
namespace = %q
runtime = "kaito"
model = "Qwen/Qwen3-0.6B"
kaito = {
  model_source = "vllm"
}`, ns)),
		ConfigStateChecks: []statecheck.StateCheck{
			exact("phase", knownvalue.StringExact("Running")),
			exact("engine", knownvalue.StringExact("vllm")),
			exact("endpoint", knownvalue.StringExact("kvllm-vllm."+ns+".svc.cluster.local:8000")),
		},
		Check: func(*terraform.State) error {
			_, err := c.Clientset.CoreV1().Services(ns).Get(context.Background(), "kvllm-vllm", metav1.GetOptions{})
			return err
		},
	}))
}

func TestAccModelDeploymentWriteOnlyToken(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	const token = "hf_writeonly_secret_value_123"
	stateDir := t.TempDir()
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		WorkingDir:               stateDir,
		Steps: []resource.TestStep{{
			Config: config(t, fmt.Sprintf(`name = "gated"
namespace = %q
runtime = "dynamo"
model = "meta-llama/Llama-3.2-1B-Instruct"
hf_token_wo = %q
hf_token_wo_version = 1`, ns, token)),
			ConfigStateChecks: []statecheck.StateCheck{
				exact("hf_token_secret", knownvalue.StringExact("gated-hf-token")),
				exact("hf_token_wo", knownvalue.Null()),
			},
			Check: func(s *terraform.State) error {
				sec, err := c.Clientset.CoreV1().Secrets(ns).Get(context.Background(), "gated-hf-token", metav1.GetOptions{})
				if err != nil {
					return err
				}
				if string(sec.Data["HF_TOKEN"]) != token {
					return fmt.Errorf("secret holds %q", sec.Data["HF_TOKEN"])
				}
				return assertNotInFiles(stateDir, token)
			},
		}},
	})
}

// assertNotInFiles fails when any file under dir other than the configuration (state,
// plans, logs) contains s.
func assertNotInFiles(dir, s string) error {
	var found []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".tf") {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(b), s) {
			found = append(found, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(found) > 0 {
		return fmt.Errorf("token found in %v", found)
	}
	return nil
}

// TestAccModelDeploymentGPUFitCheck: with the cluster reachable, a plan that cannot fit
// the free GPUs fails when asked to (the test cluster's nodes in this package have none).
func TestAccModelDeploymentGPUFitCheck(t *testing.T) {
	ns := testcluster.Get(t).Namespace(t)
	resource.Test(t, steps(t, resource.TestStep{
		Config: config(t, fmt.Sprintf(`name = "toobig"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"
gpus = 4
gpu_fit_check = "error"`, ns)),
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)does not fit the cluster's GPUs.*needs\s+4\s+GPUs\s+in\s+total\s+but\s+only\s+0\s+are\s+free.*gpu_fit_check`),
	}))
}
