package operatorstest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// Labels the Dynamo 1.4 operator puts on component pods (ai-dynamo/dynamo deploy/operator
// internal/consts/consts.go @ 1.4.0: KubeLabelDynamoComponentType, KubeLabelDynamoNamespace).
const (
	dgdLabel       = "nvidia.com/dynamo-graph-deployment-name"
	componentLabel = "nvidia.com/dynamo-component-type"
	dynNSLabel     = "nvidia.com/dynamo-namespace"
)

func dynamoPods(c *testcluster.Cluster, ns, dgd, componentType string) ([]corev1.Pod, error) {
	return c.RunningPods(context.Background(), ns, dgdLabel+"="+dgd+","+componentLabel+"="+componentType)
}

// renderedComponent returns the main container of the component of that type in the
// DGD manifest we rendered (spec.components[].podTemplate, container "main").
func renderedComponent(s *terraform.State, addr, componentType string) (map[string]any, error) {
	m, err := acctest.StateManifest(s, addr)
	if err != nil {
		return nil, err
	}
	comps, _, _ := unstructured.NestedSlice(m, "spec", "components")
	for _, comp := range comps {
		cm, _ := comp.(map[string]any)
		if cm["type"] != componentType {
			continue
		}
		ctrs, _, _ := unstructured.NestedSlice(cm, "podTemplate", "spec", "containers")
		for _, ctr := range ctrs {
			if cc, _ := ctr.(map[string]any); cc["name"] == "main" {
				return cc, nil
			}
		}
	}
	return nil, fmt.Errorf("%s: no %s component with a main container in the manifest", addr, componentType)
}

func strs(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

// checkWorkerPods checks that want running pods of the component exist, each asking for
// gpus GPUs, on one of nodes, running our image with the command and arguments we rendered.
func checkWorkerPods(c *testcluster.Cluster, s *terraform.State, addr, ns, dgd, componentType string, want int, gpus int64, nodes []string) ([]corev1.Pod, error) {
	pods, err := dynamoPods(c, ns, dgd, componentType)
	if err != nil {
		return nil, err
	}
	if len(pods) != want {
		return nil, fmt.Errorf("%s/%s: %d running %s pods when apply returned, want %d", ns, dgd, len(pods), componentType, want)
	}
	rendered, err := renderedComponent(s, addr, componentType)
	if err != nil {
		return nil, err
	}
	for i := range pods {
		p := &pods[i]
		main, err := testcluster.Container(p, "main")
		if err != nil {
			return nil, err
		}
		if main.Image != rendered["image"] {
			return nil, fmt.Errorf("pod %s image %q, rendered %q", p.Name, main.Image, rendered["image"])
		}
		if g := testcluster.GPULimit(p); g != gpus {
			return nil, fmt.Errorf("pod %s nvidia.com/gpu limit %d, want %d", p.Name, g, gpus)
		}
		got := append(append([]string{}, main.Command...), main.Args...)
		want := append(strs(rendered["command"]), strs(rendered["args"])...)
		if !acctest.HasSubsequence(got, want) {
			return nil, fmt.Errorf("pod %s runs %q; the arguments we rendered %q did not reach the container", p.Name, got, want)
		}
		if !contains(nodes, p.Spec.NodeName) {
			return nil, fmt.Errorf("pod %s on node %q, want one of the kwok GPU nodes %v", p.Name, p.Spec.NodeName, nodes)
		}
	}
	return pods, nil
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func frontendEnv(c *testcluster.Cluster, ns, dgd, name string) (string, error) {
	pods, err := dynamoPods(c, ns, dgd, "frontend")
	if err != nil {
		return "", err
	}
	if len(pods) != 1 {
		return "", fmt.Errorf("%s/%s: %d running frontend pods, want 1", ns, dgd, len(pods))
	}
	main, err := testcluster.Container(&pods[0], "main")
	if err != nil {
		return "", err
	}
	v, ok := testcluster.EnvValue(main, name)
	if !ok {
		return "", fmt.Errorf("frontend pod %s has no %s: %v", pods[0].Name, name, main.Env)
	}
	return v, nil
}

// Aggregated vLLM on Dynamo 1.4 (v1beta1, the default): apply returns once the operator has
// made the component Deployments, kwok runs their pods and the operator reports the graph
// successful; the pods carry what we rendered. The same name in a second namespace does not
// collide (D9: the operator derives the Dynamo namespace "<ns>-<name>"). A replica change is
// Running only once the new worker pods exist, a template change only once the new worker
// generation has replaced the old one. Destroy leaves nothing behind.
func TestAccRealDynamoAggregatedVLLMLifecycle(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	ns1, ns2 := c.ShortNamespace(t, "dyn"), c.ShortNamespace(t, "dyn")
	// 4 one-GPU nodes: 3 GPUs in use after the scale-up, one spare for the rolling update's
	// surge pod (Dynamo 1.4 defaults maxSurge 25% rounded up, maxUnavailable 25% rounded down:
	// with 2 replicas the old generation goes only once a new pod is available;
	// internal/controller/dgd_worker_rollout_reconciler.go resolveRollingUpdateParams @ 1.4.0).
	nodes := gpuNodes(t, c, ns1, 4, 1)
	a := func(extra string) string {
		return acctest.Deployment("a", fmt.Sprintf(`name = "qwen"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"
router_mode = "kv"
%s`, ns1, extra))
	}
	b := acctest.Deployment("b", fmt.Sprintf(`name = "qwen"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"`, ns2))
	both := []string{"kubefoundry_model_deployment.a", "kubefoundry_model_deployment.b"}
	const A, B = "kubefoundry_model_deployment.a", "kubefoundry_model_deployment.b"
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns1, ns2),
		resource.TestStep{
			Config: acctest.Config(t, a(""), b, capacity(ns1, both...)),
			ConfigStateChecks: append([]statecheck.StateCheck{
				acctest.Attr(A, "phase", knownvalue.StringExact("Running")),
				acctest.Attr(A, "status_message", knownvalue.StringExact("")),
				acctest.Attr(A, "desired", knownvalue.Int64Exact(1)),
				acctest.Attr(A, "ready", knownvalue.Int64Exact(1)),
				acctest.Attr(A, "endpoint", knownvalue.StringExact("qwen-frontend."+ns1+".svc.cluster.local:8000")),
				acctest.Attr(B, "phase", knownvalue.StringExact("Running")),
				acctest.Attr(B, "ready", knownvalue.Int64Exact(1)),
				acctest.Attr(B, "endpoint", knownvalue.StringExact("qwen-frontend."+ns2+".svc.cluster.local:8000")),
			}, capacityIs(2, 2)...),
			Check: func(s *terraform.State) error {
				for _, x := range []struct{ addr, ns string }{{A, ns1}, {B, ns2}} {
					dgd, err := c.Dynamic.Resource(dgdGVR).Namespace(x.ns).Get(context.Background(), "qwen", metav1.GetOptions{})
					if err != nil {
						return err
					}
					if st, _, _ := unstructured.NestedString(dgd.Object, "status", "state"); st != "successful" {
						return fmt.Errorf("%s: we report Running but the operator says state %q", x.ns, st)
					}
					pods, err := checkWorkerPods(c, s, x.addr, x.ns, "qwen", "worker", 1, 1, nodes)
					if err != nil {
						return err
					}
					// D9: each graph in its own Dynamo namespace, derived from its Kubernetes namespace.
					if got := pods[0].Labels[dynNSLabel]; got != x.ns+"-qwen" {
						return fmt.Errorf("worker pod %s is in Dynamo namespace %q, want %q", pods[0].Name, got, x.ns+"-qwen")
					}
					if _, err := c.Clientset.CoreV1().Services(x.ns).Get(context.Background(), "qwen-frontend", metav1.GetOptions{}); err != nil {
						return fmt.Errorf("frontend Service: %w", err)
					}
				}
				mode, err := frontendEnv(c, ns1, "qwen", "DYN_ROUTER_MODE")
				if err != nil {
					return err
				}
				if mode != "kv" {
					return fmt.Errorf("frontend DYN_ROUTER_MODE = %q, want kv", mode)
				}
				return nil
			},
		},
		resource.TestStep{
			Config: acctest.Config(t, a("replicas = 2"), b, capacity(ns1, both...)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(A, plancheck.ResourceActionUpdate),
				plancheck.ExpectResourceAction(B, plancheck.ResourceActionNoop),
			}},
			ConfigStateChecks: append([]statecheck.StateCheck{
				acctest.Attr(A, "phase", knownvalue.StringExact("Running")),
				acctest.Attr(A, "desired", knownvalue.Int64Exact(2)),
				acctest.Attr(A, "ready", knownvalue.Int64Exact(2)),
			}, capacityIs(3, 1)...),
			Check: func(s *terraform.State) error {
				// Checked as soon as apply returned, without polling: the new generation is
				// Running only once the operator has rolled it out.
				if _, err := checkWorkerPods(c, s, A, ns1, "qwen", "worker", 2, 1, nodes); err != nil {
					return err
				}
				_, err := checkWorkerPods(c, s, B, ns2, "qwen", "worker", 1, 1, nodes)
				return err
			},
		},
		resource.TestStep{
			// A pod-template change: Dynamo 1.4 rolls workers out as a new worker generation
			// (a new "<name>-vllmdecodeworker-<hash>" Deployment). Running means the running
			// workers are the new ones, checked as soon as apply returns.
			Config: acctest.Config(t, a("replicas = 2\nengine_args = { max-num-seqs = \"16\" }"), b, capacity(ns1, both...)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(A, plancheck.ResourceActionUpdate),
			}},
			// Back to 3 GPUs in use: the old generation's pods are gone.
			ConfigStateChecks: append([]statecheck.StateCheck{
				acctest.Attr(A, "phase", knownvalue.StringExact("Running")),
				acctest.Attr(A, "ready", knownvalue.Int64Exact(2)),
			}, capacityIs(3, 1)...),
			Check: func(s *terraform.State) error {
				pods, err := checkWorkerPods(c, s, A, ns1, "qwen", "worker", 2, 1, nodes)
				if err != nil {
					return err
				}
				for _, p := range pods {
					main, _ := testcluster.Container(&p, "main")
					if !acctest.Contiguous(main.Args, "--max-num-seqs", "16") {
						return fmt.Errorf("running worker %s is of the old generation: %q", p.Name, main.Args)
					}
				}
				return nil
			},
		},
	))
}

// Disaggregated SGLang and TensorRT-LLM on Dynamo 1.4: the operator runs a prefill and a
// decode pod per graph, and the flags the engines need for P/D reach both containers:
// D2 `--host 0.0.0.0` for SGLang's bootstrap server, D3 TensorRT-LLM's
// cache_transceiver_config (and no overlap scheduler on the prefill worker).
// The frontend routes round-robin, the disaggregated default. Decode workers take 2 GPUs.
func TestAccRealDynamoDisaggregatedSGLangAndTRTLLM(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	ns := c.ShortNamespace(t, "dpd")
	// 4 nodes x 2 GPUs: whatever the order the scheduler places the 1-GPU prefill workers
	// in, two nodes stay whole for the 2-GPU decode workers.
	nodes := gpuNodes(t, c, ns, 4, 2)
	pd := func(label, name, engine string) string {
		return acctest.Deployment(label, fmt.Sprintf(`name = %q
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"
engine = %q
mode = "disaggregated"
disaggregated = {
  prefill_replicas = 1
  prefill_gpus     = 1
  decode_replicas  = 1
  decode_gpus      = 2
}`, name, ns, engine))
	}
	const SG, TRT = "kubefoundry_model_deployment.sg", "kubefoundry_model_deployment.trt"
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns), resource.TestStep{
		Config: acctest.Config(t, pd("sg", "sg", "sglang"), pd("trt", "trt", "trtllm"), capacity(ns, SG, TRT)),
		ConfigStateChecks: append([]statecheck.StateCheck{
			acctest.Attr(SG, "phase", knownvalue.StringExact("Running")),
			acctest.Attr(SG, "router_mode", knownvalue.StringExact("round-robin")),
			acctest.Attr(TRT, "phase", knownvalue.StringExact("Running")),
		}, capacityIs(6, 2)...),
		Check: func(s *terraform.State) error {
			for role, gpus := range map[string]int64{"prefill": 1, "decode": 2} {
				pods, err := checkWorkerPods(c, s, SG, ns, "sg", role, 1, gpus, nodes)
				if err != nil {
					return err
				}
				main, _ := testcluster.Container(&pods[0], "main")
				args := append(append([]string{}, main.Command...), main.Args...)
				if !acctest.Contiguous(args, "--host", "0.0.0.0") || !acctest.Contiguous(args, "--disaggregation-mode", role) {
					return fmt.Errorf("D2: SGLang %s pod %s runs %q, want --host 0.0.0.0 and --disaggregation-mode %s", role, pods[0].Name, args, role)
				}
				pods, err = checkWorkerPods(c, s, TRT, ns, "trt", role, 1, gpus, nodes)
				if err != nil {
					return err
				}
				main, _ = testcluster.Container(&pods[0], "main")
				// 1.4 takes these LLM arguments as --trtllm.<path> flags (trtllm/dynamic_flags.py
				// @ wxsms/dynamo e147ceea); --override-engine-args would exclude the user's own.
				trtArgs := append(append([]string{}, main.Command...), main.Args...)
				if !acctest.Contiguous(trtArgs, "--trtllm.cache_transceiver_config.backend", "DEFAULT") || slices.Contains(trtArgs, "--override-engine-args") {
					return fmt.Errorf("D3: TensorRT-LLM %s pod %s runs %q, want --trtllm.cache_transceiver_config.backend DEFAULT", role, pods[0].Name, trtArgs)
				}
				if overlapOff := acctest.Contiguous(trtArgs, "--trtllm.disable_overlap_scheduler", "true"); overlapOff != (role == "prefill") {
					return fmt.Errorf("D3: TensorRT-LLM %s pod %s: disable_overlap_scheduler in %q, want it on prefill only", role, pods[0].Name, trtArgs)
				}
			}
			for _, dgd := range []string{"sg", "trt"} {
				mode, err := frontendEnv(c, ns, dgd, "DYN_ROUTER_MODE")
				if err != nil {
					return err
				}
				if mode != "round-robin" {
					return fmt.Errorf("%s frontend DYN_ROUTER_MODE = %q, want round-robin", dgd, mode)
				}
			}
			return nil
		},
	}))
}

// dynamo { api_version = "v1alpha1" } on a Dynamo 1.4 cluster: the API server converts our
// v1alpha1 graph through the operator's conversion webhook to the v1beta1 storage version,
// the operator reconciles it, and we read its status back through v1alpha1 as Running.
func TestAccRealDynamoV1Alpha1ThroughConversionWebhook(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	ns := c.ShortNamespace(t, "dal")
	nodes := gpuNodes(t, c, ns, 1, 1)
	const M = "kubefoundry_model_deployment.m"
	body := acctest.Deployment("m", fmt.Sprintf(`name = "old"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"
dynamo = { api_version = "v1alpha1" }`, ns))
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns),
		resource.TestStep{
			Config: acctest.Config(t, body, capacity(ns, M)),
			ConfigStateChecks: append([]statecheck.StateCheck{
				acctest.Attr(M, "phase", knownvalue.StringExact("Running")),
				acctest.Attr(M, "status_message", knownvalue.StringExact("")),
				acctest.Attr(M, "ready", knownvalue.Int64Exact(1)),
			}, capacityIs(1, 0)...),
			Check: func(s *terraform.State) error {
				beta, err := c.Dynamic.Resource(dgdGVR).Namespace(ns).Get(context.Background(), "old", metav1.GetOptions{})
				if err != nil {
					return err
				}
				if st, _, _ := unstructured.NestedString(beta.Object, "status", "state"); st != "successful" {
					return fmt.Errorf("operator state %q", st)
				}
				pods, err := c.RunningPods(context.Background(), ns, dgdLabel+"=old,"+componentLabel+"=worker")
				if err != nil {
					return err
				}
				if len(pods) != 1 || testcluster.GPULimit(&pods[0]) != 1 || !contains(nodes, pods[0].Spec.NodeName) {
					return fmt.Errorf("want one 1-GPU worker pod on %v, got %d pods", nodes, len(pods))
				}
				if got := pods[0].Labels[dynNSLabel]; got != ns+"-old" {
					return fmt.Errorf("Dynamo namespace %q, want %q (D9)", got, ns+"-old")
				}
				return nil
			},
		},
		resource.TestStep{
			Config:           acctest.Config(t, body, capacity(ns, M)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
	))
}
