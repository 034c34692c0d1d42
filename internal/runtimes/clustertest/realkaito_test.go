package clustertest

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextensions "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kaito"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// TestRealKaito012OperatorRules runs the real KAITO 0.12.0 workspace controller (a binary built
// from kaito-project/kaito v0.12.0 cmd/workspace, given by $KUBEFOUNDRY_KAITO_OPERATOR_BIN;
// default: the one scripts/operators-build.sh caches) with
// --node-provisioner=byo and without its webhook, on a Ready node, and checks against what it
// creates for our premade Workspace with replicas = 2:
//   - D8: its Service "<name>" selects only pod "<name>-0", while our "<name>-llamacpp" selects
//     every replica of the StatefulSet;
//   - D10: the pods carry kaito.sh/workspace=<name> (what OwnsPod matches);
//   - D6: the status is 0.12's (state + conditions) and maps to Deploying while pods pend;
//   - D4: a template change is accepted by the API server but never reaches the StatefulSet,
//     which is why such changes are planned as replacements.
func TestRealKaito012OperatorRules(t *testing.T) {
	bin := operatorBinary(t, "KUBEFOUNDRY_KAITO_OPERATOR_BIN", testcluster.OperatorKAITO, "kaito-workspace")
	ctx := context.Background()
	c, err := testcluster.Start(ctx, testcluster.Options{SkipCRDs: true, NoControllerManager: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	root, _ := testcluster.CRDDir()
	if err := testcluster.InstallCRDs(ctx, c.RESTConfig, filepath.Join(root, "kaito-0.12.0")); err != nil {
		t.Fatal(err)
	}
	installNodeClaimCRD(t, c)
	// In BYO mode KAITO 0.12 waits for resource.count Ready nodes matching the selector
	// ("Not enough Nodes are ready", pkg/nodeprovision/byo-provisioner), one per replica.
	for _, n := range []string{"cpu-node-0", "cpu-node-1"} {
		if _, err := c.CreateGPUNode(ctx, testcluster.GPUNode{Name: n, Labels: map[string]string{"kubernetes.io/os": "linux"}}); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "--kubeconfig", c.Kubeconfig, "--node-provisioner=byo", "--webhook=false", "--leader-elect=false",
		"--metrics-bind-address=127.0.0.1:0", "--health-probe-bind-address=127.0.0.1:0")
	cmd.Env = append(os.Environ(), "CLOUD_PROVIDER=azure")
	logf, _ := os.Create(filepath.Join(t.TempDir(), "kaito.log"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()

	r := kaito.New()
	cfg := runtimestest.Defaulted(t, r, runtimestest.Case{Name: "real", Config: rt.DeploymentConfig{
		Name: "llama", Namespace: "default", Model: "kaito/llama3.2-1b", Replicas: rt.Int64(2)}})
	m, err := r.Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, obj := range m.All() {
		if _, err := applyStrict(ctx, c.Dynamic, obj, false); err != nil {
			t.Fatal(err)
		}
	}
	fail := func(format string, args ...any) {
		b, _ := os.ReadFile(logf.Name())
		t.Fatalf(format+"\nKAITO log ends: %s", append(args, tailStr(string(b), 3000))...)
	}
	var image string
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if time.Now().After(deadline) {
			fail("KAITO did not create the StatefulSet, both pods and its Service")
		}
		time.Sleep(2 * time.Second)
		ss, err1 := c.Clientset.AppsV1().StatefulSets("default").Get(ctx, "llama", metav1.GetOptions{})
		svc, err2 := c.Clientset.CoreV1().Services("default").Get(ctx, "llama", metav1.GetOptions{})
		if err1 != nil || err2 != nil || ss.Spec.Replicas == nil || *ss.Spec.Replicas != 2 {
			continue
		}
		image = ss.Spec.Template.Spec.Containers[0].Image
		if got := svc.Spec.Selector["statefulset.kubernetes.io/pod-name"]; got != "llama-0" {
			t.Errorf("KAITO's Service selector %v: expected it to pin pod llama-0 (the reason for our companion Service)", svc.Spec.Selector)
		}
		ours, err := c.Clientset.CoreV1().Services("default").Get(ctx, kaito.LlamaCppServiceName("llama"), metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range ours.Spec.Selector {
			if ss.Spec.Template.Labels[k] != v {
				t.Errorf("our Service selector %s=%s is not on the StatefulSet's pods (labels %v)", k, v, ss.Spec.Template.Labels)
			}
		}
		if ss.Spec.Template.Labels["kaito.sh/workspace"] != "llama" {
			t.Errorf("pod template labels %v lack kaito.sh/workspace=llama", ss.Spec.Template.Labels)
		}
		break
	}
	ws, err := c.Dynamic.Resource(testcluster.GVRFor("kaito")).Namespace("default").Get(ctx, "llama", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if state := rt.StringAt(ws.Object, "status", "state"); state == "" {
		t.Errorf("KAITO 0.12 wrote no status.state: %v", ws.Object["status"])
	}
	if st := r.Status(ws, nil, nil); st.Phase != rt.PhaseDeploying && st.Phase != rt.PhasePending {
		t.Errorf("pending pods (no kubelet here) mapped to %s %q, want Deploying", st.Phase, st.Message)
	}

	// D4: change the template in place (memory request) and give KAITO time to act on it.
	cfg.Memory = "6Gi"
	m2, err := r.Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.ReplaceReasons(ws, m2.Primary); len(got) == 0 {
		t.Error("ReplaceReasons sees no reason for a template change")
	}
	if _, err := applyStrict(ctx, c.Dynamic, m2.Primary, false); err != nil {
		t.Fatalf("the API server rejected the template change: %v", err)
	}
	time.Sleep(15 * time.Second)
	ss, err := c.Clientset.AppsV1().StatefulSets("default").Get(ctx, "llama", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if req := ss.Spec.Template.Spec.Containers[0].Resources.Requests.Memory(); !req.IsZero() {
		t.Logf("KAITO rolled the template change out (memory request %s): D4b no longer holds for this release", req)
		t.Fail()
	}
	if ss.Spec.Template.Spec.Containers[0].Image != image {
		t.Errorf("image changed unexpectedly")
	}
}

// installNodeClaimCRD installs karpenter.sh NodeClaim from the KAITO 0.12.0 archive's chart
// (KAITO watches it even in BYO mode).
func installNodeClaimCRD(t *testing.T, c *testcluster.Cluster) {
	t.Helper()
	repo, err := testcluster.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(repo, "..", "shared", "operators", "kaito-0.12.0.tar.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			t.Fatal("karpenter.sh_nodeclaims.yaml not in the KAITO archive")
		}
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(h.Name, "charts/kaito/workspace/crds/karpenter.sh_nodeclaims.yaml") {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		crd := &apiextensionsv1.CustomResourceDefinition{}
		if err := yaml.Unmarshal(b, crd); err != nil {
			t.Fatal(err)
		}
		cs, err := apiextensions.NewForConfig(c.RESTConfig)
		if err != nil {
			t.Fatal(err)
		}
		if err := testcluster.CreateCRD(context.Background(), cs, crd); err != nil {
			t.Fatal(err)
		}
		return
	}
}
