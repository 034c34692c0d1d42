package operatorstest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	corev1 "k8s.io/api/core/v1"
	kresource "k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// TestAccRealWorkloadKubeRayPodsCarrySettings: the same settings reach the pods KubeRay
// 1.6.2 creates from our head and worker group templates. The worker role tolerates the
// pool's taint and selects it, so the real scheduler places the worker on the tainted node
// and the head (no toleration) on the untainted one; both pull from the private registry
// with the pull secret, get the provider's huggingface.endpoint as HF_ENDPOINT and mount
// the cache claim at HF_HOME. The claim is ours with delete_claim_on_destroy = true, so
// destroy removes it. wait_for_ready = false: a RayService never becomes Ready here (no
// Ray dashboard runs on kwok; see TestAccRealKubeRayDeployingWithOperatorReasonAndOwnPods).
func TestAccRealWorkloadKubeRayPodsCarrySettings(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	ctx := context.Background()
	ns := c.ShortNamespace(t, "wlr")
	pool := ns + "-gpu"
	taint := corev1.Taint{Key: poolTaintKey, Value: poolTaintValue, Effect: corev1.TaintEffectNoSchedule}
	gpuNode := testcluster.GPUNode{Name: pool + "-a", GPUs: 1, Labels: map[string]string{"pool": pool}}
	cpuNode := testcluster.GPUNode{Name: ns + "-cpu-a", Labels: map[string]string{"pool": ns + "-cpu"}}
	if _, err := c.CreateKwokNode(ctx, gpuNode, taint); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateKwokNode(ctx, cpuNode); err != nil {
		t.Fatal(err)
	}
	c.DeleteNodes(t, gpuNode.Name, cpuNode.Name)
	if _, err := c.Clientset.CoreV1().Secrets(ns).Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "regcred"}, Type: corev1.SecretTypeDockerConfigJson,
		StringData: map[string]string{corev1.DockerConfigJsonKey: `{"auths":{"` + privateReg + `":{"auth":"dXNlcjpwYXNz"}}}`},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	class := "kf-static-" + ns
	staticVolume(t, c, class)
	claim := rt.ModelCacheClaimName("ray")
	config := acctest.ProviderBlock(t, fmt.Sprintf("  huggingface {\n    endpoint = %q\n  }", hubMirror)) + acctest.Deployment("r", fmt.Sprintf(`name = "ray"
namespace = %q
runtime = "kuberay"
model = "Qwen/Qwen3-0.6B"
wait_for_ready = false
kuberay = {
  head_cpu      = "1"
  head_memory   = "2Gi"
  worker_cpu    = "2"
  worker_memory = "8Gi"
  image         = "%s/rayproject/ray-llm:2.52.0-py311-cu128"
}
pod = {
  image_pull_secrets = ["regcred"]
}
roles = {
  worker = {
    node_selector = { pool = %q }
    tolerations   = [{ key = %q, operator = "Equal", value = %q, effect = "NoSchedule" }]
  }
}
model_cache = {
  size                    = "20Gi"
  storage_class           = %q
  delete_claim_on_destroy = true
}`, ns, privateReg, pool, poolTaintKey, poolTaintValue, class))
	resource.Test(t, acctest.TestCase(t, func(s *terraform.State) error {
		if err := nothingLeft(c, ns)(s); err != nil {
			return err
		}
		// Ours and asked for: deleted (the pvc-protection finalizer may still hold it briefly).
		pvc, err := c.Clientset.CoreV1().PersistentVolumeClaims(ns).Get(ctx, claim, metav1.GetOptions{})
		if err == nil && pvc.DeletionTimestamp == nil {
			return fmt.Errorf("cache claim %s kept on destroy despite delete_claim_on_destroy = true", claim)
		}
		return nil
	},
		resource.TestStep{
			Config: config,
			Check: func(*terraform.State) error {
				worker, err := waitRunning(c, ns, "ray.io/node-type=worker", 60*time.Second)
				if err != nil {
					return err
				}
				head, err := waitRunning(c, ns, "ray.io/node-type=head", 10*time.Second)
				if err != nil {
					return err
				}
				if err := checkPoolPod(worker, pool, gpuNode.Name, claim, false); err != nil {
					return fmt.Errorf("KubeRay worker: %w", err)
				}
				for _, tol := range head.Spec.Tolerations {
					if tol.Key == poolTaintKey {
						return fmt.Errorf("head pod %s tolerates the GPU taint, only roles.worker asked: %v", head.Name, head.Spec.Tolerations)
					}
				}
				if head.Spec.NodeName != cpuNode.Name {
					return fmt.Errorf("head pod %s on %q, want the untainted node %s", head.Name, head.Spec.NodeName, cpuNode.Name)
				}
				if !hasPullSecret(head) {
					return fmt.Errorf("head pod %s imagePullSecrets %v", head.Name, head.Spec.ImagePullSecrets)
				}
				for _, p := range []*corev1.Pod{head, worker} {
					// KubeRay 1.6.2 keeps the first container as the Ray container
					// (ray-operator/controllers/ray/utils/constant.go RayContainerIndex = 0).
					ctr := &p.Spec.Containers[0]
					if !strings.HasPrefix(ctr.Image, privateReg+"/") {
						return fmt.Errorf("pod %s image %q is not from %s", p.Name, ctr.Image, privateReg)
					}
					if v, _ := testcluster.EnvValue(ctr, "HF_ENDPOINT"); v != hubMirror {
						return fmt.Errorf("pod %s HF_ENDPOINT = %q, want the provider's huggingface.endpoint %s", p.Name, v, hubMirror)
					}
					if err := checkCacheMount(p, ctr, claim, rt.DefaultModelCachePath); err != nil {
						return err
					}
				}
				return nil
			},
		},
	))
}

// TestAccRealWorkloadKAITOTemplatePodCarriesSettings: the settings on our KAITO inference
// template reach the pod of the StatefulSet KAITO 0.12 makes from it. The pool's taint key
// is our own: KAITO adds its own nvidia.com/gpu and sku=gpu tolerations to every inference
// pod (pkg/workspace/inference/preset_inferences.go defaultTolerations, v0.12.0), so only a
// key it does not know shows that ours got through. The cache is an existing claim, bound
// by the PV binder to a static volume, and is kept on destroy: the provider never deletes a
// claim it did not create.
func TestAccRealWorkloadKAITOTemplatePodCarriesSettings(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	ctx := context.Background()
	ns := c.ShortNamespace(t, "wlk")
	pool := ns + "-gpu"
	taint := corev1.Taint{Key: "pool.example/gpu", Value: "a100", Effect: corev1.TaintEffectNoSchedule}
	gpuNode := testcluster.GPUNode{Name: pool + "-a", GPUs: 1, Labels: map[string]string{"pool": pool}}
	if _, err := c.CreateKwokNode(ctx, gpuNode, taint); err != nil {
		t.Fatal(err)
	}
	c.DeleteNodes(t, gpuNode.Name)
	if _, err := c.Clientset.CoreV1().Secrets(ns).Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "regcred"}, Type: corev1.SecretTypeDockerConfigJson,
		StringData: map[string]string{corev1.DockerConfigJsonKey: `{"auths":{"` + privateReg + `":{"auth":"dXNlcjpwYXNz"}}}`},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	class := "kf-static-" + ns
	staticVolume(t, c, class)
	const claim = "shared-weights"
	existing, err := c.Clientset.CoreV1().PersistentVolumeClaims(ns).Create(ctx, &corev1.PersistentVolumeClaim{
		ObjectMeta: metav1.ObjectMeta{Name: claim},
		Spec: corev1.PersistentVolumeClaimSpec{
			StorageClassName: &class,
			AccessModes:      []corev1.PersistentVolumeAccessMode{corev1.ReadWriteMany},
			Resources:        corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: kresource.MustParse("20Gi")}},
		},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	config := acctest.Config(t, acctest.Deployment("k", fmt.Sprintf(`name = "kv"
namespace = %q
runtime = "kaito"
model = "Qwen/Qwen3-0.6B"
kaito = {
  model_source   = "vllm"
  label_selector = { pool = %q }
}
pod = {
  image_pull_secrets = ["regcred"]
  tolerations        = [{ key = %q, operator = "Equal", value = %q, effect = "NoSchedule" }]
}
model_cache = { claim_name = %q }
huggingface_endpoint = %q`, ns, pool, taint.Key, taint.Value, claim, hubMirror)))
	resource.Test(t, acctest.TestCase(t, func(s *terraform.State) error {
		if err := nothingLeft(c, ns)(s); err != nil {
			return err
		}
		pvc, err := c.Clientset.CoreV1().PersistentVolumeClaims(ns).Get(ctx, claim, metav1.GetOptions{})
		if err != nil || pvc.UID != existing.UID || pvc.DeletionTimestamp != nil {
			return fmt.Errorf("the existing claim %s was not left alone on destroy: %v", claim, err)
		}
		return nil
	},
		resource.TestStep{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.Attr("kubefoundry_model_deployment.k", "phase", knownvalue.StringExact("Running")),
			},
			Check: func(*terraform.State) error {
				pods, err := c.RunningPods(context.Background(), ns, kaitoWorkspaceLabel+"=kv")
				if err != nil {
					return err
				}
				if len(pods) != 1 {
					return fmt.Errorf("%d running workspace pods, want 1", len(pods))
				}
				p := &pods[0]
				ours := false
				for _, tol := range p.Spec.Tolerations {
					ours = ours || tol.Key == taint.Key && tol.Value == taint.Value && tol.Effect == taint.Effect
				}
				if !ours {
					return fmt.Errorf("pod %s lacks our toleration %s=%s: %v", p.Name, taint.Key, taint.Value, p.Spec.Tolerations)
				}
				if p.Spec.NodeName != gpuNode.Name {
					return fmt.Errorf("pod %s on %q, want the tainted node %s", p.Name, p.Spec.NodeName, gpuNode.Name)
				}
				if !hasPullSecret(p) {
					return fmt.Errorf("pod %s imagePullSecrets %v, want regcred", p.Name, p.Spec.ImagePullSecrets)
				}
				// Our template's container is "model" (internal/runtimes/kaito/workload.go).
				ctr, err := testcluster.Container(p, "model")
				if err != nil {
					return err
				}
				if v, _ := testcluster.EnvValue(ctr, "HF_ENDPOINT"); v != hubMirror {
					return fmt.Errorf("pod %s HF_ENDPOINT = %q, want %s", p.Name, v, hubMirror)
				}
				home, _ := testcluster.EnvValue(ctr, "HF_HOME")
				if home != rt.DefaultModelCachePath {
					return fmt.Errorf("pod %s HF_HOME = %q, want %s", p.Name, home, rt.DefaultModelCachePath)
				}
				return checkCacheMount(p, ctr, claim, home)
			},
		},
	))
}
