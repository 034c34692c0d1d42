package dynamo

import (
	"fmt"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Parse reads a DynamoGraphDeployment back into a config (import and drift detection).
func (Runtime) Parse(obj *unstructured.Unstructured) (runtimes.DeploymentConfig, error) {
	if err := runtimes.CheckKind(obj, crd); err != nil {
		return runtimes.DeploymentConfig{}, err
	}
	var dgd graphDeployment
	if err := runtimes.FromMap(obj.Object, &dgd); err != nil {
		return runtimes.DeploymentConfig{}, fmt.Errorf("decoding %s: %w", obj.GetName(), err)
	}
	cfg := runtimes.DeploymentConfig{
		Name:       obj.GetName(),
		Namespace:  obj.GetNamespace(),
		Runtime:    ID,
		Engine:     runtimes.Engine(dgd.Spec.BackendFramework),
		RouterMode: runtimes.RouterNone,
	}
	if cfg.Engine == "" {
		cfg.Engine = engineFromKeys(dgd.Spec.Services)
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
	switch {
	case prefillOK && decodeOK:
		cfg.Mode = runtimes.ModeDisaggregated
		cfg.Disaggregated = &runtimes.DisaggregatedConfig{
			PrefillReplicas: runtimes.Int64(prefill.Replicas),
			PrefillGPUs:     gpus(prefill),
			DecodeReplicas:  runtimes.Int64(decode.Replicas),
			DecodeGPUs:      gpus(decode),
		}
		main = decode
	case mainOK:
		cfg.Mode = runtimes.ModeAggregated
		cfg.Replicas = runtimes.Int64(main.Replicas)
		cfg.GPUs = gpus(main)
	default:
		return cfg, fmt.Errorf("%s has no %s worker service", obj.GetName(), cfg.Engine)
	}
	cfg.HFTokenSecret = main.EnvFromSecret
	if main.Resources != nil {
		cfg.Memory = main.Resources.Limits.Memory
	}
	if err := parseArgs(&cfg, main.ExtraPodSpec.MainContainer.Args); err != nil {
		return cfg, fmt.Errorf("%s: %w", obj.GetName(), err)
	}
	return cfg, nil
}

func engineFromKeys(services map[string]service) runtimes.Engine {
	for engine, prefix := range keyPrefixes {
		for key := range services {
			if strings.HasPrefix(key, prefix) {
				return engine
			}
		}
	}
	return runtimes.EngineVLLM
}

func gpus(s service) *int64 {
	if s.Resources == nil || s.Resources.Limits.GPU == "" {
		return nil
	}
	n, err := strconv.ParseInt(s.Resources.Limits.GPU, 10, 64)
	if err != nil {
		return nil
	}
	return &n
}

// parseArgs inverts workerArgs. Flags we render from attributes go back to them; role and
// tensor-parallel flags are derived and dropped; anything else becomes an engine arg.
func parseArgs(cfg *runtimes.DeploymentConfig, args []string) error {
	if len(args) < 2 || args[0] != "-m" {
		return fmt.Errorf("worker args do not start with \"-m <module>\": %q", args)
	}
	f := flagsByEngine[cfg.Engine]
	cfg.EnforceEager = runtimes.Bool(false)
	derived := map[string]bool{f.tensorParallel: true, "--is-prefill-worker": true, "--disaggregation-mode": true, "--disaggregation-transfer-backend": true}
	rest := args[2:]
	for i := 0; i < len(rest); i++ {
		flag := rest[i]
		value, hasValue := "", i+1 < len(rest) && !strings.HasPrefix(rest[i+1], "--")
		if hasValue {
			value = rest[i+1]
		}
		consume := func() string {
			if hasValue {
				i++
			}
			return value
		}
		switch {
		case !strings.HasPrefix(flag, "--"):
			return fmt.Errorf("unexpected worker argument %q", flag)
		case flag == f.model:
			cfg.Model = consume()
		case flag == f.servedName:
			cfg.ServedModelName = consume()
		case flag == f.contextLength:
			n, err := strconv.ParseInt(consume(), 10, 64)
			if err != nil {
				return fmt.Errorf("%s: %w", flag, err)
			}
			cfg.ContextLength = &n
		case flag == f.enforceEager && f.enforceEager != "":
			cfg.EnforceEager = runtimes.Bool(true)
		case flag == f.prefixCaching && f.prefixCaching != "":
			cfg.EnablePrefixCaching = true
		case flag == f.trustRemote && f.trustRemote != "":
			cfg.TrustRemoteCode = true
		case derived[flag]:
			consume()
		default:
			if cfg.EngineArgs == nil {
				cfg.EngineArgs = map[string]string{}
			}
			v := consume()
			if !hasValue {
				v = "true"
			}
			cfg.EngineArgs[flag[2:]] = v
		}
	}
	return nil
}
