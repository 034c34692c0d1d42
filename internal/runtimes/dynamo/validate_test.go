package dynamo_test

import (
	"strings"
	"testing"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

func TestValidateRejects(t *testing.T) {
	base := rt.DeploymentConfig{Name: "qwen3", Namespace: "dynamo-system", Model: "Qwen/Qwen3-0.6B"}
	disagg := func(cfg *rt.DeploymentConfig) { cfg.Mode = rt.ModeDisaggregated }
	checkInvalid(t, base, []invalid{
		{"empty name", func(c *rt.DeploymentConfig) { c.Name = "" }, "name", "must be set"},
		{"upper-case name", func(c *rt.DeploymentConfig) { c.Name = "Qwen3" }, "name", `"Qwen3" is not a valid name`},
		{"name too long", func(c *rt.DeploymentConfig) {
			c.Name = "a234567890123456789012345678901234567890123456789012345678901234"
		}, "name", "at most 63"},
		{"bad namespace", func(c *rt.DeploymentConfig) { c.Namespace = "dynamo_system" }, "namespace", "not a valid namespace"},
		{"empty namespace", func(c *rt.DeploymentConfig) { c.Namespace = "" }, "namespace", "must be set to an existing namespace"},
		{"model with spaces", func(c *rt.DeploymentConfig) { c.Model = "Qwen/Qwen3 0.6B" }, "model", "must not contain spaces"},
		{"model not UTF-8", func(c *rt.DeploymentConfig) { c.Model = "Qwen/\xff" }, "model", "valid UTF-8"},
		{"served name with newline", func(c *rt.DeploymentConfig) { c.ServedModelName = "a\nb" }, "served_model_name", "control characters"},
		{"empty model", func(c *rt.DeploymentConfig) { c.Model = "" }, "model", "Hugging Face model id"},
		{"llamacpp engine", func(c *rt.DeploymentConfig) { c.Engine = rt.EngineLlamaCpp }, "engine", `NVIDIA Dynamo does not support engine "llamacpp"`},
		{"unknown engine", func(c *rt.DeploymentConfig) { c.Engine = "tgi" }, "engine", `unknown engine "tgi"`},
		{"unknown mode", func(c *rt.DeploymentConfig) { c.Mode = "split" }, "mode", `unknown mode "split"`},
		{"unknown router", func(c *rt.DeploymentConfig) { c.RouterMode = "random" }, "router_mode", `unknown value "random"`},
		{"zero replicas", func(c *rt.DeploymentConfig) { c.Replicas = rt.Int64(0) }, "replicas", "between 1 and 10, got 0"},
		{"eleven replicas", func(c *rt.DeploymentConfig) { c.Replicas = rt.Int64(11) }, "replicas", "between 1 and 10, got 11"},
		{"zero gpus", func(c *rt.DeploymentConfig) { c.GPUs = rt.Int64(0) }, "gpus", "at least 1"},
		{"bad memory", func(c *rt.DeploymentConfig) { c.Memory = "lots" }, "memory", "not a Kubernetes quantity"},
		{"negative context", func(c *rt.DeploymentConfig) { c.ContextLength = rt.Int64(-1) }, "context_length", "positive number of tokens"},
		{"bad secret name", func(c *rt.DeploymentConfig) { c.HFTokenSecret = "HF Token" }, "hf_token_secret", "not a valid Secret name"},
		{"kaito block", func(c *rt.DeploymentConfig) { c.KAITO = &rt.KaitoConfig{} }, "kaito", `only applies to runtime "kaito"`},
		{"kuberay block", func(c *rt.DeploymentConfig) { c.KubeRay = &rt.KubeRayConfig{} }, "kuberay", `only applies to runtime "kuberay"`},
		{"wrong runtime", func(c *rt.DeploymentConfig) { c.Runtime = "kaito" }, "runtime", `is for runtime "kaito"`},
		{"disaggregated block when aggregated", func(c *rt.DeploymentConfig) { c.Disaggregated = &rt.DisaggregatedConfig{} }, "disaggregated", `only valid with mode = "disaggregated"`},
		{"replicas in disaggregated mode", func(c *rt.DeploymentConfig) { disagg(c); c.Replicas = rt.Int64(2) }, "replicas", "not used in disaggregated mode"},
		{"gpus in disaggregated mode", func(c *rt.DeploymentConfig) { disagg(c); c.GPUs = rt.Int64(2) }, "gpus", "disaggregated.prefill_gpus"},
		{"no router in disaggregated mode", func(c *rt.DeploymentConfig) { disagg(c); c.RouterMode = rt.RouterNone }, "router_mode", "needs a router"},
		{"prefill replicas out of range", func(c *rt.DeploymentConfig) {
			disagg(c)
			c.Disaggregated = &rt.DisaggregatedConfig{PrefillReplicas: rt.Int64(12)}
		}, "disaggregated.prefill_replicas", "between 1 and 10, got 12"},
		{"decode gpus zero", func(c *rt.DeploymentConfig) {
			disagg(c)
			c.Disaggregated = &rt.DisaggregatedConfig{DecodeGPUs: rt.Int64(0)}
		}, "disaggregated.decode_gpus", "at least 1, got 0"},
		{"enforce eager on sglang", func(c *rt.DeploymentConfig) { c.Engine = rt.EngineSGLang; c.EnforceEager = rt.Bool(true) }, "enforce_eager", `engine "sglang" has no eager-mode flag`},
		{"prefix caching off on trtllm 0.7.1", func(c *rt.DeploymentConfig) {
			c.Engine, c.EnablePrefixCaching, c.Dynamo = rt.EngineTRTLLM, rt.Bool(false), &rt.DynamoConfig{APIVersion: dynamo.APIVersionV1Alpha1}
		}, "enable_prefix_caching", `engine "trtllm" under Dynamo 0.7.1 cannot turn KV block reuse off`},
		{"trust remote code on trtllm 0.7.1", func(c *rt.DeploymentConfig) {
			c.Engine, c.TrustRemoteCode, c.Dynamo = rt.EngineTRTLLM, true, &rt.DynamoConfig{APIVersion: dynamo.APIVersionV1Alpha1}
		}, "trust_remote_code", `engine "trtllm" under Dynamo 0.7.1 has no trust-remote-code flag`},
		{"engine arg with dashes", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"--max-num-seqs": "8"} }, `engine_args["--max-num-seqs"]`, "without leading dashes"},
		{"engine arg shell injection key", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"x;rm -rf /": "1"} }, `engine_args["x;rm -rf /"]`, "may only contain"},
		{"engine arg newline value", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"chat-template": "a\nb"} }, `engine_args["chat-template"]`, "control characters"},
		{"engine arg value is a flag", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"dtype": "--trust-remote-code"} }, `engine_args["dtype"]`, "looks like a flag"},
		{"engine arg false", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"enable-chunked-prefill": "false"} }, `engine_args["enable-chunked-prefill"]`, "no-enable-chunked-prefill"},
		{"engine arg reserved", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"max-model-len": "4096"} }, `engine_args["max-model-len"]`, "set context_length instead"},
		{"unknown api version", func(c *rt.DeploymentConfig) { c.Dynamo = &rt.DynamoConfig{APIVersion: "v2"} }, "dynamo.api_version", `unknown API version "v2"`},
		{"digit-leading name", func(c *rt.DeploymentConfig) { c.Name = "7b" }, "name", "must start with a letter"},
		{"name too long for the worker label", func(c *rt.DeploymentConfig) { c.Name = "a" + strings.Repeat("b", 43) }, "name", "nvidia.com/selector"},
		{"host in disaggregated mode", func(c *rt.DeploymentConfig) { disagg(c); c.EngineArgs = map[string]string{"host": "::"} }, `engine_args["host"]`, "set mode instead"},
		{"kv events with the kv router", func(c *rt.DeploymentConfig) {
			c.Engine = rt.EngineSGLang
			c.RouterMode = rt.RouterKV
			c.EngineArgs = map[string]string{"kv-events-config": "{}"}
		}, `engine_args["kv-events-config"]`, "set router_mode instead"},
		{"engine arg reserved for sglang", func(c *rt.DeploymentConfig) { c.Engine = rt.EngineSGLang; c.EngineArgs = map[string]string{"tp": "2"} }, `engine_args["tp"]`, "set gpus"},
	})
}

// invalid is a local mirror of runtimestest.InvalidCase so the table can stay positional.
type invalid struct {
	name    string
	mutate  func(*rt.DeploymentConfig)
	path    string
	message string
}

func checkInvalid(t *testing.T, base rt.DeploymentConfig, cases []invalid) {
	out := make([]runtimestest.InvalidCase, len(cases))
	for i, c := range cases {
		out[i] = runtimestest.InvalidCase{Name: c.name, Mutate: c.mutate, Path: c.path, Message: c.message}
	}
	runtimestest.CheckInvalid(t, dynamo.New(), base, out)
}
