package dynamo

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// parsedConfig is where reading a DynamoGraphDeployment of either API version starts: its
// identity, spec.backendFramework as the engine, no router until the frontend names one.
func parsedConfig(obj *unstructured.Unstructured, backendFramework, apiVersion string) runtimes.DeploymentConfig {
	return runtimes.DeploymentConfig{
		Name:       obj.GetName(),
		Namespace:  obj.GetNamespace(),
		Runtime:    ID,
		Engine:     runtimes.Engine(backendFramework),
		RouterMode: runtimes.RouterNone,
		Dynamo:     &runtimes.DynamoConfig{APIVersion: apiVersion},
	}
}

// parseArgs inverts workerArgs for a worker of the given role. Flags we render from
// attributes go back to them; the role/router flags roleFlags renders are removed as the
// exact token run they were rendered as (an edited run stays and shows up as engine args,
// i.e. as drift); anything else becomes an engine arg.
func parseArgs(cfg *runtimes.DeploymentConfig, args []string, role string, rel release) error {
	if len(args) < 2 || args[0] != "-m" {
		return fmt.Errorf("worker args do not start with \"-m <module>\": %q", args)
	}
	f := flagsFor(cfg.Engine, rel)
	cfg.EnforceEager = runtimes.Bool(false)
	rest, _ := stripRun(args[2:], roleFlags(*cfg, role, rel))
	// No prefix-caching flag: the engine's default, on for every Dynamo engine (flags.go).
	cfg.EnablePrefixCaching = runtimes.Bool(true)
	for _, setting := range []struct {
		run []string
		set func()
	}{
		{f.prefixCachingOff, func() { cfg.EnablePrefixCaching = runtimes.Bool(false) }},
		{f.prefixCachingOn, func() { cfg.EnablePrefixCaching = runtimes.Bool(true) }},
		{f.trustRemote, func() { cfg.TrustRemoteCode = true }},
	} {
		var found bool
		if rest, found = stripRun(rest, setting.run); found {
			setting.set()
		}
	}
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
		case flag == f.model, cfg.Engine == runtimes.EngineTRTLLM && (flag == "--model" || flag == "--model-path"):
			cfg.Model = consume() // TRT-LLM: --model-path is 1.4's obsolete alias of --model
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
		case flag == f.tensorParallel: // follows the GPU count
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

// stripRun removes the first occurrence of run (a contiguous token sequence) from args,
// and reports whether it was there.
func stripRun(args, run []string) ([]string, bool) {
	if len(run) == 0 {
		return args, false
	}
	for i := 0; i+len(run) <= len(args); i++ {
		if slices.Equal(args[i:i+len(run)], run) {
			return append(append([]string(nil), args[:i]...), args[i+len(run):]...), true
		}
	}
	return args, false
}
