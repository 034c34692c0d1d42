package runtimestest

import rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"

// llmdCases: llm-d's optimized baseline and P/D disaggregation with NIXL (the gateway block
// is not read back by Parse: internal/runtimes/clustertest/llmd_test.go renders it).
func llmdCases() []Case {
	return []Case{
		{"llmd-baseline", rt.DeploymentConfig{Runtime: "llmd", Name: "qwen-llmd", Namespace: "default", Model: "Qwen/Qwen3-0.6B"}},
		{"llmd-baseline-full", rt.DeploymentConfig{
			Runtime: "llmd", Name: "llama-llmd", Namespace: "models", Model: "meta-llama/Llama-3.1-8B-Instruct", ServedModelName: "llama",
			Replicas: rt.Int64(2), GPUs: rt.Int64(2), Memory: "48Gi", ContextLength: rt.Int64(16384), EnablePrefixCaching: rt.Bool(true),
			HFTokenSecret: "hf-token-secret", EngineArgs: map[string]string{"gpu-memory-utilization": "0.85"},
			VLLM: &rt.VLLMConfig{SharedMemory: "8Gi"},
		}},
		{"llmd-pd", rt.DeploymentConfig{Runtime: "llmd", Name: "gpt-oss-pd", Namespace: "models", Model: "openai/gpt-oss-120b", Mode: rt.ModeDisaggregated,
			HFTokenSecret: "hf-token-secret",
			Disaggregated: &rt.DisaggregatedConfig{PrefillReplicas: rt.Int64(4), PrefillGPUs: rt.Int64(1), DecodeReplicas: rt.Int64(1), DecodeGPUs: rt.Int64(4)},
			EngineArgs:    map[string]string{"block-size": "128"}}},
		{"llmd-pd-workload", rt.DeploymentConfig{Runtime: "llmd", Name: "qwen-pd", Namespace: "models", Model: "Qwen/Qwen3-32B", Mode: rt.ModeDisaggregated,
			Workload: &rt.Workload{
				Pod:        rt.PodSettings{Env: map[string]string{"UCX_TLS": "rc,sm,cuda_ipc,cuda_copy,tcp"}, Tolerations: gpuTaint},
				Roles:      map[string]rt.PodSettings{rt.RolePrefill: {NodeSelector: map[string]string{"pool": "prefill"}}},
				ModelCache: &rt.ModelCache{ClaimName: "shared-hf-cache", MountPath: "/models"},
			}}},
	}
}
