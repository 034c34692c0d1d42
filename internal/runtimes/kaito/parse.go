package kaito

import (
	"fmt"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/basics"
)

// Parse reads a Workspace back into a config (import and drift detection). The model source
// comes from the kubefoundry.io/model-source label, or else from the container image.
func (Runtime) Parse(obj *unstructured.Unstructured) (runtimes.DeploymentConfig, error) {
	if err := runtimes.CheckKind(obj, crd); err != nil {
		return runtimes.DeploymentConfig{}, err
	}
	var ws workspace
	if err := runtimes.FromMap(obj.Object, &ws); err != nil {
		return runtimes.DeploymentConfig{}, fmt.Errorf("decoding %s: %w", obj.GetName(), err)
	}
	if len(ws.Inference.Template.Spec.Containers) == 0 {
		return runtimes.DeploymentConfig{}, fmt.Errorf("%s: inference.template has no container (preset workspaces are not managed here)", obj.GetName())
	}
	c := ws.Inference.Template.Spec.Containers[0]
	labels := obj.GetLabels()
	k := &runtimes.KaitoConfig{
		ModelSource:   labels[runtimes.LabelModelSource],
		ComputeType:   labels[runtimes.LabelComputeType],
		LabelSelector: ws.Resource.LabelSelector.MatchLabels,
		InferenceSet:  runtimes.Bool(false),
	}
	cfg := runtimes.DeploymentConfig{
		Name:         obj.GetName(),
		Namespace:    obj.GetNamespace(),
		Runtime:      ID,
		Engine:       runtimes.EngineLlamaCpp,
		Mode:         runtimes.ModeAggregated,
		RouterMode:   runtimes.RouterNone,
		Replicas:     runtimes.Int64(ws.Resource.Count),
		EnforceEager: runtimes.Bool(false),
		KAITO:        k,
		// KAITO renders --enable-prefix-caching only when set (manifest.go vllmArgs).
		EnablePrefixCaching: runtimes.Bool(false),
	}
	if k.ModelSource == "" {
		k.ModelSource = sourceFromImage(c.Image)
	}
	if k.ComputeType == "" {
		k.ComputeType = runtimes.ComputeCPU
		if _, ok := c.limit(gpuResource); ok {
			k.ComputeType = runtimes.ComputeGPU
		}
	}
	if n, ok := c.limit(gpuResource); ok {
		gpus, err := strconv.ParseInt(n, 10, 64)
		if err != nil {
			return cfg, fmt.Errorf("%s: %s limit %q: %w", obj.GetName(), gpuResource, n, err)
		}
		cfg.GPUs = &gpus
	}
	if c.Resources != nil {
		cfg.Memory = c.Resources.Requests["memory"]
		k.CPU = c.Resources.Requests["cpu"]
	}
	cfg.HFTokenSecret = hfTokenSecret(c)

	switch k.ModelSource {
	case runtimes.KaitoSourcePremade:
		m, ok := premadeByImage(c.Image)
		if !ok {
			return cfg, fmt.Errorf("%s: image %q is not a premade model", obj.GetName(), c.Image)
		}
		k.PremadeModel, cfg.Model = m.ID, m.CatalogID
	case runtimes.KaitoSourceHuggingFace:
		parseHuggingFace(&cfg, obj.GetAnnotations(), c)
	case runtimes.KaitoSourceVLLM:
		cfg.Engine = runtimes.EngineVLLM
		if err := parseVLLMArgs(&cfg, c.Args); err != nil {
			return cfg, fmt.Errorf("%s: %w", obj.GetName(), err)
		}
	default:
		return cfg, fmt.Errorf("%s: cannot tell the model source (label %s missing, image %q unknown)", obj.GetName(), runtimes.LabelModelSource, c.Image)
	}
	return cfg, nil
}

func (c container) limit(name string) (string, bool) {
	if c.Resources == nil {
		return "", false
	}
	if name == gpuResource { // gpu_resource_name may rename it
		return runtimes.GPULimit(c.Resources.Limits)
	}
	v, ok := c.Resources.Limits[name]
	return v, ok
}

func sourceFromImage(image string) string {
	switch {
	case strings.HasPrefix(image, vllmImageRepo+":"):
		return runtimes.KaitoSourceVLLM
	case image == RunnerImage:
		return runtimes.KaitoSourceHuggingFace
	}
	if _, ok := premadeByImage(image); ok {
		return runtimes.KaitoSourcePremade
	}
	return ""
}

func hfTokenSecret(c container) string {
	for _, e := range c.Env {
		if e.Name == "HF_TOKEN" && e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			return e.ValueFrom.SecretKeyRef.Name
		}
	}
	return ""
}

// parseHuggingFace recovers model and file from the annotations, or for direct mode from the
// "huggingface://<owner>/<repo>/<file>" argument.
func parseHuggingFace(cfg *runtimes.DeploymentConfig, annotations map[string]string, c container) {
	k := cfg.KAITO
	k.RunMode = runtimes.KaitoRunDirect
	if c.Image != RunnerImage {
		k.RunMode, k.ImageRef = runtimes.KaitoRunBuild, c.Image
	}
	if len(c.Args) > 0 && strings.HasPrefix(c.Args[0], "huggingface://") {
		parts := strings.SplitN(strings.TrimPrefix(c.Args[0], "huggingface://"), "/", 3)
		if len(parts) == 3 {
			cfg.Model, k.GGUFFile = parts[0]+"/"+parts[1], parts[2]
		}
	}
	if v := annotations[AnnotationModel]; v != "" {
		cfg.Model = v
	}
	if v := annotations[AnnotationGGUFFile]; v != "" {
		k.GGUFFile = v
	}
}

// parseVLLMArgs inverts vllmArgs.
func parseVLLMArgs(cfg *runtimes.DeploymentConfig, args []string) error {
	if len(args) < 2 || args[0] != "-m" {
		return fmt.Errorf("vLLM args do not start with \"-m <module>\": %q", args)
	}
	rest := args[2:]
	for i := 0; i < len(rest); i++ {
		flag := rest[i]
		if !strings.HasPrefix(flag, "--") {
			return fmt.Errorf("unexpected vLLM argument %q", flag)
		}
		value, hasValue := "", i+1 < len(rest) && !strings.HasPrefix(rest[i+1], "--")
		if hasValue {
			value = rest[i+1]
			i++
		}
		switch flag {
		case "--model":
			cfg.Model = value
		case "--served-model-name":
			cfg.ServedModelName = value
		case "--tensor-parallel-size":
			// GPUs come from the resource limit; the flag always mirrors it.
		default:
			if !hasValue {
				value = "true"
			}
			if err := basics.ParseVLLMFlag(cfg, flag[2:], value); err != nil {
				return err
			}
		}
	}
	return nil
}
