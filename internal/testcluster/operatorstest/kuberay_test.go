package operatorstest

import (
	"context"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func rayServiceManifest(name string) string {
	return `
apiVersion: ray.io/v1
kind: RayService
metadata:
  name: ` + name + `
spec:
  serveConfigV2: |
    applications:
    - name: llm_app
      import_path: ray.serve.llm:build_openai_app
      route_prefix: /
      args:
        llm_configs:
        - model_loading_config:
            model_id: Qwen/Qwen3-0.6B
  rayClusterConfig:
    headGroupSpec:
      rayStartParams:
        num-gpus: "0"
      template:
        spec:
          containers:
          - name: ray-head
            image: rayproject/ray-llm:2.52.0-py311-cu128
            resources:
              requests: {cpu: "2", memory: 8Gi}
              limits: {cpu: "2", memory: 8Gi}
    workerGroupSpecs:
    - groupName: gpu-group
      replicas: 1
      minReplicas: 1
      maxReplicas: 1
      rayStartParams: {}
      template:
        spec:
          containers:
          - name: ray-worker
            image: rayproject/ray-llm:2.52.0-py311-cu128
            resources:
              requests: {cpu: "4", memory: 16Gi, nvidia.com/gpu: "1"}
              limits: {cpu: "4", memory: 16Gi, nvidia.com/gpu: "1"}
`
}

// The real KubeRay operator (1.7.0 here, 1.6.2 in TestKubeRay162Operator) makes a RayCluster
// for a RayService; the scheduler binds its head and GPU worker pods to kwok nodes and kwok
// runs them. Without a Ray dashboard (no container runs) the service cannot become Ready:
// the operator keeps it not Ready with its own reason, which is what our status mapping has
// to report.
func TestKubeRayRayServiceGetsRunningRayClusterButNoDashboard(t *testing.T) {
	checkRayServiceRunsClusterWithoutDashboard(t, testcluster.Get(t))
}

func checkRayServiceRunsClusterWithoutDashboard(t *testing.T, c *testcluster.Cluster) {
	c.LogOnFailure(t)
	ns := c.Namespace(t)
	gpuNodes(t, c, ns, 1, 1, nil)
	create(t, c, rayService, ns, rayServiceManifest("llm"))

	var clusterName string
	deadline := time.Now().Add(120 * time.Second)
	for clusterName == "" && time.Now().Before(deadline) {
		list, err := c.Dynamic.Resource(rayCluster).Namespace(ns).List(context.Background(), metav1.ListOptions{})
		if err == nil && len(list.Items) > 0 {
			clusterName = list.Items[0].GetName()
		} else {
			time.Sleep(250 * time.Millisecond)
		}
	}
	if !strings.HasPrefix(clusterName, "llm-") {
		t.Fatalf("RayCluster for RayService llm = %q, want llm-<suffix>", clusterName)
	}
	head := runningPods(t, c, ns, "ray.io/cluster="+clusterName+",ray.io/node-type=head", 1, 120*time.Second)
	workers := runningPods(t, c, ns, "ray.io/cluster="+clusterName+",ray.io/node-type=worker", 1, 120*time.Second)
	if gpuRequest(&head[0]) != 0 || gpuRequest(&workers[0]) != 1 {
		t.Errorf("GPUs requested: head %d, worker %d; want 0 and 1", gpuRequest(&head[0]), gpuRequest(&workers[0]))
	}

	// The operator now polls the head's dashboard (no process answers): Ready stays False.
	got, err := c.WaitFor(context.Background(), rayService, ns, "llm", 60*time.Second, func(o *unstructured.Unstructured) bool {
		return condition(o, "Ready") != nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ready := condition(got, "Ready")
	if ready["status"] != "False" || ready["reason"] == "" {
		t.Errorf("Ready condition = %v, want False with the operator's reason", ready)
	}
	t.Logf("RayService reports Ready=%v reason=%v message=%v", ready["status"], ready["reason"], ready["message"])
}

// KubeRay refuses a RayService name over 47 characters with an event and a condition
// (ray-operator controllers/ray/utils/validation.go, ValidateRayServiceMetadata, v1.6.2 and
// v1.7.0).
func TestKubeRayRejects48CharacterRayServiceName(t *testing.T) {
	checkRejects48CharacterName(t, testcluster.Get(t))
}

func checkRejects48CharacterName(t *testing.T, c *testcluster.Cluster) {
	c.LogOnFailure(t)
	ns := c.Namespace(t)
	name := strings.Repeat("a", 48)
	create(t, c, rayService, ns, rayServiceManifest(name))
	ev, err := c.WaitForEvent(context.Background(), ns, "RayService", name, "InvalidRayServiceMetadata", "47 characters", 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("event: %s", ev.Message)
	list, err := c.Dynamic.Resource(rayCluster).Namespace(ns).List(context.Background(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 0 {
		t.Errorf("the operator made RayCluster %s for an invalid RayService", list.Items[0].GetName())
	}
}

func condition(o *unstructured.Unstructured, typ string) map[string]any {
	conds, _, _ := unstructured.NestedSlice(o.Object, "status", "conditions")
	for _, c := range conds {
		if m, ok := c.(map[string]any); ok && m["type"] == typ {
			return m
		}
	}
	return nil
}
