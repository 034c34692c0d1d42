package kserve

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/basics"
)

// managedFlags are the vllm serve flags KServe's presets or dedicated attributes render;
// engine_args may not set them (vLLM v0.19 spellings; the presets pass the model path,
// --served-model-name from spec.model.name and --port: config/llmisvcconfig/*.yaml).
var managedFlags = map[string]string{
	"model":                        "model",
	"port":                         "nothing (KServe's preset sets the port)",
	"host":                         "nothing (KServe's preset sets it)",
	"served-model-name":            "served_model_name",
	"tensor-parallel-size":         "kserve.tensor_parallel",
	"pipeline-parallel-size":       "kserve.pipeline_parallel",
	"data-parallel-size":           "kserve.data_parallel",
	"data-parallel-size-local":     "kserve.data_local_parallel",
	"enable-expert-parallel":       "kserve.expert_parallel",
	"max-model-len":                "context_length",
	"enforce-eager":                "enforce_eager",
	"enable-prefix-caching":        "enable_prefix_caching",
	"no-enable-prefix-caching":     "enable_prefix_caching",
	"trust-remote-code":            "trust_remote_code",
	"kv-transfer-config":           "mode = \"disaggregated\" (NixlConnector between the prefill and decode pools)",
	"distributed-executor-backend": "nothing (KServe's multi-node presets use data parallelism)",
}

// nixlConfig is the KV transfer between prefill and decode pods that KServe's P/D sample
// configures (docs/samples/llmisvc/.../llm-inference-service-pd-*.yaml: NixlConnector,
// kv_role kv_both on both pools); the presets render none.
const nixlConfig = `{"kv_connector":"NixlConnector","kv_role":"kv_both"}`

// engineArgs renders the flags appended to the preset's `vllm serve` (its command ends in
// "--", so the container args become "$@"). Across nodes the data parallel preset renders
// the parallelism flags from spec.parallelism; on one node the presets render none, so they
// are flags here.
func engineArgs(cfg runtimes.DeploymentConfig, role string, nodes bool) []string {
	k := cfg.KServe
	var args []string
	switch {
	case role == runtimes.RolePrefill:
		args = append(args, "--tensor-parallel-size", strconv.FormatInt(*cfg.Disaggregated.PrefillGPUs, 10))
	case !nodes:
		args = append(args, "--tensor-parallel-size", strconv.FormatInt(*k.TensorParallel, 10))
		if k.PipelineParallel != nil {
			args = append(args, "--pipeline-parallel-size", strconv.FormatInt(*k.PipelineParallel, 10))
		}
		if k.DataParallel != nil {
			args = append(args, "--data-parallel-size", strconv.FormatInt(*k.DataParallel, 10))
		}
		if *k.ExpertParallel {
			args = append(args, "--enable-expert-parallel")
		}
	}
	args = append(args, basics.VLLMOptionFlags(cfg)...)
	if cfg.Mode == runtimes.ModeDisaggregated {
		args = append(args, "--kv-transfer-config", shellWord(nixlConfig))
	}
	for _, a := range runtimes.EngineArgFlags(cfg.EngineArgs) {
		args = append(args, shellWord(a))
	}
	return args
}

// plainWord is what a shell passes through unchanged.
var plainWord = regexp.MustCompile(`^[A-Za-z0-9_./:=,@+%-]+$`)

// shellWord quotes a value for the preset's `eval "exec vllm serve ... $@"`, which re-parses
// the arguments as shell words: JSON or spaces would otherwise be split or lose their quotes.
func shellWord(s string) string {
	if plainWord.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// unshellWord is the inverse of shellWord.
func unshellWord(s string) string {
	if len(s) >= 2 && strings.HasPrefix(s, "'") && strings.HasSuffix(s, "'") {
		return strings.ReplaceAll(s[1:len(s)-1], `'\''`, "'")
	}
	return s
}

// parseArgs fills cfg from the main container's flags (parallelism comes from
// spec.parallelism; its flags are skipped).
func parseArgs(cfg *runtimes.DeploymentConfig, args []string) error {
	for i := 0; i < len(args); i++ {
		if !strings.HasPrefix(args[i], "--") {
			return fmt.Errorf("unexpected vllm serve argument %q", args[i])
		}
		name, value := strings.TrimPrefix(args[i], "--"), "true"
		if i+1 < len(args) && !strings.HasPrefix(args[i+1], "--") {
			value = unshellWord(args[i+1])
			i++
		}
		switch name {
		case "tensor-parallel-size", "pipeline-parallel-size", "data-parallel-size", "enable-expert-parallel", "kv-transfer-config":
		default:
			if err := basics.ParseVLLMFlag(cfg, name, value); err != nil {
				return err
			}
		}
	}
	if cfg.EnforceEager == nil {
		cfg.EnforceEager = runtimes.Bool(false)
	}
	return nil
}
