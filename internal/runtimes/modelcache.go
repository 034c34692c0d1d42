package runtimes

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// ModelCache mounts a PersistentVolumeClaim at the Hugging Face cache (HF_HOME) of every
// engine container, so restarts and new replicas find the weights on disk.
type ModelCache struct {
	// ClaimName is an existing claim to mount. Empty means the provider creates
	// "<name>-model-cache" from Size, StorageClass and AccessMode.
	ClaimName    string
	Size         string
	StorageClass string
	AccessMode   string
	// MountPath is where the claim is mounted and HF_HOME points (DefaultModelCachePath).
	MountPath string
	// Download runs a one-shot Job that fills the cache with the model before serving.
	Download bool
	// DeleteClaimOnDestroy deletes a claim the provider created when the deployment is
	// destroyed or the cache is removed. A claim named in ClaimName is never deleted.
	DeleteClaimOnDestroy bool
}

// Model cache defaults and names.
const (
	DefaultModelCachePath       = "/var/cache/huggingface"
	DefaultModelCacheAccessMode = "ReadWriteMany"
	ModelCacheVolume            = "model-cache"
	// LabelComponent tells companions apart: "model-cache", "model-download".
	LabelComponent = "app.kubernetes.io/component"
)

// Path is where the claim is mounted and HF_HOME points.
func (c *ModelCache) Path() string {
	if c.MountPath == "" {
		return DefaultModelCachePath
	}
	return c.MountPath
}

func (c *ModelCache) accessMode() string {
	if c.AccessMode == "" {
		return DefaultModelCacheAccessMode
	}
	return c.AccessMode
}

// Managed reports whether the provider creates (and owns) the claim.
func (c *ModelCache) Managed() bool { return c.ClaimName == "" }

// Claim is the name of the claim mounted for deployment name.
func (c *ModelCache) Claim(name string) string {
	if c.ClaimName != "" {
		return c.ClaimName
	}
	return ModelCacheClaimName(name)
}

// ModelCacheClaimName is the claim the provider creates for a deployment.
func ModelCacheClaimName(deployment string) string { return deployment + "-model-cache" }

// downloadJobName names the download Job after its pod template: a Job's template is
// immutable, so a changed model, image or env gets a new Job and the previous one is
// removed as a stale companion.
func downloadJobName(deployment string, template map[string]any) string {
	b, _ := json.Marshal(template) // map keys are sorted: deterministic
	sum := sha256.Sum256(b)
	return deployment + "-download-" + hex.EncodeToString(sum[:])[:8]
}

// mountsOn: the engines download the model; the Dynamo frontend only reads model cards
// the workers publish, and mounting a ReadWriteOnce claim there would pin it to a node.
func (c *ModelCache) mountsOn(role string) bool { return role != RoleFrontend }

func (c *ModelCache) volume(deployment string) map[string]any {
	return map[string]any{"name": ModelCacheVolume, "persistentVolumeClaim": map[string]any{"claimName": c.Claim(deployment)}}
}

// companionLabels are the labels of the objects the workload adds next to the custom resource.
func companionLabels(cfg DeploymentConfig, component string) map[string]string {
	return map[string]string{
		LabelName: "kubefoundry", LabelInstance: cfg.Name, LabelManagedBy: ManagedBy, LabelComponent: component,
	}
}

// modelCacheClaim renders the claim the provider creates.
func modelCacheClaim(cfg DeploymentConfig) (*unstructured.Unstructured, error) {
	c := cfg.Workload.ModelCache
	spec := map[string]any{
		"accessModes": []any{c.accessMode()},
		"resources":   map[string]any{"requests": map[string]any{"storage": c.Size}},
	}
	setString(spec, "storageClassName", c.StorageClass)
	return NewObject("v1", "PersistentVolumeClaim", c.Claim(cfg.Name), cfg.Namespace, companionLabels(cfg, "model-cache"), map[string]any{"spec": spec})
}

// downloadScript fills HF_HOME with the model's files; huggingface_hub ships with every
// engine image (vLLM, SGLang, TensorRT-LLM, Ray LLM) and locks files, so workers starting
// meanwhile wait for the files being fetched instead of fetching them twice.
const downloadScript = `import sys
from huggingface_hub import snapshot_download
path = snapshot_download(sys.argv[1])
print("model cached at", path)
`

// downloadJob renders the one-shot Job that fills the cache. It runs the engine image with
// the worker role's scheduling, pull secrets, env and mirror, but requests no GPU.
func downloadJob(cfg DeploymentConfig, image string) (*unstructured.Unstructured, error) {
	container := map[string]any{
		"name":    "download",
		"image":   image,
		"command": []any{"python3", "-c", downloadScript, cfg.Model},
	}
	if cfg.HFTokenSecret != "" {
		container["env"] = []any{map[string]any{"name": EnvHFToken, "valueFrom": map[string]any{"secretKeyRef": map[string]any{
			"name": cfg.HFTokenSecret, "key": EnvHFToken,
		}}}}
	}
	tpl := map[string]any{
		"metadata": map[string]any{"labels": map[string]any{LabelInstance: cfg.Name, LabelComponent: "model-download"}},
		"spec": map[string]any{
			"restartPolicy": "Never",
			"containers":    []any{container},
		},
	}
	if err := ApplyPodTemplate(tpl, cfg, RoleWorker, "download"); err != nil {
		return nil, err
	}
	delete(container, "resources") // downloading needs no GPU or device
	spec := map[string]any{"backoffLimit": int64(2), "template": tpl}
	return NewObject("batch/v1", "Job", downloadJobName(cfg.Name, tpl), cfg.Namespace, companionLabels(cfg, "model-download"), map[string]any{"spec": spec})
}

// KeepOnDelete reports whether a companion must survive the deployment's destruction (or
// the removal of the setting that rendered it): a cache claim unless asked to delete it.
func KeepOnDelete(cfg DeploymentConfig, obj *unstructured.Unstructured) bool {
	if obj.GetKind() != "PersistentVolumeClaim" {
		return false
	}
	w := cfg.Workload
	return w == nil || w.ModelCache == nil || !w.ModelCache.Managed() || !w.ModelCache.DeleteClaimOnDestroy
}

// DownloadJob returns the name of the download Job among a deployment's objects, or "".
func DownloadJob(m Manifests) string {
	for _, c := range m.Companions {
		if c.GetKind() == "Job" && c.GetLabels()[LabelComponent] == "model-download" {
			return c.GetName()
		}
	}
	return ""
}

func validateModelCache(ps *Problems, c *ModelCache) {
	if c.ClaimName != "" {
		CheckDNSSubdomain(ps, "model_cache.claim_name", c.ClaimName)
		for attr, v := range map[string]string{"size": c.Size, "storage_class": c.StorageClass, "access_mode": c.AccessMode} {
			if v != "" {
				ps.Add("model_cache."+attr, "only applies to a claim the provider creates: remove it, or remove claim_name to have the provider create %q", "<name>-model-cache")
			}
		}
	} else {
		if c.Size == "" {
			ps.Add("model_cache.size", "must be set when the provider creates the claim (e.g. \"100Gi\"), or set claim_name to mount an existing claim")
		} else {
			CheckQuantity(ps, "model_cache.size", c.Size)
		}
		if c.StorageClass != "" {
			CheckDNSSubdomain(ps, "model_cache.storage_class", c.StorageClass)
		}
		CheckOneOf(ps, "model_cache.access_mode", c.accessMode(), "ReadWriteOnce", "ReadWriteMany", "ReadWriteOncePod", "ReadOnlyMany")
	}
	if c.DeleteClaimOnDestroy && c.ClaimName != "" {
		ps.Add("model_cache.delete_claim_on_destroy", "the provider never deletes a claim it did not create (%q): remove the setting", c.ClaimName)
	}
	if p := c.Path(); p[0] != '/' || strings.ContainsAny(p, "\x00\n") {
		ps.Add("model_cache.mount_path", "must be an absolute path such as %q, got %q", DefaultModelCachePath, p)
	}
}

func modelCacheCompanions(cfg DeploymentConfig, image string) ([]*unstructured.Unstructured, error) {
	c := cfg.Workload.ModelCache
	var out []*unstructured.Unstructured
	if c.Managed() {
		pvc, err := modelCacheClaim(cfg)
		if err != nil {
			return nil, err
		}
		out = append(out, pvc)
	}
	if c.Download {
		if image == "" {
			return nil, fmt.Errorf("model_cache.download: runtime %s gave no engine image for the download Job", cfg.Runtime)
		}
		job, err := downloadJob(cfg, image)
		if err != nil {
			return nil, err
		}
		out = append(out, job)
	}
	return out, nil
}
