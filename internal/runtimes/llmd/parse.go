package llmd

import (
	"fmt"
	"strconv"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/vllm"
)

// Parse reads the decode Deployment back into a config: the vLLM settings from its server
// container (as the vllm runtime reads them), the mode from the llm-d.ai/guide pod label and,
// for the P/D path, the prefill pool from the annotations Manifests writes.
func (Runtime) Parse(obj *unstructured.Unstructured) (runtimes.DeploymentConfig, error) {
	if obj == nil {
		return runtimes.DeploymentConfig{}, fmt.Errorf("no object")
	}
	if err := runtimes.CheckKind(obj, crdDeployment); err != nil {
		return runtimes.DeploymentConfig{}, err
	}
	var d struct {
		Spec struct {
			Replicas *int64 `json:"replicas"`
			Template struct {
				Metadata struct {
					Labels map[string]string `json:"labels"`
				} `json:"metadata"`
			} `json:"template"`
		} `json:"spec"`
	}
	if err := runtimes.FromMap(obj.Object, &d); err != nil {
		return runtimes.DeploymentConfig{}, fmt.Errorf("decoding %s: %w", obj.GetName(), err)
	}
	tpl, _, _ := unstructured.NestedMap(obj.Object, "spec", "template")
	cfg := runtimes.DeploymentConfig{
		Name: obj.GetName(), Namespace: obj.GetNamespace(), Runtime: ID,
		Engine: runtimes.EngineVLLM, Mode: runtimes.ModeAggregated, RouterMode: runtimes.RouterNone,
		VLLM: &runtimes.VLLMConfig{Nodes: runtimes.Int64(1)},
	}
	if err := vllm.ParsePodTemplate(&cfg, obj.GetName(), tpl); err != nil {
		return runtimes.DeploymentConfig{}, err
	}
	delete(cfg.EngineArgs, "kv-transfer-config") // rendered from the mode
	if len(cfg.EngineArgs) == 0 {
		cfg.EngineArgs = nil
	}
	if d.Spec.Template.Metadata.Labels[LabelGuide] != GuidePD {
		cfg.Replicas = d.Spec.Replicas
		return cfg, nil
	}
	cfg.Mode = runtimes.ModeDisaggregated
	ann := obj.GetAnnotations()
	pr, err := annotationInt(ann, annotationPrefillReplicas)
	if err != nil {
		return runtimes.DeploymentConfig{}, fmt.Errorf("%s: %w", obj.GetName(), err)
	}
	pg, err := annotationInt(ann, annotationPrefillGPUs)
	if err != nil {
		return runtimes.DeploymentConfig{}, fmt.Errorf("%s: %w", obj.GetName(), err)
	}
	cfg.Disaggregated = &runtimes.DisaggregatedConfig{PrefillReplicas: pr, PrefillGPUs: pg, DecodeReplicas: d.Spec.Replicas, DecodeGPUs: cfg.GPUs}
	cfg.Replicas, cfg.GPUs = nil, nil
	cfg.VLLM.TensorParallel = nil // each role's GPUs
	return cfg, nil
}

func annotationInt(ann map[string]string, key string) (*int64, error) {
	v, ok := ann[key]
	if !ok {
		return nil, fmt.Errorf("annotation %s is missing: the prefill pool is unknown", key)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("annotation %s = %q is not a number", key, v)
	}
	return &n, nil
}
