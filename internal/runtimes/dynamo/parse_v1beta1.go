package dynamo

import (
	"fmt"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// The v1beta1 spec as read back: only what Parse needs.
type betaGraphDeployment struct {
	Spec struct {
		BackendFramework string          `json:"backendFramework"`
		Components       []betaComponent `json:"components"`
	} `json:"spec"`
}

type betaComponent struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Replicas    *int64 `json:"replicas"`
	PodTemplate *struct {
		Spec struct {
			Containers []betaContainer `json:"containers"`
		} `json:"spec"`
	} `json:"podTemplate"`
}

// betaContainer keeps resource quantities as written (int-or-string), so "40Gi" reads back
// as "40Gi" and not in a canonical form that would look like drift.
type betaContainer struct {
	Name      string                 `json:"name"`
	Command   []string               `json:"command"`
	Args      []string               `json:"args"`
	Env       []corev1.EnvVar        `json:"env"`
	EnvFrom   []corev1.EnvFromSource `json:"envFrom"`
	Resources struct {
		Limits map[string]any `json:"limits"`
	} `json:"resources"`
}

func (c betaComponent) main() *betaContainer {
	if c.PodTemplate == nil {
		return nil
	}
	for i := range c.PodTemplate.Spec.Containers {
		if c.PodTemplate.Spec.Containers[i].Name == mainContainerName {
			return &c.PodTemplate.Spec.Containers[i]
		}
	}
	return nil
}

// quantity renders an int-or-string resource value as text.
func quantity(v any) string {
	switch q := v.(type) {
	case string:
		return q
	case float64:
		return strconv.FormatFloat(q, 'f', -1, 64)
	case nil:
		return ""
	default:
		return fmt.Sprint(q)
	}
}

// parseV1Beta1 reads a v1beta1 DynamoGraphDeployment back into a config. Components are
// found by type (frontend, worker, prefill, decode), not by name, so an object created by
// other tools reads too.
func parseV1Beta1(obj *unstructured.Unstructured) (runtimes.DeploymentConfig, error) {
	var dgd betaGraphDeployment
	if err := runtimes.FromMap(obj.Object, &dgd); err != nil {
		return runtimes.DeploymentConfig{}, fmt.Errorf("decoding %s: %w", obj.GetName(), err)
	}
	cfg := parsedConfig(obj, dgd.Spec.BackendFramework, APIVersionV1Beta1)
	byType := map[string]betaComponent{}
	var names []string
	for _, c := range dgd.Spec.Components {
		if _, dup := byType[c.Type]; !dup {
			byType[c.Type] = c
		}
		names = append(names, c.Name)
	}
	if cfg.Engine == "" {
		cfg.Engine = engineFromNames(names)
	}
	if fe, ok := byType[typeFrontend]; ok {
		if m := fe.main(); m != nil {
			for _, env := range m.Env {
				if env.Name == routerModeEnv {
					cfg.RouterMode = runtimes.RouterMode(env.Value)
				}
			}
		}
	}
	worker, workerOK := byType[typeWorker]
	prefill, prefillOK := byType[rolePrefill]
	decode, decodeOK := byType[roleDecode]
	role := ""
	switch {
	case prefillOK && decodeOK:
		cfg.Mode = runtimes.ModeDisaggregated
		cfg.Disaggregated = &runtimes.DisaggregatedConfig{
			PrefillReplicas: replicasOf(prefill),
			PrefillGPUs:     betaGPUs(prefill),
			DecodeReplicas:  replicasOf(decode),
			DecodeGPUs:      betaGPUs(decode),
		}
		worker, role = decode, roleDecode
	case workerOK:
		cfg.Mode = runtimes.ModeAggregated
		cfg.Replicas = replicasOf(worker)
		cfg.GPUs = betaGPUs(worker)
	default:
		return cfg, fmt.Errorf("%s has no worker component (type worker, or prefill and decode)", obj.GetName())
	}
	main := worker.main()
	if main == nil {
		return cfg, fmt.Errorf("%s: component %s has no container %q", obj.GetName(), worker.Name, mainContainerName)
	}
	for _, ef := range main.EnvFrom {
		if ef.SecretRef != nil && cfg.HFTokenSecret == "" {
			cfg.HFTokenSecret = ef.SecretRef.Name
		}
	}
	cfg.Memory = quantity(main.Resources.Limits["memory"])
	if err := parseArgs(&cfg, pythonArgs(main.Command, main.Args), role, releaseV1Beta1); err != nil {
		return cfg, fmt.Errorf("%s: %w", obj.GetName(), err)
	}
	return cfg, nil
}

// replicasOf is the component's replicas; the operator's default is 1 when unset.
func replicasOf(c betaComponent) *int64 {
	if c.Replicas == nil {
		return runtimes.Int64(1)
	}
	return runtimes.Int64(*c.Replicas)
}

func betaGPUs(c betaComponent) *int64 {
	m := c.main()
	if m == nil {
		return nil
	}
	return parseCount(quantity(m.Resources.Limits[GPUResource]))
}

// pythonArgs is everything after "python3": we render command [python3] and the module in
// args; upstream's examples put "-m dynamo.<engine>" in the command instead
// (examples/backends/vllm/deploy/agg.yaml), which reads the same way.
func pythonArgs(command, args []string) []string {
	if len(command) > 1 {
		return append(append([]string(nil), command[1:]...), args...)
	}
	return args
}
