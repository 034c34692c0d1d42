package operatorstest

import (
	"context"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func workspaceManifest(pool string) string {
	return `
apiVersion: kaito.sh/v1beta1
kind: Workspace
metadata:
  name: ws
resource:
  count: 1
  labelSelector:
    matchLabels:
      pool: ` + pool + `
inference:
  template:
    spec:
      containers:
      - name: model
        image: registry.invalid/aikit-llama:Q4_K_M
        ports:
        - containerPort: 5000
        resources:
          limits:
            nvidia.com/gpu: "1"
`
}

// The real KAITO 0.12 workspace controller (node provisioner byo) counts the kwok nodes its
// labelSelector matches, makes a StatefulSet whose pod the scheduler binds there, and reports
// the Workspace ready once kwok runs the pod.
func TestKAITOTemplateWorkspaceRunsOnKwokNodes(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	ns := c.Namespace(t)
	nodes := gpuNodes(t, c, ns, 1, 1, map[string]string{"pool": ns})
	create(t, c, workspaceGVR, ns, workspaceManifest(ns))

	pods := runningPods(t, c, ns, "kaito.sh/workspace=ws", 1, 120*time.Second)
	if pods[0].Spec.NodeName != nodes[0] {
		t.Errorf("workspace pod on %q, want the matching node %q", pods[0].Spec.NodeName, nodes[0])
	}
	if gpuRequest(&pods[0]) != 1 && pods[0].Spec.Containers[0].Resources.Limits.Name("nvidia.com/gpu", "").Value() != 1 {
		t.Errorf("workspace pod asks no GPU: %v", pods[0].Spec.Containers[0].Resources)
	}
	if _, err := c.Clientset.AppsV1().StatefulSets(ns).Get(context.Background(), "ws", metav1.GetOptions{}); err != nil {
		t.Errorf("StatefulSet ws: %v", err)
	}
	got, err := c.WaitFor(context.Background(), workspaceGVR, ns, "ws", 120*time.Second, func(o *unstructured.Unstructured) bool {
		w := condition(o, "WorkspaceSucceeded")
		return w != nil && w["status"] == "True"
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{"NodesReady", "ResourceReady", "InferenceReady", "WorkspaceSucceeded"} {
		if cond := condition(got, typ); cond == nil || cond["status"] != "True" {
			t.Errorf("condition %s = %v, want True", typ, cond)
		}
	}
}

// KAITO's admission webhook (served on loopback, registered by URL) denies changing
// resource.count (kaito api/v1beta1/workspace_validation.go, ResourceSpec.validateUpdate).
func TestKAITOWebhookDeniesResourceCountChange(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t, testcluster.OperatorKAITO.LogName())
	ns := c.Namespace(t)
	gpuNodes(t, c, ns, 1, 1, map[string]string{"pool": ns})
	create(t, c, workspaceGVR, ns, workspaceManifest(ns))
	err := setWorkspaceCount(c, ns, 2)
	if err == nil {
		t.Fatal("changing resource.count was accepted; want the KAITO webhook's denial")
	}
	msg := err.Error()
	if !strings.Contains(msg, "validation.workspace.kaito.sh") || !strings.Contains(msg, "field is immutable") || !strings.Contains(msg, "count") {
		t.Errorf("denial = %q, want the validation.workspace.kaito.sh webhook saying count is immutable", msg)
	}
}

// setWorkspaceCount changes resource.count of Workspace ws, retrying while the controller's
// own writes conflict, and returns the API server's answer.
func setWorkspaceCount(c *testcluster.Cluster, ns string, count int64) error {
	for {
		ws, err := c.Dynamic.Resource(workspaceGVR).Namespace(ns).Get(context.Background(), "ws", metav1.GetOptions{})
		if err != nil {
			return err
		}
		if err := unstructured.SetNestedField(ws.Object, count, "resource", "count"); err != nil {
			return err
		}
		_, err = c.Dynamic.Resource(workspaceGVR).Namespace(ns).Update(context.Background(), ws, metav1.UpdateOptions{})
		if !apierrors.IsConflict(err) {
			return err
		}
	}
}
