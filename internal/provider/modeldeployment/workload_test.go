package modeldeployment_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	kresource "k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

const mirror = "https://hf-mirror.test.example"

// workloadConfig is a Dynamo deployment on a tainted GPU pool, from a private registry,
// with a cache claim the provider creates and fills, behind the provider's Hub mirror.
func workloadConfig(t *testing.T, ns, extraPod string) string {
	return acctest.ProviderBlock(t, fmt.Sprintf("  huggingface {\n    endpoint = %q\n  }", mirror)) + fmt.Sprintf(`
resource "kubefoundry_model_deployment" "m" {
  name      = "prod"
  namespace = %q
  runtime   = "dynamo"
  model     = "Qwen/Qwen3-0.6B"
  labels    = { "cost-center" = "42" }
  pod = {
    image              = "registry.test.example/ai-dynamo/vllm-runtime:1.4.0"
    image_pull_secrets = ["regcred"]
    node_selector      = { "pool" = "gpu" }
    tolerations        = [{ key = "nvidia.com/gpu", operator = "Exists", effect = "NoSchedule" }]
    %s
  }
  roles = {
    frontend = { node_selector = {}, tolerations = [] }
  }
  model_cache = {
    size     = "10Gi"
    download = true
  }
}
`, ns, extraPod)
}

// TestAccWorkloadGPUPoolPrivateImageCacheMirror covers, on one deployment: the toleration
// for a tainted GPU pool and the pull secret of a private image (on the custom resource and
// on the download Job's pod the real Job controller creates), the mirror reaching the
// engine env as HF_ENDPOINT, the cache claim created once and reused across an update,
// drift of a setting and of a companion, and a destroy that keeps the claim.
func TestAccWorkloadGPUPoolPrivateImageCacheMirror(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	ctx := context.Background()
	if _, err := c.Clientset.CoreV1().Secrets(ns).Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "regcred"}, Type: corev1.SecretTypeDockerConfigJson,
		StringData: map[string]string{corev1.DockerConfigJsonKey: `{"auths":{"registry.test.example":{"auth":"dXNlcjpwYXNz"}}}`},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	job := "" // named after its pod template; found by label after the first apply
	var claimUID types.UID
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			// The claim survives the destroy (delete_claim_on_destroy is unset); the Job does not.
			pvc, err := c.Clientset.CoreV1().PersistentVolumeClaims(ns).Get(ctx, "prod-model-cache", metav1.GetOptions{})
			if err != nil || pvc.UID != claimUID {
				return fmt.Errorf("cache claim not kept on destroy: %v", err)
			}
			jobs, err := c.Clientset.BatchV1().Jobs(ns).List(ctx, metav1.ListOptions{LabelSelector: rt.LabelComponent + "=model-download"})
			for _, j := range jobs.Items {
				if err == nil && j.DeletionTimestamp == nil {
					return fmt.Errorf("download Job %s still exists after destroy", j.Name)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: workloadConfig(t, ns, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("manifest"), knownvalue.StringRegexp(regexp.MustCompile(`(?s)HF_ENDPOINT\s+value: `+regexp.QuoteMeta(mirror)))),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("companion_manifests"), knownvalue.StringRegexp(regexp.MustCompile(`(?s)kind: PersistentVolumeClaim.*kind: Job`))),
				}},
				Check: func(*terraform.State) error {
					obj := getObject(t, "dynamo", ns, "prod")
					if err := checkWorker(component(t, obj, "VllmWorker")); err != nil {
						return err
					}
					if tol, found, _ := unstructured.NestedSlice(component(t, obj, "Frontend"), "podTemplate", "spec", "tolerations"); found {
						return fmt.Errorf("frontend must not tolerate the GPU taint (roles.frontend.tolerations = []): %v", tol)
					}
					if obj.GetLabels()["cost-center"] != "42" {
						return fmt.Errorf("custom resource labels: %v", obj.GetLabels())
					}
					pvc, err := c.Clientset.CoreV1().PersistentVolumeClaims(ns).Get(ctx, "prod-model-cache", metav1.GetOptions{})
					if err != nil {
						return fmt.Errorf("cache claim: %w", err)
					}
					if got := pvc.Spec.Resources.Requests[corev1.ResourceStorage]; got.Cmp(kresource.MustParse("10Gi")) != 0 {
						return fmt.Errorf("claim size %s", got.String())
					}
					claimUID = pvc.UID
					if job, err = downloadJobOf(ctx, c, ns, "prod"); err != nil {
						return err
					}
					return checkDownloadPod(ctx, c, ns, job)
				},
			},
			// An update keeps the same claim: the cache outlives spec changes.
			{
				Config: workloadConfig(t, ns, `env = { "VLLM_LOGGING_LEVEL" = "DEBUG" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					pvc, err := c.Clientset.CoreV1().PersistentVolumeClaims(ns).Get(ctx, "prod-model-cache", metav1.GetOptions{})
					if err != nil || pvc.UID != claimUID {
						return fmt.Errorf("cache claim was not reused across the update: %v (uid %v, want %v)", err, pvc.UID, claimUID)
					}
					// The env reaches the Job too: a new Job replaces the old one (templates are immutable).
					newJob, err := downloadJobOf(ctx, c, ns, "prod")
					if err != nil {
						return err
					}
					if newJob == job {
						return fmt.Errorf("download Job %s kept across an env change", job)
					}
					job = newJob
					env := mainContainer(component(t, getObject(t, "dynamo", ns, "prod"), "VllmWorker"))["env"]
					if !strings.Contains(fmt.Sprint(env), "VLLM_LOGGING_LEVEL value:DEBUG") {
						return fmt.Errorf("env not updated: %v", env)
					}
					return nil
				},
			},
			// Drift of a setting: someone drops the toleration; the plan restores it.
			{
				PreConfig: func() {
					editComponent(t, c, ns, "prod", "VllmWorker", func(comp map[string]any) {
						delete(podSpec(comp), "tolerations")
					})
				},
				Config: workloadConfig(t, ns, `env = { "VLLM_LOGGING_LEVEL" = "DEBUG" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					return checkWorker(component(t, getObject(t, "dynamo", ns, "prod"), "VllmWorker"))
				},
			},
			// Drift of a companion: the download Job is deleted; the plan re-creates it.
			{
				PreConfig: func() {
					bg := metav1.DeletePropagationBackground
					if err := c.Clientset.BatchV1().Jobs(ns).Delete(ctx, job, metav1.DeleteOptions{PropagationPolicy: &bg}); err != nil {
						t.Fatal(err)
					}
					waitJobGone(t, c, ns, job)
				},
				Config: workloadConfig(t, ns, `env = { "VLLM_LOGGING_LEVEL" = "DEBUG" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					_, err := c.Clientset.BatchV1().Jobs(ns).Get(ctx, job, metav1.GetOptions{})
					return err
				},
			},
			// And then the plan is clean.
			{Config: workloadConfig(t, ns, `env = { "VLLM_LOGGING_LEVEL" = "DEBUG" }`), PlanOnly: true},
		},
	})
}

// checkWorker asserts the worker component (v1beta1 spec.components entry) of the custom
// resource carries the settings in its podTemplate and engine container "main".
func checkWorker(comp map[string]any) error {
	spec := podSpec(comp)
	if !strings.Contains(fmt.Sprint(spec["tolerations"]), "key:nvidia.com/gpu") {
		return fmt.Errorf("worker tolerations: %v", spec["tolerations"])
	}
	if fmt.Sprint(spec["imagePullSecrets"]) != "[map[name:regcred]]" {
		return fmt.Errorf("worker pull secrets: %v", spec["imagePullSecrets"])
	}
	mc := mainContainer(comp)
	if mc["image"] != "registry.test.example/ai-dynamo/vllm-runtime:1.4.0" {
		return fmt.Errorf("worker image %v", mc["image"])
	}
	env := fmt.Sprint(mc["env"])
	if !strings.Contains(env, "HF_ENDPOINT value:"+mirror) || !strings.Contains(env, "HF_HOME value:"+rt.DefaultModelCachePath) {
		return fmt.Errorf("worker env lacks the mirror or the cache: %v", env)
	}
	return nil
}

// podSpec is the podTemplate.spec of a v1beta1 component (the map inside it, so edits
// write through); an empty map when the component has none.
func podSpec(comp map[string]any) map[string]any {
	spec, _, _ := unstructured.NestedFieldNoCopy(comp, "podTemplate", "spec")
	m, _ := spec.(map[string]any)
	if m == nil {
		return map[string]any{}
	}
	return m
}

// mainContainer is the engine container "main" of a v1beta1 component (the map inside it).
func mainContainer(comp map[string]any) map[string]any {
	ctrs, _ := podSpec(comp)["containers"].([]any)
	for _, c := range ctrs {
		if m, ok := c.(map[string]any); ok && m["name"] == "main" {
			return m
		}
	}
	return map[string]any{}
}

// editComponent is an out-of-band edit of one spec.components entry of a Dynamo
// deployment: fetch, edit the component in place, Update under another field manager (a
// merge patch would replace the whole list).
func editComponent(t *testing.T, c *testcluster.Cluster, ns, name, comp string, edit func(map[string]any)) {
	t.Helper()
	obj := getObject(t, "dynamo", ns, name)
	edit(component(t, obj, comp))
	if _, err := c.Dynamic.Resource(testcluster.GVRFor("dynamo")).Namespace(ns).Update(context.Background(), obj, metav1.UpdateOptions{FieldManager: "kubectl-edit"}); err != nil {
		t.Fatal(err)
	}
}

// checkDownloadPod waits for the pod the Job controller creates for the download Job and
// checks it inherits the worker role's scheduling, pull secret, mirror and cache claim.
func checkDownloadPod(ctx context.Context, c *testcluster.Cluster, ns, job string) error {
	var pod *corev1.Pod
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		pods, err := c.Clientset.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "batch.kubernetes.io/job-name=" + job})
		if err == nil && len(pods.Items) > 0 {
			pod = &pods.Items[0]
			break
		}
	}
	if pod == nil {
		return fmt.Errorf("the Job controller created no pod for %s", job)
	}
	s := pod.Spec
	if s.NodeSelector["pool"] != "gpu" {
		return fmt.Errorf("download pod node selector %v", s.NodeSelector)
	}
	if !slices.ContainsFunc(s.Tolerations, func(t corev1.Toleration) bool {
		return t.Key == "nvidia.com/gpu" && t.Operator == corev1.TolerationOpExists && t.Effect == corev1.TaintEffectNoSchedule
	}) {
		return fmt.Errorf("download pod tolerations %v", s.Tolerations)
	}
	if len(s.ImagePullSecrets) != 1 || s.ImagePullSecrets[0].Name != "regcred" {
		return fmt.Errorf("download pod pull secrets %v", s.ImagePullSecrets)
	}
	ctr := s.Containers[0]
	if ctr.Image != "registry.test.example/ai-dynamo/vllm-runtime:1.4.0" {
		return fmt.Errorf("download pod image %s", ctr.Image)
	}
	if !slices.Contains(ctr.Env, corev1.EnvVar{Name: "HF_ENDPOINT", Value: mirror}) {
		return fmt.Errorf("download pod env %v", ctr.Env)
	}
	if _, ok := ctr.Resources.Limits["nvidia.com/gpu"]; ok {
		return fmt.Errorf("the download pod must not hold a GPU: %v", ctr.Resources)
	}
	// The ServiceAccount admission plugin adds the projected kube-api-access-* volume, as on a real cluster.
	vols := slices.DeleteFunc(slices.Clone(s.Volumes), func(v corev1.Volume) bool { return strings.HasPrefix(v.Name, "kube-api-access-") })
	if len(vols) != 1 || vols[0].PersistentVolumeClaim == nil || vols[0].PersistentVolumeClaim.ClaimName != "prod-model-cache" {
		return fmt.Errorf("download pod volumes %v", s.Volumes)
	}
	return nil
}

// downloadJobOf finds the one live (not deleting) download Job of a deployment.
func downloadJobOf(ctx context.Context, c *testcluster.Cluster, ns, name string) (string, error) {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		jobs, err := c.Clientset.BatchV1().Jobs(ns).List(ctx, metav1.ListOptions{LabelSelector: rt.LabelInstance + "=" + name + "," + rt.LabelComponent + "=model-download"})
		if err != nil {
			return "", err
		}
		var live []string
		for _, j := range jobs.Items {
			if j.DeletionTimestamp == nil {
				live = append(live, j.Name)
			}
		}
		if len(live) == 1 {
			return live[0], nil
		}
	}
	return "", fmt.Errorf("want exactly one download Job for %s/%s", ns, name)
}

func waitJobGone(t *testing.T, c *testcluster.Cluster, ns, name string) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		if _, err := c.Clientset.BatchV1().Jobs(ns).Get(context.Background(), name, metav1.GetOptions{}); apierrors.IsNotFound(err) {
			return
		}
	}
	t.Fatalf("Job %s/%s not deleted", ns, name)
}

// TestAccWorkloadOverridesAndExistingClaim: an override adds a RayService field the
// provider does not model (visible in the plan, applied), one with an unknown field is
// refused by the server's strict validation, and an existing claim is mounted and never
// deleted.
func TestAccWorkloadOverridesAndExistingClaim(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	ctx := context.Background()
	if _, err := c.Clientset.CoreV1().PersistentVolumeClaims(ns).Create(ctx, &corev1.PersistentVolumeClaim{
		ObjectMeta: metav1.ObjectMeta{Name: "shared-hf-cache"},
		Spec: corev1.PersistentVolumeClaimSpec{AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteMany},
			Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: kresource.MustParse("1Gi")}}},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	cfg := func(overrides string) string {
		return config(t, fmt.Sprintf(`name = "ray-ovr"
namespace = %q
runtime = "kuberay"
model = "Qwen/Qwen3-0.6B"
model_cache = { claim_name = "shared-hf-cache" }
overrides = %s`, ns, overrides))
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			_, err := c.Clientset.CoreV1().PersistentVolumeClaims(ns).Get(ctx, "shared-hf-cache", metav1.GetOptions{})
			return err // a claim we did not create is never deleted
		},
		Steps: []resource.TestStep{
			{
				Config: cfg(`jsonencode({ spec = { rayClusterConfig = { enableInTreeAutoscaling = true } } })`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("manifest"), knownvalue.StringRegexp(regexp.MustCompile(`enableInTreeAutoscaling: true`))),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("companion_manifests"), knownvalue.Null()),
				}},
				Check: func(*terraform.State) error {
					obj := getObject(t, "kuberay", ns, "ray-ovr")
					if v, _, _ := unstructured.NestedBool(obj.Object, "spec", "rayClusterConfig", "enableInTreeAutoscaling"); !v {
						return fmt.Errorf("override not applied: %v", obj.Object["spec"])
					}
					groups, _, _ := unstructured.NestedSlice(obj.Object, "spec", "rayClusterConfig", "workerGroupSpecs")
					if !strings.Contains(fmt.Sprint(groups), "claimName:shared-hf-cache") {
						return fmt.Errorf("existing claim not mounted on the workers: %v", groups)
					}
					return nil
				},
			},
			{Config: cfg(`jsonencode({ spec = { rayClusterConfig = { enableInTreeAutoscaling = true } } })`), PlanOnly: true},
			{
				Config: cfg(`yamlencode({ spec = { rayClusterConfig = { noSuchField = 1 } } })`),
				// Strict field validation: the server refuses a field the CRD does not declare.
				ExpectError: regexp.MustCompile(`(?s)noSuchField:\s+field\s+not\s+declared\s+in\s+schema`),
			},
		},
	})
}

// TestAccExampleGPUPoolModulePlansOffline plans examples/modules/gpu-pool-private-registry
// as a root module, without a cluster: the claim, the Job, the toleration, the pull secret
// and the mirror are in the plan.
func TestAccExampleGPUPoolModulePlansOffline(t *testing.T) {
	root, err := testcluster.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "examples", "modules", "gpu-pool-private-registry")
	var body strings.Builder
	// versions.tf is left out: it pins the registry source, the test serves the provider in-process.
	for _, f := range []string{"variables.tf", "main.tf", "outputs.tf"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		body.Write(b)
		body.WriteString("\n")
	}
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "none"))
	const res = "kubefoundry_model_deployment.this"
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:             "provider \"kubefoundry\" {}\n" + body.String(),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate),
				plancheck.ExpectKnownValue(res, tfjsonpath.New("manifest"), knownvalue.StringRegexp(regexp.MustCompile(
					`(?s)HF_ENDPOINT\s+value: https://hf-mirror.internal.example.*name: regcred.*key: nvidia.com/gpu`))),
				plancheck.ExpectKnownValue(res, tfjsonpath.New("companion_manifests"), knownvalue.StringRegexp(regexp.MustCompile(
					`(?s)name: qwen3-model-cache.*kind: Job.*name: regcred`))),
			}},
		}},
	})
}

// TestAccManifestDataSourceWorkload: the data source renders the workload settings and the
// provider's mirror without a cluster, and names the attribute of bad input.
func TestAccManifestDataSourceWorkload(t *testing.T) {
	const ds = "data.kubefoundry_manifest.m"
	body := func(extra string) string {
		return fmt.Sprintf(`provider "kubefoundry" {
  huggingface {
    endpoint = %q
  }
}
data "kubefoundry_manifest" "m" {
  name    = "phi"
  runtime = "kaito"
  model   = "microsoft/Phi-3-mini-4k-instruct"
  kaito   = { model_source = "vllm" }
  pod = {
    image              = "registry.test.example/kaito/kaito-base:0.1.1"
    image_pull_secrets = ["regcred"]
    tolerations        = [{ key = "gpu-pool", operator = "Equal", value = "a100", effect = "NoSchedule" }]
  }
  model_cache = { size = "50Gi", access_mode = "ReadWriteOnce" }
  %s
}`, mirror, extra)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: body(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("manifest"), knownvalue.StringRegexp(regexp.MustCompile(
						`(?s)HF_ENDPOINT\s+value: `+regexp.QuoteMeta(mirror)+`.*image: registry.test.example/kaito/kaito-base:0.1.1.*name: regcred.*key: gpu-pool`))),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("manifests"), knownvalue.StringRegexp(regexp.MustCompile(
						`(?s)kind: Workspace.*kind: Service.*name: phi-vllm.*kind: PersistentVolumeClaim.*name: phi-model-cache.*ReadWriteOnce`))),
				},
			},
			{
				Config:      body(`roles = { head = { image_pull_secrets = ["x"] } }`),
				ExpectError: regexp.MustCompile(`(?s)roles\.head.*runtime kaito has no head pods`),
			},
		},
	})
}

// TestAccWorkloadOverridePatchesManagedField: an override may change a field the provider
// renders (here the worker replicas); the patched value is applied and the next plan is
// clean instead of fighting the patch.
func TestAccWorkloadOverridePatchesManagedField(t *testing.T) {
	ns := testcluster.Get(t).Namespace(t)
	cfg := config(t, fmt.Sprintf(`name = "ovr-managed"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"
overrides = yamlencode({ spec = { components = [{ name = "VllmWorker", replicas = 2 }] } })`, ns))
	resource.Test(t, steps(t,
		resource.TestStep{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("manifest"), knownvalue.StringRegexp(regexp.MustCompile(`(?s)name: VllmWorker.*replicas: 2`))),
			}},
			Check: func(*terraform.State) error {
				n, _, _ := unstructured.NestedInt64(component(t, getObject(t, "dynamo", ns, "ovr-managed"), "VllmWorker"), "replicas")
				if n != 2 {
					return fmt.Errorf("worker replicas %d, want the patched 2", n)
				}
				return nil
			},
		},
		resource.TestStep{Config: cfg, PlanOnly: true},
	))
}

// TestAccWorkloadCacheClaimDeletedWhenAsked: with delete_claim_on_destroy the claim the
// provider created goes with the deployment.
func TestAccWorkloadCacheClaimDeletedWhenAsked(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			pvc, err := c.Clientset.CoreV1().PersistentVolumeClaims(ns).Get(context.Background(), "gone-model-cache", metav1.GetOptions{})
			if apierrors.IsNotFound(err) || (err == nil && pvc.DeletionTimestamp != nil) {
				return nil
			}
			return fmt.Errorf("cache claim not deleted on destroy: %v", err)
		},
		Steps: []resource.TestStep{{
			Config: config(t, fmt.Sprintf(`name = "gone"
namespace = %q
runtime = "kaito"
model = "microsoft/Phi-3-mini-4k-instruct"
kaito = { model_source = "vllm" }
model_cache = { size = "5Gi", delete_claim_on_destroy = true }`, ns)),
			Check: func(*terraform.State) error {
				_, err := c.Clientset.CoreV1().PersistentVolumeClaims(ns).Get(context.Background(), "gone-model-cache", metav1.GetOptions{})
				return err
			},
		}},
	})
}

// TestAccWorkloadDriftOfEachSetting edits one workload setting out of band per step (on
// the custom resource or a companion); each shows as a planned update that restores it.
func TestAccWorkloadDriftOfEachSetting(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	ctx := context.Background()
	cfg := workloadConfig(t, ns, `env = { "VLLM_LOGGING_LEVEL" = "DEBUG" }
    service_account_name = "default"`)
	dgd := c.Dynamic.Resource(testcluster.GVRFor("dynamo")).Namespace(ns)
	edit := func(patch string) func() {
		return func() {
			if _, err := dgd.Patch(ctx, "prod", types.MergePatchType, []byte(patch), metav1.PatchOptions{FieldManager: "kubectl-edit"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	worker := func(f func(comp map[string]any)) func() {
		return func() { editComponent(t, c, ns, "prod", "VllmWorker", f) }
	}
	drifts := []struct {
		name string
		edit func()
	}{
		{"env value", worker(func(comp map[string]any) {
			env, _ := mainContainer(comp)["env"].([]any)
			for _, e := range env {
				if m, _ := e.(map[string]any); m["name"] == "VLLM_LOGGING_LEVEL" {
					m["value"] = "INFO"
					return
				}
			}
			t.Fatalf("worker env has no VLLM_LOGGING_LEVEL: %v", env)
		})},
		{"node selector", worker(func(comp map[string]any) { podSpec(comp)["nodeSelector"] = map[string]any{"pool": "cpu"} })},
		{"image", worker(func(comp map[string]any) { mainContainer(comp)["image"] = "docker.io/evil/vllm:latest" })},
		{"pull secrets", worker(func(comp map[string]any) { delete(podSpec(comp), "imagePullSecrets") })},
		{"service account", worker(func(comp map[string]any) { podSpec(comp)["serviceAccountName"] = "other" })},
		{"custom resource label", edit(`{"metadata":{"labels":{"cost-center":null}}}`)},
		{"cache claim label", func() {
			patch := `{"metadata":{"labels":{"app.kubernetes.io/component":"edited"}}}`
			if _, err := c.Clientset.CoreV1().PersistentVolumeClaims(ns).Patch(ctx, "prod-model-cache", types.MergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
				t.Fatal(err)
			}
		}},
	}
	s := []resource.TestStep{{Config: cfg}}
	for _, d := range drifts {
		s = append(s, resource.TestStep{
			PreConfig: d.edit,
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
			}},
		}, resource.TestStep{Config: cfg, PlanOnly: true}) // restored: clean again
	}
	resource.Test(t, steps(t, s...))
}
