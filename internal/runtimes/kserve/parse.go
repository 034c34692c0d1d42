package kserve

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// The parts of an LLMInferenceService Parse reads.
type podSpecView struct {
	Containers []struct {
		Name      string   `json:"name"`
		Args      []string `json:"args"`
		Resources struct {
			Limits map[string]string `json:"limits"`
		} `json:"resources"`
		Env []struct {
			Name      string `json:"name"`
			ValueFrom *struct {
				SecretKeyRef *struct {
					Name string `json:"name"`
				} `json:"secretKeyRef"`
			} `json:"valueFrom"`
		} `json:"env"`
	} `json:"containers"`
}

type parallelismView struct {
	Tensor    *int64 `json:"tensor"`
	Pipeline  *int64 `json:"pipeline"`
	Data      *int64 `json:"data"`
	DataLocal *int64 `json:"dataLocal"`
	Expert    bool   `json:"expert"`
}

type workloadView struct {
	Replicas    *int64           `json:"replicas"`
	Parallelism *parallelismView `json:"parallelism"`
	Template    *podSpecView     `json:"template"`
}

type specView struct {
	Model struct {
		URI  string `json:"uri"`
		Name string `json:"name"`
	} `json:"model"`
	workloadView `json:",inline"`
	Prefill      *workloadView `json:"prefill"`
	Router       *struct {
		Route   map[string]any `json:"route"`
		Gateway *struct {
			Refs []struct {
				Name        string `json:"name"`
				Namespace   string `json:"namespace"`
				SectionName string `json:"sectionName"`
			} `json:"refs"`
		} `json:"gateway"`
		Scheduler map[string]any `json:"scheduler"`
	} `json:"router"`
}

func parse(obj *unstructured.Unstructured, version string) (runtimes.DeploymentConfig, error) {
	var o struct {
		Spec specView `json:"spec"`
	}
	if err := runtimes.FromMap(obj.Object, &o); err != nil {
		return runtimes.DeploymentConfig{}, fmt.Errorf("decoding %s: %w", obj.GetName(), err)
	}
	s := o.Spec
	model, ok := strings.CutPrefix(s.Model.URI, "hf://")
	if !ok {
		return runtimes.DeploymentConfig{}, fmt.Errorf("spec.model.uri %q is not a Hugging Face model (hf://<repo>), the only source this provider renders", s.Model.URI)
	}
	cfg := runtimes.DeploymentConfig{
		Name: obj.GetName(), Namespace: obj.GetNamespace(), Runtime: ID, Model: model,
		Engine: runtimes.EngineVLLM, Mode: runtimes.ModeAggregated, RouterMode: runtimes.RouterNone,
		ServedModelName: s.Model.Name,
		KServe:          &runtimes.KServeConfig{APIVersion: version, ExpertParallel: runtimes.Bool(false), Scheduler: runtimes.Bool(false)},
	}
	if cfg.ServedModelName == "" {
		cfg.ServedModelName = model
	}
	k := cfg.KServe
	if p := s.Parallelism; p != nil {
		k.TensorParallel, k.PipelineParallel, k.DataParallel, k.DataLocalParallel = p.Tensor, p.Pipeline, p.Data, p.DataLocal
		k.ExpertParallel = runtimes.Bool(p.Expert)
	}
	gpus, err := readPod(&cfg, s.Template)
	if err != nil {
		return cfg, err
	}
	replicas := s.Replicas
	if replicas == nil {
		replicas = runtimes.Int64(1) // the CRD's default
	}
	if s.Prefill != nil {
		prefillGPUs, err := readPod(&runtimes.DeploymentConfig{}, s.Prefill.Template)
		if err != nil {
			return cfg, err
		}
		prefillReplicas := s.Prefill.Replicas
		if prefillReplicas == nil {
			prefillReplicas = runtimes.Int64(1)
		}
		cfg.Mode = runtimes.ModeDisaggregated
		cfg.Disaggregated = &runtimes.DisaggregatedConfig{PrefillReplicas: prefillReplicas, PrefillGPUs: prefillGPUs,
			DecodeReplicas: replicas, DecodeGPUs: gpus}
	} else {
		cfg.Replicas, cfg.GPUs = replicas, gpus
	}
	if r := s.Router; r != nil {
		k.Scheduler = runtimes.Bool(r.Scheduler != nil)
		if r.Gateway != nil && r.Route != nil {
			g := &runtimes.Gateway{}
			for _, ref := range r.Gateway.Refs {
				g.ParentRefs = append(g.ParentRefs, runtimes.GatewayParent{Name: ref.Name, Namespace: ref.Namespace, SectionName: ref.SectionName})
			}
			if r.Scheduler == nil {
				g.InferencePool = runtimes.Bool(false)
			}
			cfg.Gateway = g
		}
	}
	return cfg, nil
}

// readPod reads the main container: its GPU limit, memory, HF token and flags.
func readPod(cfg *runtimes.DeploymentConfig, pod *podSpecView) (*int64, error) {
	if pod == nil {
		return nil, fmt.Errorf("spec has no template with a %q container", containerName)
	}
	for _, c := range pod.Containers {
		if c.Name != containerName {
			continue
		}
		var gpus *int64
		if v, ok := runtimes.GPULimit(c.Resources.Limits); ok {
			n, err := parseCount(v)
			if err != nil {
				return nil, err
			}
			gpus = &n
		}
		cfg.Memory = c.Resources.Limits["memory"]
		for _, e := range c.Env {
			if e.Name == runtimes.EnvHFToken && e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
				cfg.HFTokenSecret = e.ValueFrom.SecretKeyRef.Name
			}
		}
		return gpus, parseArgs(cfg, c.Args)
	}
	return nil, fmt.Errorf("the template has no %q container", containerName)
}

func parseCount(v string) (int64, error) {
	var n int64
	if _, err := fmt.Sscan(v, &n); err != nil {
		return 0, fmt.Errorf("GPU limit %q is not a count", v)
	}
	return n, nil
}

// parallelismSize is KServe's ParallelismSpec.GetSize at path (pkg/apis/serving/v1alpha2/
// llm_inference_service_types_func.go): data / dataLocal, else pipeline, else 1.
func parallelismSize(obj *unstructured.Unstructured, path ...string) int64 {
	if obj == nil {
		return 1
	}
	p, ok, _ := unstructured.NestedMap(obj.Object, append(path, "parallelism")...)
	if !ok {
		return 1
	}
	get := func(k string) int64 { return runtimes.IntAt(p, k) }
	if get("data") > 0 || get("dataLocal") > 0 {
		return max(max(get("data"), 1)/max(get("dataLocal"), 1), 1)
	}
	if get("pipeline") > 0 {
		return get("pipeline")
	}
	return 1
}
