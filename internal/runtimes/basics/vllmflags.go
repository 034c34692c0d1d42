package basics

import (
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
