package operatorstest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	tfconfig "github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	corev1 "k8s.io/api/core/v1"
	kresource "k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// The tainted pool of the example module: the taint the NVIDIA GPU Operator's docs use for
// GPU nodes, and the registry the copies of the Dynamo images come from.
const (
	poolTaintKey   = "nvidia.com/gpu"
	poolTaintValue = "present"
	privateReg     = "registry.internal.test"
	hubMirror      = "https://hf-mirror.internal.test"
)

// moduleConfig applies examples/modules/gpu-pool-private-registry as a module (source by
// absolute path, copied by terraform init): the test exercises the module users copy, not a
// paraphrase of it.
func moduleConfig(t *testing.T, root, ns, pool, class string) string {
	return `terraform {
  required_providers {
    kubefoundry = { source = "kubefoundry/kubefoundry" }
  }
}
` + acctest.Config(t) + fmt.Sprintf(`
module "gpu" {
  source              = %q
  name                = "qwen"
  namespace           = %q
  registry            = %q
  pull_secret         = "regcred"
  gpu_pool_labels     = { pool = %q }
  gpu_taint           = { key = %q, value = %q }
  cache_size          = "20Gi"
  cache_storage_class = %q
  hub_mirror          = %q
}
`, filepath.Join(root, "examples", "modules", "gpu-pool-private-registry"), ns, privateReg, pool, poolTaintKey, poolTaintValue, class, hubMirror)
}

// TestAccRealWorkloadTaintedPoolPrivateImageCacheMirror applies the example module against
// the real Dynamo 1.4 operator (v1beta1) and asserts on the pods it creates, not only on our
// DynamoGraphDeployment: the worker pods tolerate the pool's taint, select the pool, are
// placed by the real kube-scheduler on the tainted kwok GPU node, pull the private image
// with the pull secret, get HF_ENDPOINT (the mirror) and HF_HOME (the cache mount) on the
// main container, and mount the cache claim that kube-controller-manager's PV binder bound
// to a static volume. The download Job runs on the pool too. A second plan is empty.
// Control: the same worker pod without the toleration stays Pending with the scheduler's
// taint message. Destroy leaves no operator child, removes the Job and keeps the claim
// (delete_claim_on_destroy unset: docs/guides/production-workloads.md).
func TestAccRealWorkloadTaintedPoolPrivateImageCacheMirror(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	root, err := testcluster.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	// The module pins source = "kubefoundry/kubefoundry": serve the in-process provider
	// under that address so terraform does not look for it in a registry.
	t.Setenv("TF_ACC_PROVIDER_NAMESPACE", "kubefoundry")
	ctx := context.Background()
	ns := c.ShortNamespace(t, "wl")
	pool := ns + "-gpu"

	// The GPU pool: one tainted kwok GPU node. kube-scheduler's TaintToleration filter keeps
	// every pod without a matching toleration off it (k8s.io/kubernetes
	// pkg/scheduler/framework/plugins/tainttoleration).
	taint := corev1.Taint{Key: poolTaintKey, Value: poolTaintValue, Effect: corev1.TaintEffectNoSchedule}
	gpuNode := testcluster.GPUNode{Name: pool + "-a", GPUs: 1, Product: "NVIDIA-A100-SXM4-80GB", MemoryMiB: 81920, Labels: map[string]string{"pool": pool}}
	// An untainted CPU node for the frontend, which the module keeps off the GPU pool.
	cpuNode := testcluster.GPUNode{Name: ns + "-cpu-a", Labels: map[string]string{"pool": ns + "-cpu"}}
	if _, err := c.CreateKwokNode(ctx, gpuNode, taint); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateKwokNode(ctx, cpuNode); err != nil {
		t.Fatal(err)
	}
	c.DeleteNodes(t, gpuNode.Name, cpuNode.Name)

	// The private registry's pull secret (fake credentials: kwok pulls nothing; the
	// assertion is that the pods name it).
	if _, err := c.Clientset.CoreV1().Secrets(ns).Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "regcred"}, Type: corev1.SecretTypeDockerConfigJson,
		StringData: map[string]string{corev1.DockerConfigJsonKey: `{"auths":{"` + privateReg + `":{"auth":"dXNlcjpwYXNz"}}}`},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	// There is no storage provisioner here: a static hostPath volume of the claim's storage
	// class stands ready, and kube-controller-manager's PV binder (pkg/controller/volume/
	// persistentvolume) binds the claim the provider creates to it, so the scheduler's
	// VolumeBinding filter admits the pods. The class object need not exist for static binding.
	class := "kf-static-" + ns
	pvName := staticVolume(t, c, class)

	const addr = "module.gpu.kubefoundry_model_deployment.this"
	claim := rt.ModelCacheClaimName("qwen")
	var claimUID string
	// A root module on disk (ConfigDirectory): terraform-plugin-testing v1.16 runs
	// `terraform init` before it writes a raw Config string, so a module block there is never
	// installed; a step's directory is copied in before its init.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(moduleConfig(t, root, ns, pool, class)), 0o600); err != nil {
		t.Fatal(err)
	}
	step := func(s resource.TestStep) resource.TestStep {
		s.ProtoV6ProviderFactories = acctest.ProtoV6ProviderFactories
		s.ConfigDirectory = tfconfig.StaticDirectory(dir)
		return s
	}
	destroyed := func() error {
		if err := nothingLeft(c, ns)(nil); err != nil {
			return err
		}
		// Ours, kept: delete_claim_on_destroy defaults to false.
		pvc, err := c.Clientset.CoreV1().PersistentVolumeClaims(ns).Get(ctx, claim, metav1.GetOptions{})
		if err != nil || string(pvc.UID) != claimUID {
			return fmt.Errorf("cache claim %s not kept on destroy (uid %q, want %q): %v", claim, uidOf(pvc), claimUID, err)
		}
		jobs, err := c.Clientset.BatchV1().Jobs(ns).List(ctx, metav1.ListOptions{LabelSelector: rt.LabelComponent + "=model-download"})
		if err != nil {
			return err
		}
		for _, j := range jobs.Items {
			if j.DeletionTimestamp == nil {
				return fmt.Errorf("download Job %s left after destroy", j.Name)
			}
		}
		return nil
	}
	// The module's resource lives in module.gpu: the legacy state shim behind TestStep.Check
	// and TestCase.CheckDestroy refuses modules, so the checks run as state checks and the
	// destroy check after resource.Test.
	resource.Test(t, resource.TestCase{
		PreCheck: func() { acctest.PreCheck(t) },
		Steps: []resource.TestStep{
			step(resource.TestStep{
				ConfigStateChecks: []statecheck.StateCheck{
					moduleAttr(addr, "phase", "Running"),
					moduleAttr(addr, "ready", "1"),
					clusterCheck(func() error {
						pvc, err := c.Clientset.CoreV1().PersistentVolumeClaims(ns).Get(ctx, claim, metav1.GetOptions{})
						if err != nil {
							return fmt.Errorf("cache claim: %w", err)
						}
						if pvc.Status.Phase != corev1.ClaimBound || pvc.Spec.VolumeName != pvName {
							return fmt.Errorf("cache claim %s is %s on volume %q, want Bound to %s", claim, pvc.Status.Phase, pvc.Spec.VolumeName, pvName)
						}
						claimUID = string(pvc.UID)
						workers, err := dynamoPods(c, ns, "qwen", "worker")
						if err != nil {
							return err
						}
						if len(workers) != 1 {
							return fmt.Errorf("%d running worker pods, want 1", len(workers))
						}
						w := &workers[0]
						if err := checkPoolPod(w, pool, gpuNode.Name, claim, true); err != nil {
							return err
						}
						main, err := testcluster.Container(w, "main")
						if err != nil {
							return err
						}
						if !strings.HasPrefix(main.Image, privateReg+"/") {
							return fmt.Errorf("worker image %q is not from %s", main.Image, privateReg)
						}
						if err := checkFrontend(c, ns, cpuNode.Name); err != nil {
							return err
						}
						if err := checkDownloadJob(c, ns, pool, gpuNode.Name, claim); err != nil {
							return err
						}
						return untoleratedStaysPending(c, ns, w)
					}),
				},
			}),
			// Re-plan: the operator's defaults on our custom resource and the claim the binder
			// filled in show no diff (the test framework also plans after every apply).
			step(resource.TestStep{PlanOnly: true}),
			// An explicit destroy step: the harness's own post-test destroy first reads the
			// state through the same shim and gives up on a state with modules.
			step(resource.TestStep{Destroy: true}),
		},
	})
	if err := destroyed(); err != nil {
		t.Fatal(err)
	}
}

// moduleAttr checks a resource attribute inside a child module: statecheck.ExpectKnownValue
// looks only at the root module's resources.
func moduleAttr(addr, name, want string) statecheck.StateCheck {
	return stateFunc(func(st *tfjson.State) error {
		if st == nil || st.Values == nil {
			return fmt.Errorf("no state")
		}
		mods := append([]*tfjson.StateModule{}, st.Values.RootModule.ChildModules...)
		for len(mods) > 0 {
			m := mods[0]
			mods = append(mods[1:], m.ChildModules...)
			for _, r := range m.Resources {
				if r.Address != addr {
					continue
				}
				if got := fmt.Sprint(r.AttributeValues[name]); got != want {
					return fmt.Errorf("%s.%s = %q, want %q", addr, name, got, want)
				}
				return nil
			}
		}
		return fmt.Errorf("%s not in state", addr)
	})
}

type stateFunc func(*tfjson.State) error

func (f stateFunc) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f(req.State)
}

// clusterCheck runs a check against the cluster as a state check.
type clusterCheck func() error

func (f clusterCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}

func uidOf(p *corev1.PersistentVolumeClaim) string {
	if p == nil {
		return ""
	}
	return string(p.UID)
}

// checkPoolPod checks the GPU-pool settings on a pod the operator (or the Job controller)
// created: the pool's toleration and node selector, the node the scheduler chose, the pull
// secret, the mirror and the cache on the main (engine) container.
func checkPoolPod(p *corev1.Pod, pool, node, claim string, engine bool) error {
	tolerated := false
	for _, tol := range p.Spec.Tolerations {
		if tol.Key == poolTaintKey && tol.Effect == corev1.TaintEffectNoSchedule &&
			(tol.Operator == corev1.TolerationOpExists || tol.Value == poolTaintValue) {
			tolerated = true
		}
	}
	if !tolerated {
		return fmt.Errorf("pod %s does not tolerate %s=%s:NoSchedule: %v", p.Name, poolTaintKey, poolTaintValue, p.Spec.Tolerations)
	}
	if p.Spec.NodeSelector["pool"] != pool {
		return fmt.Errorf("pod %s nodeSelector %v, want pool=%s", p.Name, p.Spec.NodeSelector, pool)
	}
	if p.Spec.NodeName != node {
		return fmt.Errorf("pod %s scheduled onto %q, want the tainted pool node %s", p.Name, p.Spec.NodeName, node)
	}
	if !hasPullSecret(p) {
		return fmt.Errorf("pod %s imagePullSecrets %v, want regcred", p.Name, p.Spec.ImagePullSecrets)
	}
	name := ""
	if engine {
		name = "main" // Dynamo 1.4 names the engine container "main"
	}
	ctr, err := testcluster.Container(p, name)
	if err != nil {
		return err
	}
	if v, _ := testcluster.EnvValue(ctr, "HF_ENDPOINT"); v != hubMirror {
		return fmt.Errorf("pod %s container %s HF_ENDPOINT = %q, want the mirror %s", p.Name, ctr.Name, v, hubMirror)
	}
	home, _ := testcluster.EnvValue(ctr, "HF_HOME")
	if home != rt.DefaultModelCachePath {
		return fmt.Errorf("pod %s container %s HF_HOME = %q, want %s", p.Name, ctr.Name, home, rt.DefaultModelCachePath)
	}
	return checkCacheMount(p, ctr, claim, home)
}

// hasPullSecret: the pod names the private registry's pull secret "regcred".
func hasPullSecret(p *corev1.Pod) bool {
	for _, s := range p.Spec.ImagePullSecrets {
		if s.Name == "regcred" {
			return true
		}
	}
	return false
}

// checkCacheMount: the claim is a volume of the pod and mounted at HF_HOME in the container.
func checkCacheMount(p *corev1.Pod, ctr *corev1.Container, claim, path string) error {
	vol := ""
	for _, v := range p.Spec.Volumes {
		if v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ClaimName == claim {
			vol = v.Name
		}
	}
	if vol == "" {
		return fmt.Errorf("pod %s has no volume from claim %s: %v", p.Name, claim, p.Spec.Volumes)
	}
	for _, m := range ctr.VolumeMounts {
		if m.Name == vol && m.MountPath == path {
			return nil
		}
	}
	return fmt.Errorf("pod %s container %s does not mount volume %s at %s: %v", p.Name, ctr.Name, vol, path, ctr.VolumeMounts)
}

// checkFrontend: the module keeps the frontend off the GPU pool (no toleration), so the
// scheduler puts it on the untainted node; it mounts no cache.
func checkFrontend(c *testcluster.Cluster, ns, node string) error {
	pods, err := dynamoPods(c, ns, "qwen", "frontend")
	if err != nil {
		return err
	}
	if len(pods) != 1 {
		return fmt.Errorf("%d running frontend pods, want 1", len(pods))
	}
	f := &pods[0]
	for _, tol := range f.Spec.Tolerations {
		if tol.Key == poolTaintKey {
			return fmt.Errorf("frontend pod %s tolerates the GPU taint: %v", f.Name, f.Spec.Tolerations)
		}
	}
	if f.Spec.NodeName != node {
		return fmt.Errorf("frontend pod %s on %q, want the untainted node %s", f.Name, f.Spec.NodeName, node)
	}
	if !hasPullSecret(f) {
		return fmt.Errorf("frontend pod %s imagePullSecrets %v, want regcred", f.Name, f.Spec.ImagePullSecrets)
	}
	main, err := testcluster.Container(f, "main")
	if err != nil {
		return err
	}
	if !strings.HasPrefix(main.Image, privateReg+"/") {
		return fmt.Errorf("frontend image %q is not from %s", main.Image, privateReg)
	}
	if q := main.Resources.Requests[corev1.ResourceCPU]; q.Cmp(kresource.MustParse("2")) != 0 {
		return fmt.Errorf("frontend cpu request %s, want 2 (roles.frontend.resources.cpu)", q.String())
	}
	return nil
}

// checkDownloadJob: the download Job exists, completed (kwok's pod stages finish its pod;
// the Job controller of kube-controller-manager marks it complete), and its pod carried the
// worker role's scheduling, the pull secret, the mirror and the cache.
func checkDownloadJob(c *testcluster.Cluster, ns, pool, node, claim string) error {
	ctx := context.Background()
	jobs, err := c.Clientset.BatchV1().Jobs(ns).List(ctx, metav1.ListOptions{LabelSelector: rt.LabelComponent + "=model-download"})
	if err != nil {
		return err
	}
	if len(jobs.Items) != 1 {
		return fmt.Errorf("%d download Jobs, want 1", len(jobs.Items))
	}
	pods, err := c.Clientset.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "job-name=" + jobs.Items[0].Name})
	if err != nil {
		return err
	}
	if len(pods.Items) == 0 {
		return fmt.Errorf("download Job %s has no pod", jobs.Items[0].Name)
	}
	return checkPoolPod(&pods.Items[0], pool, node, claim, false)
}

// untoleratedStaysPending is the control: the worker pod the operator made, minus the
// pool's toleration, is refused by the real scheduler's TaintToleration filter. It is
// deleted again before destroy (nothing is left).
func untoleratedStaysPending(c *testcluster.Cluster, ns string, w *corev1.Pod) error {
	ctx := context.Background()
	spec := w.Spec.DeepCopy()
	spec.NodeName = ""
	var tols []corev1.Toleration
	for _, tol := range spec.Tolerations {
		if tol.Key != poolTaintKey {
			tols = append(tols, tol)
		}
	}
	spec.Tolerations = tols
	ctl := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "control-untolerated"}, Spec: *spec}
	if _, err := c.Clientset.CoreV1().Pods(ns).Create(ctx, ctl, metav1.CreateOptions{}); err != nil {
		return fmt.Errorf("control pod: %w", err)
	}
	defer func() {
		zero := int64(0)
		_ = c.Clientset.CoreV1().Pods(ns).Delete(ctx, ctl.Name, metav1.DeleteOptions{GracePeriodSeconds: &zero})
		_ = wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, 20*time.Second, true, func(ctx context.Context) (bool, error) {
			_, err := c.Clientset.CoreV1().Pods(ns).Get(ctx, ctl.Name, metav1.GetOptions{})
			return err != nil, nil
		})
	}()
	// kube-scheduler v1.36 summarises per node: "0/2 nodes are available: 1 node(s) didn't
	// match Pod's node affinity/selector, 1 node(s) had untolerated taint(s)" (the CPU node
	// fails the pool selector, the pool node the taint).
	const msg = "1 node(s) had untolerated taint"
	if _, err := c.WaitForEvent(ctx, ns, "Pod", ctl.Name, "FailedScheduling", msg, 20*time.Second); err != nil {
		return fmt.Errorf("control pod without the toleration: %w", err)
	}
	got, err := c.Clientset.CoreV1().Pods(ns).Get(ctx, ctl.Name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	if got.Spec.NodeName != "" || got.Status.Phase != corev1.PodPending {
		return fmt.Errorf("control pod without the toleration is %s on %q, want Pending unscheduled", got.Status.Phase, got.Spec.NodeName)
	}
	return nil
}

// staticVolume creates a hostPath PersistentVolume of the storage class for the claim the
// provider creates: kwok clusters have no provisioner, and kube-controller-manager's PV
// binder (pkg/controller/volume/persistentvolume) binds a claim to a matching static volume.
func staticVolume(t *testing.T, c *testcluster.Cluster, class string) string {
	t.Helper()
	name := class + "-pv"
	if _, err := c.Clientset.CoreV1().PersistentVolumes().Create(context.Background(), &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: corev1.PersistentVolumeSpec{
			StorageClassName:              class,
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: kresource.MustParse("20Gi")},
			AccessModes:                   []corev1.PersistentVolumeAccessMode{corev1.ReadWriteMany},
			PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimRetain,
			PersistentVolumeSource:        corev1.PersistentVolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: "/var/cache/" + class}},
		},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = c.Clientset.CoreV1().PersistentVolumes().Delete(context.Background(), name, metav1.DeleteOptions{})
	})
	return name
}

// waitRunning waits for exactly one Running, Ready pod matching selector.
func waitRunning(c *testcluster.Cluster, ns, selector string, timeout time.Duration) (*corev1.Pod, error) {
	var pods []corev1.Pod
	err := wait.PollUntilContextTimeout(context.Background(), 250*time.Millisecond, timeout, true, func(context.Context) (bool, error) {
		var err error
		pods, err = c.RunningPods(context.Background(), ns, selector)
		return err == nil && len(pods) == 1, nil
	})
	if err != nil {
		all, _ := c.Clientset.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{LabelSelector: selector})
		var seen []string
		for _, p := range all.Items {
			seen = append(seen, fmt.Sprintf("%s %s on %q", p.Name, p.Status.Phase, p.Spec.NodeName))
		}
		return nil, fmt.Errorf("no single running pod %q in %s after %s: %v", selector, ns, timeout, seen)
	}
	return &pods[0], nil
}
