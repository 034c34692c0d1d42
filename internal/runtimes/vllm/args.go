package vllm

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/basics"
)

// managedFlags are the `vllm serve` flags rendered from dedicated attributes; engine_args
// may not set them (vllm-project/vllm vllm/engine/arg_utils.py EngineArgs and
// vllm/entrypoints/openai/cli_args.py, v0.19.0 spellings).
var managedFlags = map[string]string{
	"model":                        "model",
	"port":                         "nothing (the server listens on 8000, the Service's target)",
	"host":                         "nothing (the server listens on every address)",
	"served-model-name":            "served_model_name",
	"tensor-parallel-size":         "vllm.tensor_parallel",
	"pipeline-parallel-size":       "vllm.pipeline_parallel",
	"max-model-len":                "context_length",
	"enforce-eager":                "enforce_eager",
	"enable-prefix-caching":        "enable_prefix_caching",
	"no-enable-prefix-caching":     "enable_prefix_caching",
	"trust-remote-code":            "trust_remote_code",
	"distributed-executor-backend": "vllm.nodes (Ray is used across nodes)",
}

// serveArgs renders the arguments after `vllm serve`: the model, then flags. Prefix caching
// is on by default in vLLM's V1 engine, so enable_prefix_caching = false renders the
// negative flag rather than nothing.
func serveArgs(cfg runtimes.DeploymentConfig) []string { return serveArgsOn(cfg, ServePort) }

// serveArgsOn renders the arguments for a server listening on port.
func serveArgsOn(cfg runtimes.DeploymentConfig, port int64) []string {
	v := cfg.VLLM
	args := []string{cfg.Model,
		"--port", strconv.FormatInt(port, 10),
		"--served-model-name", cfg.EffectiveServedModelName(),
		"--tensor-parallel-size", strconv.FormatInt(*v.TensorParallel, 10),
		"--pipeline-parallel-size", strconv.FormatInt(*v.PipelineParallel, 10),
	}
	args = append(args, basics.VLLMOptionFlags(cfg)...)
	if multiNode(cfg) {
		args = append(args, "--distributed-executor-backend", "ray")
	}
	return append(args, runtimes.EngineArgFlags(cfg.EngineArgs)...)
}

// parseServeArgs is the inverse of serveArgs: it fills cfg from the arguments.
func parseServeArgs(cfg *runtimes.DeploymentConfig, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return fmt.Errorf("the vllm serve arguments do not start with the model: %q", args)
	}
	cfg.Model = args[0]
	v := cfg.VLLM
	for i := 1; i < len(args); i++ {
		if !strings.HasPrefix(args[i], "--") {
			return fmt.Errorf("unexpected vllm serve argument %q", args[i])
		}
		name, value := strings.TrimPrefix(args[i], "--"), "true"
		if i+1 < len(args) && !strings.HasPrefix(args[i+1], "--") {
			value = args[i+1]
			i++
		}
		var err error
		switch name {
		case "port", "distributed-executor-backend":
		case "served-model-name":
			cfg.ServedModelName = value
		case "tensor-parallel-size":
			v.TensorParallel, err = intArg(name, value)
		case "pipeline-parallel-size":
			v.PipelineParallel, err = intArg(name, value)
		default:
			err = basics.ParseVLLMFlag(cfg, name, value)
		}
		if err != nil {
			return err
		}
	}
	if cfg.EnforceEager == nil {
		cfg.EnforceEager = runtimes.Bool(false)
	}
	return nil
}

func intArg(name, value string) (*int64, error) {
	n, err := strconv.ParseInt(value, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("--%s %q is not a number", name, value)
	}
	return &n, nil
}
