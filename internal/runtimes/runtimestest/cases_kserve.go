package runtimestest

import rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"

// kserveCases are the KServe LLMInferenceService cases: one node, every attribute, data
// parallel across nodes (spec.worker), prefill/decode, workload settings, and v1alpha1.
func kserveCases() []Case {
	return []Case{
		{"kserve-aggregated", rt.DeploymentConfig{Runtime: "kserve", Name: "qwen-kserve", Namespace: "default", Model: "Qwen/Qwen3-0.6B"}},
		{"kserve-aggregated-full", rt.DeploymentConfig{
			Runtime: "kserve", Name: "llama-kserve", Namespace: "models", Model: "meta-llama/Llama-3.1-8B-Instruct", ServedModelName: "llama",
			Replicas: rt.Int64(2), GPUs: rt.Int64(2), Memory: "48Gi", ContextLength: rt.Int64(16384), EnforceEager: rt.Bool(true),
			EnablePrefixCaching: rt.Bool(false), TrustRemoteCode: true, HFTokenSecret: "hf-token-secret",
			EngineArgs: map[string]string{"gpu-memory-utilization": "0.85", "enable-chunked-prefill": "true",
				"speculative-config": `{"method":"ngram","num_speculative_tokens":5}`},
			Gateway: &rt.Gateway{ParentRefs: []rt.GatewayParent{{Name: "inference-gateway", Namespace: "gateway-system", SectionName: "http"}}},
		}},
		{"kserve-aggregated-pipeline", rt.DeploymentConfig{Runtime: "kserve", Name: "qwen-kserve-pp", Namespace: "models", Model: "Qwen/Qwen3-32B",
			GPUs: rt.Int64(4), KServe: &rt.KServeConfig{PipelineParallel: rt.Int64(2)}}},
		{"kserve-multinode", rt.DeploymentConfig{Runtime: "kserve", Name: "deepseek-dp", Namespace: "models", Model: "deepseek-ai/DeepSeek-V2-Lite-Chat",
			GPUs: rt.Int64(8), HFTokenSecret: "hf-token-secret",
			KServe:  &rt.KServeConfig{DataParallel: rt.Int64(16), DataLocalParallel: rt.Int64(8), ExpertParallel: rt.Bool(true)},
			Gateway: &rt.Gateway{ParentRefs: []rt.GatewayParent{{Name: "inference-gateway"}}}}},
		{"kserve-disaggregated", rt.DeploymentConfig{Runtime: "kserve", Name: "qwen-kserve-pd", Namespace: "models", Model: "Qwen/Qwen2.5-7B-Instruct", Mode: rt.ModeDisaggregated,
			Disaggregated: &rt.DisaggregatedConfig{PrefillReplicas: rt.Int64(2), DecodeGPUs: rt.Int64(2)},
			Gateway:       &rt.Gateway{ParentRefs: []rt.GatewayParent{{Name: "inference-gateway", Namespace: "gateway-system"}}}}},
		{"kserve-aggregated-workload", rt.DeploymentConfig{Runtime: "kserve", Name: "qwen-kserve-prod", Namespace: "models", Model: "Qwen/Qwen3-0.6B", HFTokenSecret: "hf-token-secret",
			KServe: &rt.KServeConfig{Scheduler: rt.Bool(true)},
			Workload: workload(func(w *rt.Workload) {
				w.Pod.Image = "registry.internal.example/llm-d/llm-d-cuda:v0.6.0"
				w.Overrides = "spec:\n  router:\n    scheduler:\n      replicas: 2\n"
			})}},
		{"kserve-v1alpha1-aggregated", rt.DeploymentConfig{Runtime: "kserve", Name: "qwen-kserve-old", Namespace: "default", Model: "Qwen/Qwen3-0.6B",
			KServe: &rt.KServeConfig{APIVersion: "v1alpha1"}}},
	}
}
