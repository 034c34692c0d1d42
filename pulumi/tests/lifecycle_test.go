package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

var (
	dgdGVR = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1beta1", Resource: "dynamographdeployments"}
	dcdGVR = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1beta1", Resource: "dynamocomponentdeployments"}
)

const hfToken = "hf_pulumiSecretTokenNeverInState0123"

// modelDeploymentToken is the resource's canonical token in schema.json (tokens.MakeStandard:
// "<package>:<module>/<camelName>:<Name>"); Pulumi YAML also accepts kubefoundry:index:ModelDeployment.
const modelDeploymentToken = "kubefoundry:index/modelDeployment:ModelDeployment"

// deploymentProgram is a Pulumi YAML program with one kubefoundry:index:ModelDeployment on the
// Dynamo runtime; the Hugging Face token comes from a secret config value (hfToken).
func deploymentProgram(ns string, replicas int) string {
	return fmt.Sprintf(`config:
  hfToken:
    type: string
    secret: true
resources:
  qwen:
    type: kubefoundry:index:ModelDeployment
    properties:
      name: qwen
      namespace: %s
      runtime: dynamo
      model: Qwen/Qwen3-0.6B
      replicas: %d
      hfTokenWo: ${hfToken}
      hfTokenWoVersion: 1
outputs:
  phase: ${qwen.phase}
  ready: ${qwen.ready}
  endpoint: ${qwen.endpoint}
`, ns, replicas)
}

// Pulumi YAML drives a model deployment through its life against the real Dynamo 1.4 operator:
// up reaches Running, a second preview is clean, an out-of-band edit shows in a refreshing
// preview, an update scales it, a second stack imports it by "<namespace>/<name>", destroy leaves
// nothing, and the Hugging Face token given as a Pulumi secret reaches the cluster's Secret, is
// in the stack's state only encrypted, and in no file or command output in clear.
func TestPulumiYAMLModelDeploymentLifecycle(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	ctx := context.Background()
	ns := c.ShortNamespace(t, "pul")
	c.KwokGPUNodes(t, ns, 3, 1, map[string]string{"pool": ns})

	p := newProject(t)
	p.program(deploymentProgram(ns, 1))
	p.must("login", "file://"+strings.TrimPrefix(envValue(p.env, "PULUMI_BACKEND_URL"), "file://"))
	p.must("stack", "init", "test")
	p.must("config", "set", "kubefoundry:configPath", c.Kubeconfig)
	p.must("config", "set", "--secret", "hfToken", hfToken)
	defer func() {
		if t.Failed() {
			_, _ = p.run("destroy", "--yes", "--skip-preview")
		}
	}()

	// up: apply returns once the operator reports the graph successful.
	p.must("up", "--yes", "--skip-preview")
	if got := stackOutput(t, p, "phase"); got != "Running" {
		t.Fatalf("phase output %q after up, want Running", got)
	}
	if got := stackOutput(t, p, "endpoint"); got != "qwen-frontend."+ns+".svc.cluster.local:8000" {
		t.Errorf("endpoint output %q", got)
	}
	dgd, err := c.Dynamic.Resource(dgdGVR).Namespace(ns).Get(ctx, "qwen", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st, _, _ := unstructured.NestedString(dgd.Object, "status", "state"); st != "successful" {
		t.Fatalf("pulumi reports Running but the operator says state %q", st)
	}
	secret, err := c.Clientset.CoreV1().Secrets(ns).Get(ctx, "qwen-hf-token", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("the token's Secret: %v", err)
	}
	if string(secret.Data["HF_TOKEN"]) != hfToken {
		t.Fatalf("Secret qwen-hf-token holds %q, want the token given as a Pulumi secret", secret.Data["HF_TOKEN"])
	}

	// The token is in the state only as a Pulumi secret (see writeOnlyInputIsSecret).
	writeOnlyInputIsSecret(t, []byte(p.must("stack", "export")), hfToken, false)

	// A second preview of the same program plans nothing.
	p.must("preview", "--expect-no-changes")

	// Out-of-band edit of the worker replicas: a refreshing preview shows the update that
	// would put it back.
	setWorkerReplicas(t, c, ns, "qwen", 3)
	out, err := p.run("preview", "--refresh", "--expect-no-changes", "--diff")
	if err == nil {
		t.Fatalf("pulumi preview --refresh --expect-no-changes succeeded after an out-of-band edit:\n%s", out)
	}
	if !strings.Contains(out, modelDeploymentToken+": (update)") || !strings.Contains(out, "replicas: 3 => 1") {
		t.Fatalf("refreshing preview does not show the update that puts the replicas back:\n%s", out)
	}

	// Update: two replicas; Running once both workers run.
	p.program(deploymentProgram(ns, 2))
	p.must("up", "--yes", "--skip-preview", "--refresh")
	if got := stackOutput(t, p, "ready"); got != "2" {
		t.Fatalf("ready output %q after scaling to 2, want 2", got)
	}
	if got := workerReplicas(t, c, ns, "qwen"); got != 2 {
		t.Fatalf("worker replicas %d in the cluster after the update, want 2", got)
	}
	p.must("preview", "--expect-no-changes")

	// Import into a second stack, by the Terraform import ID "<namespace>/<name>".
	imp := newProject(t)
	imp.program("resources: {}\n")
	imp.must("login", "file://"+strings.TrimPrefix(envValue(imp.env, "PULUMI_BACKEND_URL"), "file://"))
	imp.must("stack", "init", "imported")
	imp.must("config", "set", "kubefoundry:configPath", c.Kubeconfig)
	imp.must("import", "--yes", "--generate-code=false", modelDeploymentToken, "qwen", ns+"/qwen")
	state := imp.must("stack", "export")
	for _, want := range []string{`"type": "` + modelDeploymentToken + `"`, `"id": "` + ns + `/qwen"`, `"phase": "Running"`, `"model": "Qwen/Qwen3-0.6B"`} {
		if !strings.Contains(state, want) {
			t.Errorf("imported stack has no %s:\n%s", want, state)
		}
	}
	// Forget it there (the first stack owns it).
	imp.must("state", "delete", "--yes", "--all", "--force")

	p.must("destroy", "--yes", "--skip-preview")
	if _, err := c.Dynamic.Resource(dgdGVR).Namespace(ns).Get(ctx, "qwen", metav1.GetOptions{}); err == nil {
		t.Error("the DynamoGraphDeployment is still there after pulumi destroy")
	}
	if _, err := c.Clientset.CoreV1().Secrets(ns).Get(ctx, "qwen-hf-token", metav1.GetOptions{}); err == nil {
		t.Error("the token's Secret is still there after pulumi destroy")
	}
	if left, err := c.Leftovers(ctx, []string{ns}, dgdGVR, dcdGVR); err != nil || len(left) > 0 {
		t.Errorf("left after pulumi destroy: %v %v", left, err)
	}

	// The token: never in any command's output, nor in the backend's files.
	for i, o := range append(p.outputs, imp.outputs...) {
		if strings.Contains(o, hfToken) {
			t.Errorf("command %d printed the Hugging Face token:\n%s", i, o)
		}
	}
	// Nor in any file: the backend's state, history and backups, the stack's config, PULUMI_HOME.
	noTokenInFiles(t, filepath.Dir(p.dir), hfToken)
	noTokenInFiles(t, filepath.Dir(imp.dir), hfToken)
}

func envValue(env []string, key string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, key+"="); ok {
			return v
		}
	}
	return ""
}

func stackOutput(t *testing.T, p *project, name string) string {
	t.Helper()
	out := p.must("stack", "output", "--json")
	var m map[string]any
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &m); err != nil {
		t.Fatalf("pulumi stack output --json: %v\n%s", err, out)
	}
	return fmt.Sprint(m[name])
}

// workerComponent returns the DGD's worker entry of spec.components (Dynamo 1.4 v1beta1).
func workerComponent(obj *unstructured.Unstructured) map[string]any {
	comps, _, _ := unstructured.NestedSlice(obj.Object, "spec", "components")
	for _, c := range comps {
		if m, ok := c.(map[string]any); ok && m["type"] == "worker" {
			return m
		}
	}
	return nil
}

func workerReplicas(t *testing.T, c *testcluster.Cluster, ns, name string) int64 {
	t.Helper()
	obj, err := c.Dynamic.Resource(dgdGVR).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w := workerComponent(obj)
	if w == nil {
		t.Fatalf("%s/%s has no worker component", ns, name)
	}
	n, _ := w["replicas"].(int64)
	return n
}

// setWorkerReplicas edits the DGD as someone with kubectl would: fetch, edit the worker entry in
// place and Update under another field manager (a merge patch would replace the whole list).
func setWorkerReplicas(t *testing.T, c *testcluster.Cluster, ns, name string, n int64) {
	t.Helper()
	obj, err := c.Dynamic.Resource(dgdGVR).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	comps, _, _ := unstructured.NestedSlice(obj.Object, "spec", "components")
	for i, comp := range comps {
		if m, ok := comp.(map[string]any); ok && m["type"] == "worker" {
			m["replicas"] = n
			comps[i] = m
		}
	}
	if err := unstructured.SetNestedSlice(obj.Object, comps, "spec", "components"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Dynamic.Resource(dgdGVR).Namespace(ns).Update(context.Background(), obj, metav1.UpdateOptions{FieldManager: "kubectl-edit"}); err != nil {
		t.Fatal(err)
	}
}
