package vllm

import (
	"fmt"
	"strconv"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// The parts of a pod template Parse reads.
type podTemplateSpec struct {
	Spec struct {
		Containers []struct {
			Name      string   `json:"name"`
			Image     string   `json:"image"`
			Args      []string `json:"args"`
			Resources struct {
				Limits map[string]string `json:"limits"`
			} `json:"resources"`
			Env []struct {
				Name      string `json:"name"`
				ValueFrom *struct {
					SecretKeyRef *struct {
						Name string `json:"name"`
						Key  string `json:"key"`
					} `json:"secretKeyRef"`
				} `json:"valueFrom"`
			} `json:"env"`
		} `json:"containers"`
		Volumes []struct {
			Name     string `json:"name"`
			EmptyDir *struct {
				SizeLimit string `json:"sizeLimit"`
			} `json:"emptyDir"`
		} `json:"volumes"`
	} `json:"spec"`
}

func parseDeployment(obj *unstructured.Unstructured) (runtimes.DeploymentConfig, error) {
	var d struct {
		Spec struct {
			Replicas *int64          `json:"replicas"`
			Template podTemplateSpec `json:"template"`
		} `json:"spec"`
	}
	if err := runtimes.FromMap(obj.Object, &d); err != nil {
		return runtimes.DeploymentConfig{}, fmt.Errorf("decoding %s: %w", obj.GetName(), err)
	}
	cfg := baseConfig(obj)
	cfg.Replicas = d.Spec.Replicas
	cfg.VLLM.Nodes = runtimes.Int64(1)
	return cfg, parseTemplate(&cfg, obj.GetName(), d.Spec.Template)
}

func parseLWS(obj *unstructured.Unstructured) (runtimes.DeploymentConfig, error) {
	var l struct {
		Spec struct {
			Replicas             *int64 `json:"replicas"`
			LeaderWorkerTemplate struct {
				Size           *int64          `json:"size"`
				LeaderTemplate podTemplateSpec `json:"leaderTemplate"`
			} `json:"leaderWorkerTemplate"`
		} `json:"spec"`
	}
	if err := runtimes.FromMap(obj.Object, &l); err != nil {
		return runtimes.DeploymentConfig{}, fmt.Errorf("decoding %s: %w", obj.GetName(), err)
	}
	cfg := baseConfig(obj)
	cfg.Replicas = l.Spec.Replicas
	cfg.VLLM.Nodes = l.Spec.LeaderWorkerTemplate.Size
	return cfg, parseTemplate(&cfg, obj.GetName(), l.Spec.LeaderWorkerTemplate.LeaderTemplate)
}

func baseConfig(obj *unstructured.Unstructured) runtimes.DeploymentConfig {
	return runtimes.DeploymentConfig{
		Name: obj.GetName(), Namespace: obj.GetNamespace(), Runtime: ID,
		Engine: runtimes.EngineVLLM, Mode: runtimes.ModeAggregated, RouterMode: runtimes.RouterNone,
		VLLM: &runtimes.VLLMConfig{},
	}
}

// parseTemplate reads the serving container: its vllm serve arguments, GPUs, memory, the HF
// token reference and the /dev/shm size.
func parseTemplate(cfg *runtimes.DeploymentConfig, name string, tpl podTemplateSpec) error {
	var found bool
	for _, c := range tpl.Spec.Containers {
		if c.Name != containerName {
			continue
		}
		found = true
		if err := parseServeArgs(cfg, c.Args); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if v, ok := runtimes.GPULimit(c.Resources.Limits); ok { // gpu_resource_name may rename it
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("%s: GPU limit %q is not a whole number", name, v)
			}
			cfg.GPUs = &n
		}
		cfg.Memory = c.Resources.Limits["memory"]
		for _, e := range c.Env {
			if e.Name == runtimes.EnvHFToken && e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
				cfg.HFTokenSecret = e.ValueFrom.SecretKeyRef.Name
			}
		}
	}
	if !found {
		return fmt.Errorf("%s: no container named %q", name, containerName)
	}
	for _, v := range tpl.Spec.Volumes {
		if v.Name == shmVolume && v.EmptyDir != nil {
			cfg.VLLM.SharedMemory = v.EmptyDir.SizeLimit
		}
	}
	return nil
}
