package dynamo

import (
	"fmt"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// parseV1Alpha1 reads a v1alpha1 DynamoGraphDeployment back into a config.
func parseV1Alpha1(obj *unstructured.Unstructured) (runtimes.DeploymentConfig, error) {
	var dgd alphaGraphDeployment
	if err := runtimes.FromMap(obj.Object, &dgd); err != nil {
		return runtimes.DeploymentConfig{}, fmt.Errorf("decoding %s: %w", obj.GetName(), err)
	}
	cfg := parsedConfig(obj, dgd.Spec.BackendFramework, APIVersionV1Alpha1)
	if cfg.Engine == "" {
		cfg.Engine = engineFromNames(mapKeys(dgd.Spec.Services))
	}
	if fe, ok := dgd.Spec.Services[frontendKey]; ok {
		for _, env := range fe.Envs {
			if env.Name == routerModeEnv {
				cfg.RouterMode = runtimes.RouterMode(env.Value)
			}
		}
	}
	main, mainOK := dgd.Spec.Services[workerKey(cfg.Engine, "")]
	prefill, prefillOK := dgd.Spec.Services[workerKey(cfg.Engine, rolePrefill)]
	decode, decodeOK := dgd.Spec.Services[workerKey(cfg.Engine, roleDecode)]
	role := ""
	switch {
	case prefillOK && decodeOK:
		cfg.Mode = runtimes.ModeDisaggregated
		cfg.Disaggregated = &runtimes.DisaggregatedConfig{
			PrefillReplicas: runtimes.Int64(prefill.Replicas),
			PrefillGPUs:     alphaGPUs(prefill),
			DecodeReplicas:  runtimes.Int64(decode.Replicas),
			DecodeGPUs:      alphaGPUs(decode),
		}
		main, role = decode, roleDecode
	case mainOK:
		cfg.Mode = runtimes.ModeAggregated
		cfg.Replicas = runtimes.Int64(main.Replicas)
		cfg.GPUs = alphaGPUs(main)
	default:
		return cfg, fmt.Errorf("%s has no %s worker service", obj.GetName(), cfg.Engine)
	}
	cfg.HFTokenSecret = main.EnvFromSecret
	if main.Resources != nil {
		cfg.Memory = main.Resources.Limits.Memory
	}
	if err := parseArgs(&cfg, main.ExtraPodSpec.MainContainer.Args, role, releaseV1Alpha1); err != nil {
		return cfg, fmt.Errorf("%s: %w", obj.GetName(), err)
	}
	return cfg, nil
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// engineFromNames infers the engine from worker names when backendFramework is unset.
func engineFromNames(names []string) runtimes.Engine {
	for engine, prefix := range keyPrefixes {
		for _, n := range names {
			if strings.HasPrefix(n, prefix) {
				return engine
			}
		}
	}
	return runtimes.EngineVLLM
}

func alphaGPUs(s alphaService) *int64 {
	if s.Resources == nil || s.Resources.Limits.GPU == "" {
		return nil
	}
	return parseCount(s.Resources.Limits.GPU)
}

func parseCount(s string) *int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil
	}
	return &n
}
