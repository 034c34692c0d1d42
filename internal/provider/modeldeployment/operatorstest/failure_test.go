package operatorstest

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// More GPUs per worker than any node has: the real scheduler's FailedScheduling
// "Insufficient nvidia.com/gpu" ends the wait well before the 5-minute create timeout, with
// the scheduler's words. (Plan only warns: gpu_fit_check defaults to "warn".)
func TestAccRealDynamoMoreGPUsThanAnyNodeFailsFastWithSchedulerMessage(t *testing.T) {
	t.Parallel()
	c := testcluster.Get(t)
	c.LogOnFailure(t, "kube-scheduler", testcluster.OperatorDynamo.LogName())
	ns := c.ShortNamespace(t, "big")
	gpuNodes(t, c, ns, 1, 1)
	body := acctest.Deployment("m", fmt.Sprintf(`name = "big"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"
gpus = 16
timeouts {
  create = "5m"
}`, ns))
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns),
		acctest.FailsFast(t, acctest.Config(t, body), regexp.MustCompile(`(?s)deployment\s+failed.*Insufficient\s+nvidia\.com/gpu`), "insufficient-GPU failure")...))
}

// A graph whose "<namespace>-<name>" does not fit a label value is refused at plan, naming
// the attribute. Why (shown out of band with a hand-written graph): the Dynamo 1.4 operator
// labels every component nvidia.com/dynamo-namespace=<namespace>-<name>, the API server
// refuses those objects and the graph never deploys.
func TestAccRealDynamoNamespacePlusNameOverLabelLimitRefusedAtPlan(t *testing.T) {
	t.Parallel()
	c := testcluster.Get(t)
	c.LogOnFailure(t, testcluster.OperatorDynamo.LogName())
	ns := c.ShortNamespace(t, strings.Repeat("n", 58)) // 60 or more characters
	name := "qwen"
	if len(ns)+1+len(name) <= 63 {
		t.Fatalf("namespace %q is too short for this test", ns)
	}
	resource.Test(t, acctest.TestCase(t, nil, resource.TestStep{
		Config: acctest.Config(t, acctest.Deployment("m", fmt.Sprintf(`name = %q
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"`, name, ns))),
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)nvidia\.com/dynamo-namespace.*63`),
	}))

	obj := &unstructured.Unstructured{}
	if err := yaml.Unmarshal([]byte(`
apiVersion: nvidia.com/v1beta1
kind: DynamoGraphDeployment
metadata:
  name: qwen
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
`), &obj.Object); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Dynamic.Resource(dgdGVR).Namespace(ns).Create(context.Background(), obj, metav1.CreateOptions{}); err != nil {
		t.Fatalf("the API server (and Dynamo's webhook) accept the graph itself: %v", err)
	}
	got, err := c.WaitFor(context.Background(), dgdGVR, ns, "qwen", 90*time.Second, func(o *unstructured.Unstructured) bool {
		st, _, _ := unstructured.NestedString(o.Object, "status", "state")
		return st == "failed" || st == "successful"
	})
	if err != nil {
		t.Fatal(err)
	}
	status := fmt.Sprint(got.Object["status"])
	if st, _, _ := unstructured.NestedString(got.Object, "status", "state"); st != "failed" || !strings.Contains(status, "63") {
		t.Fatalf("operator state %q, status %s; want failed on the 63-character label limit", st, status)
	}
	t.Logf("the operator's words: %s", status)
}
