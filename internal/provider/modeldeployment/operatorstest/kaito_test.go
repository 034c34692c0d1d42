package operatorstest

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
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// kaitoWorkspaceLabel is the label KAITO 0.12 puts on a workspace's pods
// (kaito-project/kaito pkg/utils/consts, "kaito.sh/workspace", v0.12.0).
const kaitoWorkspaceLabel = "kaito.sh/workspace"

// checkKAITOPods checks the workspace's running pods: want of them, each on one of the
// test's nodes, required to by a node affinity built from our label_selector, asking for
// gpus GPUs and running the container we rendered.
func checkKAITOPods(c *testcluster.Cluster, s *terraform.State, addr, ns, name, pool string, want int, gpus int64, nodes []string) ([]corev1.Pod, error) {
	pods, err := c.RunningPods(context.Background(), ns, kaitoWorkspaceLabel+"="+name)
	if err != nil {
		return nil, err
	}
	if len(pods) != want {
		return nil, fmt.Errorf("%d running workspace pods when apply returned, want %d", len(pods), want)
	}
	m, err := acctest.StateManifest(s, addr)
	if err != nil {
		return nil, err
	}
	ctrs, _, _ := unstructured.NestedSlice(m, "inference", "template", "spec", "containers")
	if len(ctrs) != 1 {
		return nil, fmt.Errorf("rendered %d containers, want 1", len(ctrs))
	}
	rendered, _ := ctrs[0].(map[string]any)
	for i := range pods {
		p := &pods[i]
		if !contains(nodes, p.Spec.NodeName) {
			return nil, fmt.Errorf("pod %s on %q, want one of %v", p.Name, p.Spec.NodeName, nodes)
		}
		if !requiresNodeLabel(p, "pool", pool) {
			return nil, fmt.Errorf("pod %s has no required node affinity pool=%s from label_selector: %+v", p.Name, pool, p.Spec.Affinity)
		}
		if g := testcluster.GPULimit(p); g != gpus {
			return nil, fmt.Errorf("pod %s nvidia.com/gpu limit %d, want %d", p.Name, g, gpus)
		}
		ctr, err := testcluster.Container(p, fmt.Sprint(rendered["name"]))
		if err != nil {
			return nil, err
		}
		if ctr.Image != rendered["image"] {
			return nil, fmt.Errorf("pod %s image %q, rendered %q", p.Name, ctr.Image, rendered["image"])
		}
		got := append(append([]string{}, ctr.Command...), ctr.Args...)
		if want := append(strs(rendered["command"]), strs(rendered["args"])...); !acctest.HasSubsequence(got, want) {
			return nil, fmt.Errorf("pod %s runs %q; rendered %q", p.Name, got, want)
		}
	}
	return pods, nil
}

func requiresNodeLabel(p *corev1.Pod, key, value string) bool {
	if p.Spec.Affinity == nil || p.Spec.Affinity.NodeAffinity == nil || p.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return p.Spec.NodeSelector[key] == value
	}
	for _, term := range p.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
		for _, e := range term.MatchExpressions {
			if e.Key == key && e.Operator == corev1.NodeSelectorOpIn && contains(e.Values, value) {
				return true
			}
		}
	}
	return p.Spec.NodeSelector[key] == value
}

// endpointsReach waits until the Service's EndpointSlices list every pod as ready (D8: the
// companion Service selects all replicas). The endpoint controller runs after the pods turn
// Ready, so this polls briefly.
func endpointsReach(c *testcluster.Cluster, ns, svc string, pods []corev1.Pod) error {
	want := map[string]bool{}
	for _, p := range pods {
		want[p.Status.PodIP] = true
	}
	var got map[string]bool
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		l, err := c.Clientset.DiscoveryV1().EndpointSlices(ns).List(context.Background(), metav1.ListOptions{LabelSelector: discoveryv1.LabelServiceName + "=" + svc})
		if err != nil {
			return err
		}
		got = map[string]bool{}
		for _, sl := range l.Items {
			for _, e := range sl.Endpoints {
				if e.Conditions.Ready != nil && *e.Conditions.Ready {
					for _, a := range e.Addresses {
						got[a] = true
					}
				}
			}
		}
		all := true
		for ip := range want {
			all = all && got[ip]
		}
		if all {
			return nil
		}
	}
	return fmt.Errorf("Service %s/%s has ready endpoints %v, want every replica %v", ns, svc, got, want)
}

// KAITO 0.12 with a vLLM template on existing (byo) nodes: the workspace controller counts
// the nodes our label_selector matches, makes the StatefulSet whose pods the scheduler binds
// there, and reports the workspace succeeded, which we report Running. A replica change is
// immutable in KAITO's webhook (api/v1beta1/workspace_validation.go validateUpdate, v0.12.0),
// so it is planned as a replacement (D4) and the new Workspace runs both replicas, each
// behind our companion Service (D8). Destroy leaves nothing.
func TestAccRealKAITOVLLMLifecycleAndReplacement(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	ns := c.Namespace(t)
	nodes := gpuNodes(t, c, ns, 2, 1)
	const W = "kubefoundry_model_deployment.w"
	ws := func(replicas int) string {
		return acctest.Deployment("w", fmt.Sprintf(`name = "kv"
namespace = %q
runtime = "kaito"
model = "Qwen/Qwen3-0.6B"
replicas = %d
kaito = {
  model_source   = "vllm"
  label_selector = { pool = %q }
}`, ns, replicas, ns))
	}
	var firstUID types.UID
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns),
		resource.TestStep{
			Config: acctest.Config(t, ws(1), capacity(ns, W)),
			ConfigStateChecks: append([]statecheck.StateCheck{
				acctest.Attr(W, "phase", knownvalue.StringExact("Running")),
				acctest.Attr(W, "status_message", knownvalue.StringExact("")),
				acctest.Attr(W, "engine", knownvalue.StringExact("vllm")),
				acctest.Attr(W, "gpus", knownvalue.Int64Exact(1)),
				acctest.Attr(W, "endpoint", knownvalue.StringExact("kv-vllm."+ns+".svc.cluster.local:8000")),
			}, capacityIs(1, 1)...),
			Check: func(s *terraform.State) error {
				obj, err := c.Dynamic.Resource(workspaceGVR).Namespace(ns).Get(context.Background(), "kv", metav1.GetOptions{})
				if err != nil {
					return err
				}
				if st, _, _ := unstructured.NestedString(obj.Object, "status", "state"); st != "Ready" {
					return fmt.Errorf("we report Running but KAITO's status.state is %q", st)
				}
				firstUID = obj.GetUID()
				if _, err := c.Clientset.AppsV1().StatefulSets(ns).Get(context.Background(), "kv", metav1.GetOptions{}); err != nil {
					return fmt.Errorf("KAITO's StatefulSet: %w", err)
				}
				pods, err := checkKAITOPods(c, s, W, ns, "kv", ns, 1, 1, nodes)
				if err != nil {
					return err
				}
				return endpointsReach(c, ns, "kv-vllm", pods)
			},
		},
		resource.TestStep{
			Config: acctest.Config(t, ws(2), capacity(ns, W)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(W, plancheck.ResourceActionReplace),
			}},
			ConfigStateChecks: append([]statecheck.StateCheck{
				acctest.Attr(W, "phase", knownvalue.StringExact("Running")),
				acctest.Attr(W, "replicas", knownvalue.Int64Exact(2)),
			}, capacityIs(2, 0)...),
			Check: func(s *terraform.State) error {
				obj, err := c.Dynamic.Resource(workspaceGVR).Namespace(ns).Get(context.Background(), "kv", metav1.GetOptions{})
				if err != nil {
					return err
				}
				if obj.GetUID() == firstUID {
					return fmt.Errorf("workspace kv was updated in place (uid %s), want a new one", firstUID)
				}
				if n, _, _ := unstructured.NestedInt64(obj.Object, "resource", "count"); n != 2 {
					return fmt.Errorf("resource.count %d, want 2", n)
				}
				pods, err := checkKAITOPods(c, s, W, ns, "kv", ns, 2, 1, nodes)
				if err != nil {
					return err
				}
				if pods[0].Spec.NodeName == pods[1].Spec.NodeName {
					return fmt.Errorf("both replicas on %s; each node has one GPU", pods[0].Spec.NodeName)
				}
				return endpointsReach(c, ns, "kv-vllm", pods)
			},
		},
	))
}

// KAITO 0.12 running a premade llama.cpp (AIKit) model on CPU nodes: Running with no GPU
// asked, behind our "<name>-llamacpp" Service. A label_selector change is immutable in
// KAITO's webhook, so it is planned as a replacement (D4) and the new Workspace's pod lands
// on the node the new selector matches (KAITO turns the selector into a required node
// affinity). CPU only, so it runs beside the other tests.
func TestAccRealKAITOLlamaCppPremadeSelectorChangeReplaces(t *testing.T) {
	t.Parallel()
	c := testcluster.Get(t)
	c.LogOnFailure(t, testcluster.OperatorKAITO.LogName(), "kube-scheduler")
	ns := c.Namespace(t)
	nodeA, nodeB := ns+"-a", ns+"-b"
	for _, n := range []testcluster.GPUNode{
		{Name: nodeA, Labels: map[string]string{"pool": ns, "tier": "a"}},
		{Name: nodeB, Labels: map[string]string{"pool": ns, "tier": "b"}},
	} {
		if _, err := c.CreateKwokNode(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	c.DeleteNodes(t, nodeA, nodeB)
	const W = "kubefoundry_model_deployment.w"
	ws := func(tier string) string {
		return acctest.Deployment("w", fmt.Sprintf(`name = "llama"
namespace = %q
runtime = "kaito"
model = "kaito/llama3.2-1b"
kaito = {
  label_selector = { pool = %q, tier = %q }
}`, ns, ns, tier))
	}
	onTier := func(node, tier string) func(*terraform.State) error {
		return func(s *terraform.State) error {
			pods, err := checkKAITOPods(c, s, W, ns, "llama", ns, 1, 0, []string{node})
			if err != nil {
				return err
			}
			if !requiresNodeLabel(&pods[0], "tier", tier) {
				return fmt.Errorf("pod %s has no required node affinity tier=%s: %+v", pods[0].Name, tier, pods[0].Spec.Affinity)
			}
			return endpointsReach(c, ns, "llama-llamacpp", pods)
		}
	}
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns),
		resource.TestStep{
			Config: acctest.Config(t, ws("a")),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.Attr(W, "phase", knownvalue.StringExact("Running")),
				acctest.Attr(W, "engine", knownvalue.StringExact("llamacpp")),
				acctest.Attr(W, "endpoint", knownvalue.StringExact("llama-llamacpp."+ns+".svc.cluster.local:80")),
			},
			Check: onTier(nodeA, "a"),
		},
		resource.TestStep{
			Config: acctest.Config(t, ws("b")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(W, plancheck.ResourceActionReplace),
			}},
			ConfigStateChecks: []statecheck.StateCheck{acctest.Attr(W, "phase", knownvalue.StringExact("Running"))},
			Check:             onTier(nodeB, "b"),
		},
	))
}

// D6 with the real KAITO 0.12: a workspace whose label_selector matches too few nodes is not
// a failure. With the byo provisioner KAITO waits for matching nodes (a user or autoscaler
// may still add them) and says NodesReady False "NodeNotReady: Not enough Nodes are ready"
// (pkg/nodeprovision/byo-provisioner, v0.12.0); we stay Deploying with its words until our
// timeout, which names them.
func TestAccRealKAITOTooFewMatchingNodesIsDeployingUntilTimeout(t *testing.T) {
	t.Parallel()
	c := testcluster.Get(t)
	c.LogOnFailure(t, testcluster.OperatorKAITO.LogName())
	ns := c.Namespace(t)
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns), resource.TestStep{
		Config: acctest.Config(t, acctest.Deployment("w", fmt.Sprintf(`name = "few"
namespace = %q
runtime = "kaito"
model = "kaito/llama3.2-1b"
kaito = {
  label_selector = { pool = %q }
}
timeouts {
  create = "20s"
}`, ns, ns+"-none"))),
		ExpectError: regexp.MustCompile(`(?s)timed\s+out\s+waiting\s+for\s+\S+/few\s+to\s+be\s+Running;\s+last\s+phase\s+Deploying:.*NodeNotReady:\s+Not\s+enough\s+Nodes\s+are\s+ready`),
	}))
}
