package basics

import (
	"fmt"
	"strconv"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// VLLMOptionFlags renders the vLLM server flags of the config's engine options, which every
// renderer of a vLLM command line (kaito, kserve, vllm, llmd through vllm) writes alike:
// --max-model-len, --enforce-eager, --trust-remote-code and prefix caching. vLLM's V1
// engine caches prefixes when no flag is given, so false renders the negative flag
// (BooleanOptionalAction, vllm-project/vllm vllm/engine/arg_utils.py).
func VLLMOptionFlags(cfg runtimes.DeploymentConfig) []string {
	var args []string
	if cfg.ContextLength != nil {
		args = append(args, "--max-model-len", strconv.FormatInt(*cfg.ContextLength, 10))
	}
	if runtimes.Deref(cfg.EnforceEager) {
		args = append(args, "--enforce-eager")
	}
	if runtimes.Deref(cfg.EnablePrefixCaching) {
		args = append(args, "--enable-prefix-caching")
	} else {
		args = append(args, "--no-enable-prefix-caching")
	}
	if cfg.TrustRemoteCode {
		args = append(args, "--trust-remote-code")
	}
	return args
}

// ParseVLLMFlag reads one flag (name without "--") the renderer did not write from its own
// attributes: an option flag of VLLMOptionFlags sets that option, any other flag is kept in
// engine_args.
func ParseVLLMFlag(cfg *runtimes.DeploymentConfig, name, value string) error {
	switch name {
	case "max-model-len":
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return fmt.Errorf("--%s %q is not a number", name, value)
		}
		cfg.ContextLength = &n
	case "enforce-eager":
		cfg.EnforceEager = runtimes.Bool(true)
	case "enable-prefix-caching":
		cfg.EnablePrefixCaching = runtimes.Bool(true)
	case "no-enable-prefix-caching":
		cfg.EnablePrefixCaching = runtimes.Bool(false)
	case "trust-remote-code":
		cfg.TrustRemoteCode = true
	default:
		if cfg.EngineArgs == nil {
			cfg.EngineArgs = map[string]string{}
		}
		cfg.EngineArgs[name] = value
	}
	return nil
}
