package operatorstest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// An aggregated vLLM graph in the v1beta1 shape (ai-dynamo/dynamo 1.4.0
// deploy/operator/api/v1beta1/dynamographdeployment_types.go: components[], container "main").
const dgdV1beta1Agg = `
apiVersion: nvidia.com/v1beta1
kind: DynamoGraphDeployment
metadata:
  name: agg
spec:
  backendFramework: vllm
  components:
  - name: Frontend
    type: frontend
    replicas: 1
    podTemplate:
      spec:
        containers:
        - name: main
          image: nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0
  - name: VllmDecodeWorker
    type: worker
    replicas: 2
    podTemplate:
      spec:
        containers:
        - name: main
          image: nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0
          command: ["python3", "-m", "dynamo.vllm"]
          args: ["--model", "Qwen/Qwen3-0.6B"]
          resources:
            requests:
              nvidia.com/gpu: "1"
            limits:
              nvidia.com/gpu: "1"
`

// The same graph in the v1alpha1 shape (spec.services map, resources.limits.gpu), which the
// 1.4 CRDs only accept through the operator's conversion webhook.
const dgdV1alpha1Agg = `
apiVersion: nvidia.com/v1alpha1
kind: DynamoGraphDeployment
metadata:
  name: agg-alpha
spec:
  backendFramework: vllm
  services:
    Frontend:
      componentType: frontend
      replicas: 1
      extraPodSpec:
        mainContainer:
          image: nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0
    VllmDecodeWorker:
      componentType: worker
      replicas: 1
      resources:
        requests:
          gpu: "1"
        limits:
          gpu: "1"
      extraPodSpec:
        mainContainer:
          image: nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0
          command: ["python3", "-m", "dynamo.vllm"]
          args: ["--model", "Qwen/Qwen3-0.6B"]
`

// dgdSettled: the operator reported success or failure (the test then checks which).
func dgdSettled(o *unstructured.Unstructured) bool {
	s := nested(o, "status", "state")
	return s == "successful" || s == "failed"
}

func waitSuccessful(t *testing.T, c *testcluster.Cluster, gvr schema.GroupVersionResource, ns, name string) *unstructured.Unstructured {
	t.Helper()
	got, err := c.WaitFor(context.Background(), gvr, ns, name, 180*time.Second, dgdSettled)
	if err != nil {
		t.Fatal(err)
	}
	if s := nested(got, "status", "state"); s != "successful" {
		t.Fatalf("graph %s/%s is %s: %v", ns, name, s, got.Object["status"])
	}
	return got
}

// workerPods returns the running pods of a DGD that request GPUs, and all its running pods.
func dgdPods(t *testing.T, c *testcluster.Cluster, ns, dgd string, want int) (gpu []corev1.Pod, all []corev1.Pod) {
	t.Helper()
	all = runningPods(t, c, ns, "nvidia.com/dynamo-graph-deployment-name="+dgd, want, 120*time.Second)
	for _, p := range all {
		if gpuRequest(&p) > 0 {
			gpu = append(gpu, p)
		}
	}
	return gpu, all
}

// The real Dynamo 1.4 operator turns a v1beta1 aggregated vLLM graph into component
// Deployments whose pods the scheduler binds to kwok GPU nodes; once they are Ready the
// operator reports the graph successful.
func TestDynamoV1beta1AggregatedVLLMReachesSuccessful(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	ns := shortNamespace(t, c, "dgd-beta")
	nodes := gpuNodes(t, c, ns, 2, 1, nil)
	create(t, c, dgdV1beta1, ns, dgdV1beta1Agg)
	got := waitSuccessful(t, c, dgdV1beta1, ns, "agg")
	gpu, all := dgdPods(t, c, ns, "agg", 3)
	if len(all) != 3 || len(gpu) != 2 {
		t.Fatalf("got %d running pods, %d with GPUs; want 3 and 2", len(all), len(gpu))
	}
	onNode := map[string]bool{}
	for _, p := range gpu {
		if gpuRequest(&p) != 1 {
			t.Errorf("worker pod %s requests %d GPUs, want 1", p.Name, gpuRequest(&p))
		}
		onNode[p.Spec.NodeName] = true
	}
	// One GPU per node: the two workers must be on the two GPU nodes.
	for _, n := range nodes {
		if !onNode[n] {
			t.Errorf("no worker on GPU node %s (workers on %v)", n, onNode)
		}
	}
	if _, ok, _ := unstructured.NestedMap(got.Object, "status", "components"); !ok {
		t.Errorf("status has no components: %v", got.Object["status"])
	}
}

// A v1alpha1 graph is converted by the operator's conversion webhook (the API server calls it
// on loopback), stored as v1beta1 and reconciled like one.
func TestDynamoV1alpha1ConvertsThroughWebhookAndIsReconciled(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	ns := shortNamespace(t, c, "dgd-alpha")
	gpuNodes(t, c, ns, 1, 1, nil)
	create(t, c, dgdV1alpha1, ns, dgdV1alpha1Agg)
	beta, err := c.Dynamic.Resource(dgdV1beta1).Namespace(ns).Get(context.Background(), "agg-alpha", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("reading the v1alpha1 graph as v1beta1: %v", err)
	}
	comps, _, _ := unstructured.NestedSlice(beta.Object, "spec", "components")
	var names []string
	for _, comp := range comps {
		names = append(names, comp.(map[string]any)["name"].(string))
	}
	if strings.Join(names, ",") != "Frontend,VllmDecodeWorker" && strings.Join(names, ",") != "VllmDecodeWorker,Frontend" {
		t.Errorf("converted components = %v, want Frontend and VllmDecodeWorker", names)
	}
	waitSuccessful(t, c, dgdV1alpha1, ns, "agg-alpha")
	gpu, _ := dgdPods(t, c, ns, "agg-alpha", 2)
	if len(gpu) != 1 || gpuRequest(&gpu[0]) != 1 {
		t.Errorf("want one worker pod with 1 GPU, got %d pods", len(gpu))
	}
}

// Dynamo 1.4 labels a graph's components with "<namespace>-<graph name>", a label value of at
// most 63 bytes: a longer pair fails the graph (state failed, the API server's message in the
// Ready condition) instead of being refused at admission. A provider has to check it at plan.
func TestDynamoFailsGraphWhoseNamespaceAndNameExceedALabel(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t, testcluster.OperatorDynamo.LogName())
	// A namespace long enough that "<namespace>-<name>" overflows a label value (test
	// namespaces from c.Namespace are kept short for exactly this reason).
	ns := fmt.Sprintf("a-namespace-long-enough-to-overflow-dynamos-label-%d", time.Now().UnixNano()%100000)
	if _, err := c.Clientset.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Clientset.CoreV1().Namespaces().Delete(context.Background(), ns, metav1.DeleteOptions{}) })
	name := "aggregated-qwen"
	if len(ns)+1+len(name) <= 63 {
		t.Fatalf("namespace %s too short for this test", ns)
	}
	create(t, c, dgdV1beta1, ns, strings.Replace(dgdV1beta1Agg, "name: agg\n", "name: "+name+"\n", 1))
	got, err := c.WaitFor(context.Background(), dgdV1beta1, ns, name, 120*time.Second, dgdSettled)
	if err != nil {
		t.Fatal(err)
	}
	ready := condition(got, "Ready")
	if nested(got, "status", "state") != "failed" || ready == nil || !strings.Contains(ready["message"].(string), "must be no more than 63") {
		t.Errorf("state %q, Ready %v; want failed with the 63-byte label message", nested(got, "status", "state"), ready)
	}
}
