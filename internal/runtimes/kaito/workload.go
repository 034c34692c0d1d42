package kaito

import (
	"fmt"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// workloadSupport depends on the model source. KAITO 0.12 keeps the template's
// nodeSelector, tolerations and pod metadata and appends its GPU tolerations, but replaces
// spec.affinity from resource.labelSelector (kaito-project/kaito v0.12.0,
// pkg/workspace/manifests/manifests.go GenerateManifestWithPodTemplate), so the node
// pool is chosen with kaito.label_selector and node_selector.
func workloadSupport(cfg runtimes.DeploymentConfig) runtimes.WorkloadSupport {
	s := runtimes.WorkloadSupport{
		Roles:   []string{runtimes.RoleWorker},
		CPUHint: "KAITO CPU is set with kaito.cpu",
	}
	if cfg.KAITO.ModelSource != runtimes.KaitoSourceVLLM {
		// Parse tells premade and GGUF runner workspaces apart by their image.
		s.ImageHint = "the image follows the KAITO model source: set kaito.image_ref (build mode or a premade image) instead"
		s.ModelCacheHint = "model_cache applies to engines that read the Hugging Face cache (kaito.model_source = \"vllm\"); llama.cpp images bring or fetch their GGUF file themselves"
	}
	return s
}

// applyWorkload applies the workload settings to the inference template (container "model")
// of the rendered inference map.
func applyWorkload(cfg runtimes.DeploymentConfig, inf map[string]any) error {
	if cfg.Workload == nil {
		return nil
	}
	tpl, ok := inf["template"].(map[string]any)
	if !ok {
		return fmt.Errorf("rendered KAITO object has no inference template")
	}
	return runtimes.ApplyPodTemplate(tpl, cfg, runtimes.RoleWorker, containerName)
}
