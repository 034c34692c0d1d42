package clustertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kuberay"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// TestRealKubeRay162OperatorRules runs the real KubeRay 1.6.2 operator (a binary built from
// github.com/ray-project/kuberay/ray-operator@v1.6.2, given by
// $KUBEFOUNDRY_KUBERAY_OPERATOR_BIN; default: the one scripts/operators-build.sh caches) on our rendered RayServices and checks: a 48-character name is Failed
// with KubeRay's words and its event ends a wait (D5, fail fast); the pods of "qwen-ray" and
// "qwen-ray-pd" are told apart by the RayCluster names in the status (D10); every worker
// gets --num-gpus from its GPU limit, including the disaggregated groups whose
// rayStartParams.resources KubeRay must parse (D7).
func TestRealKubeRay162OperatorRules(t *testing.T) {
	bin := operatorBinary(t, "KUBEFOUNDRY_KUBERAY_OPERATOR_BIN", testcluster.OperatorKubeRay, "kuberay-operator")
	ctx := context.Background()
	c, err := testcluster.Start(ctx, testcluster.Options{SkipCRDs: true, NoControllerManager: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	root, _ := testcluster.CRDDir()
	if err := testcluster.InstallCRDs(ctx, c.RESTConfig, filepath.Join(root, "kuberay-1.6.2")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--kubeconfig", c.Kubeconfig, "--enable-leader-election=false", "--metrics-addr", "127.0.0.1:0", "--health-probe-bind-address", "127.0.0.1:0")
	logf, _ := os.Create(filepath.Join(t.TempDir(), "op.log"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	r := kuberay.New()
	ns := "default"
	// create applies a case's RayService under another name (the 48-character one bypasses
	// our plan-time check on purpose, to see what KubeRay does with it).
	create := func(caseName, name string) {
		for _, tc := range runtimestest.Cases("kuberay") {
			if tc.Name == caseName {
				cfg := runtimestest.Defaulted(t, r, tc)
				cfg.Namespace = ns
				m, err := r.Manifests(cfg)
				if err != nil {
					t.Fatal(err)
				}
				obj := m.Primary
				obj.SetName(name)
				if _, err := applyStrict(ctx, c.Dynamic, obj, false); err != nil {
					t.Fatal(err)
				}
				return
			}
		}
		t.Fatalf("no case %s", caseName)
	}
	long := strings.Repeat("a", 48)
	create("kuberay-aggregated-vllm", long)
	create("kuberay-aggregated-vllm", "qwen-ray")
	create("kuberay-disaggregated-vllm", "qwen-ray-pd")
	gvr := testcluster.GVRFor("kuberay")
	deadline := time.Now().Add(90 * time.Second)
	var done bool
	for time.Now().Before(deadline) && !done {
		time.Sleep(2 * time.Second)
		evs, _ := c.Clientset.CoreV1().Events(ns).List(ctx, metav1.ListOptions{})
		obj, err := c.Dynamic.Resource(gvr).Namespace(ns).Get(ctx, long, metav1.GetOptions{})
		if err != nil {
			continue
		}
		st := r.Status(obj, nil, nil)
		words := rt.NeverProgress(rt.CurrentEvents(evs.Items, "RayService", obj.GetUID(), time.Time{}))
		pods, _ := c.Clientset.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		owned := map[string][]string{}
		for _, name := range []string{"qwen-ray", "qwen-ray-pd"} {
			o, err := c.Dynamic.Resource(gvr).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
			if err != nil {
				continue
			}
			for _, p := range pods.Items {
				if r.OwnsPod(o, p) {
					owned[name] = append(owned[name], p.Name)
				}
			}
		}
		// qwen-ray: head + 1 worker; qwen-ray-pd: head + 1 prefill + 2 decode workers.
		if st.Phase != rt.PhaseFailed || len(owned["qwen-ray"]) < 2 || len(owned["qwen-ray-pd"]) < 4 {
			continue
		}
		done = true
		if !strings.Contains(st.Message, "no more than 47 characters") || !strings.Contains(words, "InvalidRayServiceMetadata") {
			t.Errorf("48-character name: message %q, never-progress %q", st.Message, words)
		}
		checkNoSharedPods(t, owned)
		for _, p := range owned["qwen-ray"] {
			if strings.HasPrefix(p, "qwen-ray-pd-") {
				t.Errorf("qwen-ray owns qwen-ray-pd's pod %s", p)
			}
		}
		for _, p := range pods.Items {
			if p.Labels["ray.io/node-type"] != "worker" {
				continue
			}
			if args := strings.Join(p.Spec.Containers[0].Args, " "); !strings.Contains(args, "--num-gpus=") {
				t.Errorf("worker %s got no --num-gpus from its GPU limit: %s", p.Name, args)
			}
		}
	}
	if !done {
		b, _ := os.ReadFile(logf.Name())
		t.Fatalf("the operator did not reach the expected state in 90 s; its log ends: %s", tailStr(string(b), 3000))
	}
}

func checkNoSharedPods(t *testing.T, owned map[string][]string) {
	seen := map[string]string{}
	for d, ps := range owned {
		for _, p := range ps {
			if other, ok := seen[p]; ok {
				t.Errorf("pod %s owned by %s and %s", p, other, d)
			}
			seen[p] = d
		}
	}
}

func tailStr(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
