// Package runtimestest holds the deployment configs every runtime test uses (golden
// manifests, round trips, API server dry runs) and a golden-file helper.
package runtimestest

import (
	"slices"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Case is a named, valid (after Defaults) deployment config.
type Case struct {
	Name   string
	Config rt.DeploymentConfig
}

// Cases returns the cases of one runtime: every mode and engine it supports, plus one with
// most optional settings used. Configs are fresh copies on each call.
func Cases(runtimeID string) []Case {
	var out []Case
	for _, c := range allCases() {
		if c.Config.Runtime == runtimeID {
			out = append(out, c)
		}
	}
	return out
}

func allCases() []Case {
	out := append(append(baseCases(), dynamoV1Alpha1Cases()...), llmdCases()...)
	return append(out, kserveCases()...)
}

// dynamoV1Alpha1Cases are the Dynamo cases again, rendered for Dynamo 0.x clusters
// (dynamo.api_version = "v1alpha1"); their goldens are testdata/dynamo-v1alpha1-*.yaml.
func dynamoV1Alpha1Cases() []Case {
	var out []Case
	for _, c := range baseCases() {
		if c.Config.Runtime != "dynamo" {
			continue
		}
		c.Name = "dynamo-v1alpha1-" + c.Name[len("dynamo-"):]
		c.Config.Dynamo = &rt.DynamoConfig{APIVersion: "v1alpha1"}
		if w := c.Config.Workload; w != nil && w.Overrides != "" {
			// The same override in the v1alpha1 shape (services map, sharedMemory object).
			alpha := *w
			alpha.Overrides = "spec:\n  services:\n    VllmWorker:\n      sharedMemory:\n        size: 16Gi\n"
			c.Config.Workload = &alpha
		}
		out = append(out, c)
	}
	return out
}

func baseCases() []Case {
	return []Case{
		// NVIDIA Dynamo
		{"dynamo-aggregated-vllm", rt.DeploymentConfig{Runtime: "dynamo", Name: "qwen3", Namespace: "dynamo-system", Model: "Qwen/Qwen3-0.6B"}},
		{"dynamo-aggregated-vllm-full", rt.DeploymentConfig{
			Runtime: "dynamo", Name: "llama-kv", Namespace: "models", Model: "meta-llama/Llama-3.2-3B-Instruct",
			ServedModelName: "llama", RouterMode: rt.RouterKV, Replicas: rt.Int64(2), GPUs: rt.Int64(2), Memory: "40Gi",
			ContextLength: rt.Int64(8192), EnforceEager: rt.Bool(false), EnablePrefixCaching: rt.Bool(true), TrustRemoteCode: true,
			EngineArgs:    map[string]string{"gpu-memory-utilization": "0.85", "max-num-seqs": "64", "no-enable-chunked-prefill": "true"},
			HFTokenSecret: "hf-token-secret",
		}},
		{"dynamo-aggregated-sglang", rt.DeploymentConfig{Runtime: "dynamo", Name: "qwen-sglang", Namespace: "dynamo-system", Model: "Qwen/Qwen2.5-1.5B-Instruct", Engine: rt.EngineSGLang, ContextLength: rt.Int64(4096), TrustRemoteCode: true}},
		{"dynamo-aggregated-trtllm", rt.DeploymentConfig{Runtime: "dynamo", Name: "tinyllama-trt", Namespace: "dynamo-system", Model: "TinyLlama/TinyLlama-1.1B-Chat-v1.0", Engine: rt.EngineTRTLLM, ContextLength: rt.Int64(2048)}},
		{"dynamo-disaggregated-vllm", rt.DeploymentConfig{Runtime: "dynamo", Name: "qwen-pd", Namespace: "dynamo-system", Model: "Qwen/Qwen3-0.6B", Mode: rt.ModeDisaggregated, HFTokenSecret: "hf-token-secret",
			Disaggregated: &rt.DisaggregatedConfig{PrefillReplicas: rt.Int64(2), DecodeGPUs: rt.Int64(2)}}},
		{"dynamo-disaggregated-sglang", rt.DeploymentConfig{Runtime: "dynamo", Name: "qwen-pd-sglang", Namespace: "dynamo-system", Model: "Qwen/Qwen3-0.6B", Engine: rt.EngineSGLang, Mode: rt.ModeDisaggregated, RouterMode: rt.RouterKV}},
		{"dynamo-disaggregated-trtllm", rt.DeploymentConfig{Runtime: "dynamo", Name: "qwen-pd-trt", Namespace: "dynamo-system", Model: "Qwen/Qwen3-0.6B", Engine: rt.EngineTRTLLM, Mode: rt.ModeDisaggregated}},
		{"dynamo-aggregated-trtllm-kv", rt.DeploymentConfig{Runtime: "dynamo", Name: "qwen-trt-kv", Namespace: "dynamo-system", Model: "Qwen/Qwen3-0.6B", Engine: rt.EngineTRTLLM, RouterMode: rt.RouterKV}},

		{"dynamo-aggregated-vllm-workload", rt.DeploymentConfig{Runtime: "dynamo", Name: "qwen-prod", Namespace: "models", Model: "Qwen/Qwen3-0.6B", HFTokenSecret: "hf-token-secret",
			Workload: workload(func(w *rt.Workload) {
				w.Roles = map[string]rt.PodSettings{
					// The frontend runs on the CPU pool: no GPU toleration, its own selector.
					rt.RoleFrontend: {NodeSelector: map[string]string{"pool": "cpu"}, Tolerations: []rt.Toleration{}, CPU: "2", ExtraResources: map[string]string{}},
				}
				w.Overrides = "spec:\n  components:\n  - name: VllmWorker\n    sharedMemorySize: 16Gi\n"
			})}},
		{"dynamo-disaggregated-vllm-workload", rt.DeploymentConfig{Runtime: "dynamo", Name: "qwen-pd-prod", Namespace: "models", Model: "Qwen/Qwen3-0.6B", Mode: rt.ModeDisaggregated,
			Workload: &rt.Workload{
				Pod: rt.PodSettings{ImagePullSecrets: []string{"regcred"}, Tolerations: gpuTaint},
				Roles: map[string]rt.PodSettings{
					rt.RoleWorker:  {Image: "registry.internal.example/ai-dynamo/vllm-runtime:0.7.1", Env: map[string]string{"VLLM_LOGGING_LEVEL": "DEBUG"}},
					rt.RolePrefill: {Env: map[string]string{"ROLE": "prefill"}, NodeSelector: map[string]string{"pool": "prefill"}},
					rt.RoleDecode:  {Env: map[string]string{"ROLE": "decode"}, ExtraResources: map[string]string{"rdma/hca": "1"}},
				},
				ModelCache: &rt.ModelCache{ClaimName: "shared-hf-cache", MountPath: "/models"},
			}}},

		// KubeRay
		{"kuberay-aggregated-vllm", rt.DeploymentConfig{Runtime: "kuberay", Name: "qwen-ray", Namespace: "kuberay-system", Model: "Qwen/Qwen3-0.6B"}},
		{"kuberay-aggregated-vllm-full", rt.DeploymentConfig{
			Runtime: "kuberay", Name: "llama-ray", Namespace: "models", Model: "meta-llama/Llama-3.2-1B-Instruct", ServedModelName: "llama",
			Replicas: rt.Int64(3), GPUs: rt.Int64(2), ContextLength: rt.Int64(32768), EnforceEager: rt.Bool(false), EnablePrefixCaching: rt.Bool(true), TrustRemoteCode: true,
			EngineArgs:    map[string]string{"max_num_batched_tokens": "8192", "quantization": "fp8", "enable_lora": "true"},
			HFTokenSecret: "hf-token-secret",
			KubeRay: &rt.KubeRayConfig{AcceleratorType: "A10G", TensorParallel: rt.Int64(2), GPUMemoryUtilization: rt.Float64(0.8), MaxNumSeqs: rt.Int64(64),
				HeadCPU: "2", HeadMemory: "8Gi", WorkerCPU: "16", WorkerMemory: "96Gi", MaxReplicas: rt.Int64(3)},
		}},
		{"kuberay-disaggregated-vllm", rt.DeploymentConfig{Runtime: "kuberay", Name: "qwen-ray-pd", Namespace: "kuberay-system", Model: "Qwen/Qwen3-0.6B", Mode: rt.ModeDisaggregated, HFTokenSecret: "hf-token-secret",
			Disaggregated: &rt.DisaggregatedConfig{DecodeReplicas: rt.Int64(2)}, KubeRay: &rt.KubeRayConfig{KVConnector: "NixlConnector"}}},

		{"kuberay-aggregated-vllm-workload", rt.DeploymentConfig{Runtime: "kuberay", Name: "qwen-ray-prod", Namespace: "models", Model: "Qwen/Qwen3-0.6B", HFTokenSecret: "hf-token-secret",
			Workload: workload(func(w *rt.Workload) {
				w.Pod.Image, w.Pod.CPU = "", "" // set through the kuberay block
				w.Pod.GPUResourceName = "nvidia.com/mig-3g.20gb"
				w.Roles = map[string]rt.PodSettings{rt.RoleHead: {NodeSelector: map[string]string{"pool": "cpu"}, Tolerations: []rt.Toleration{}, ExtraResources: map[string]string{}}}
				w.Overrides = `{"spec":{"rayClusterConfig":{"enableInTreeAutoscaling":true}}}`
			}),
			KubeRay: &rt.KubeRayConfig{Image: "registry.internal.example/rayproject/ray-llm:2.52.0-py311-cu128"}}},

		// KAITO
		{"kaito-premade-llama", rt.DeploymentConfig{Runtime: "kaito", Name: "llama-1b", Namespace: "kaito-workspace", KAITO: &rt.KaitoConfig{ModelSource: rt.KaitoSourcePremade, PremadeModel: "llama3.2:1b"}, Memory: "4Gi"}},
		{"kaito-premade-gpt-oss", rt.DeploymentConfig{Runtime: "kaito", Name: "gpt-oss", Namespace: "kaito-workspace", Model: "kaito/gpt-oss-20b"}},
		{"kaito-huggingface-direct", rt.DeploymentConfig{Runtime: "kaito", Name: "qwen-gguf", Namespace: "kaito-workspace", Model: "Qwen/Qwen2.5-1.5B-Instruct-GGUF", HFTokenSecret: "hf-token-secret",
			KAITO: &rt.KaitoConfig{GGUFFile: "qwen2.5-1.5b-instruct-q4_k_m.gguf", CPU: "2"}, Memory: "8Gi"}},
		{"kaito-huggingface-build-gpu", rt.DeploymentConfig{Runtime: "kaito", Name: "llama-gguf", Namespace: "kaito-workspace", Model: "bartowski/Llama-3.2-1B-Instruct-GGUF", Replicas: rt.Int64(2),
			KAITO: &rt.KaitoConfig{ModelSource: rt.KaitoSourceHuggingFace, GGUFFile: "Llama-3.2-1B-Instruct-Q4_K_M.gguf", RunMode: rt.KaitoRunBuild, ImageRef: "localhost:30500/aikit-bartowski-llama-3-2-1b-instruct-gguf:Q4_K_M", ComputeType: rt.ComputeGPU, LabelSelector: map[string]string{"agentpool": "gpu"}}}},
		{"kaito-vllm", rt.DeploymentConfig{Runtime: "kaito", Name: "phi-vllm", Namespace: "kaito-workspace", Model: "microsoft/Phi-3-mini-4k-instruct", Engine: rt.EngineVLLM, GPUs: rt.Int64(2), ContextLength: rt.Int64(4096), HFTokenSecret: "hf-token-secret",
			EngineArgs: map[string]string{"dtype": "bfloat16"}}},
		{"kaito-vllm-workload", rt.DeploymentConfig{Runtime: "kaito", Name: "phi-prod", Namespace: "models", Model: "microsoft/Phi-3-mini-4k-instruct", Engine: rt.EngineVLLM,
			Workload: workload(func(w *rt.Workload) {
				w.Pod.Image = "registry.internal.example/kaito/kaito-base:0.1.1"
				w.Pod.CPU = ""
				w.Overrides = "resource:\n  preferredNodes: [gpu-node-1]\n"
			})}},
		// kaito.inference_set: a KAITO 0.12 InferenceSet of 2 Workspaces (renderer kaito.InferenceSet).
		{"kaito-inferenceset-vllm", rt.DeploymentConfig{Runtime: "kaito", Name: "qwen-set", Namespace: "models", Model: "Qwen/Qwen3-0.6B", Engine: rt.EngineVLLM,
			Replicas: rt.Int64(2), KAITO: &rt.KaitoConfig{InferenceSet: rt.Bool(true), CPU: "2"}}},
		{"kaito-inferenceset-premade", rt.DeploymentConfig{Runtime: "kaito", Name: "llama-set", Namespace: "models", Model: "kaito/llama3.2-1b",
			KAITO: &rt.KaitoConfig{InferenceSet: rt.Bool(true)}}},
		{"kaito-premade-workload", rt.DeploymentConfig{Runtime: "kaito", Name: "llama-1b-prod", Namespace: "models", Model: "kaito/llama3.2-1b",
			Workload: &rt.Workload{
				Pod:    rt.PodSettings{NodeSelector: map[string]string{"pool": "cpu"}, Labels: map[string]string{"team": "ml"}, PriorityClassName: "batch"},
				Labels: map[string]string{"cost-center": "42"},
			}}},

		// Plain vLLM: a Deployment, or a LeaderWorkerSet when a replica spans nodes.
		{"vllm-aggregated", rt.DeploymentConfig{Runtime: "vllm", Name: "qwen-vllm", Namespace: "default", Model: "Qwen/Qwen3-0.6B"}},
		{"vllm-aggregated-full", rt.DeploymentConfig{
			Runtime: "vllm", Name: "llama-vllm", Namespace: "models", Model: "meta-llama/Llama-3.1-8B-Instruct", ServedModelName: "llama",
			Replicas: rt.Int64(2), GPUs: rt.Int64(2), Memory: "48Gi", ContextLength: rt.Int64(16384), EnforceEager: rt.Bool(true),
			EnablePrefixCaching: rt.Bool(true), TrustRemoteCode: true, HFTokenSecret: "hf-token-secret",
			EngineArgs: map[string]string{"gpu-memory-utilization": "0.85", "max-num-seqs": "128", "enable-chunked-prefill": "true"},
			VLLM:       &rt.VLLMConfig{SharedMemory: "8Gi"},
		}},
		{"vllm-multinode", rt.DeploymentConfig{Runtime: "vllm", Name: "llama-405b", Namespace: "models", Model: "meta-llama/Llama-3.1-405B-Instruct",
			GPUs: rt.Int64(8), HFTokenSecret: "hf-token-secret", VLLM: &rt.VLLMConfig{Nodes: rt.Int64(2), PipelineParallel: rt.Int64(2), SharedMemory: "15Gi"}}},
		{"vllm-aggregated-workload", rt.DeploymentConfig{Runtime: "vllm", Name: "qwen-vllm-prod", Namespace: "models", Model: "Qwen/Qwen3-0.6B", HFTokenSecret: "hf-token-secret",
			Workload: workload(func(w *rt.Workload) {
				w.Pod.Image = "registry.internal.example/vllm/vllm-openai:v0.19.0-cu130"
				w.Overrides = "spec:\n  template:\n    spec:\n      terminationGracePeriodSeconds: 120\n"
			})}},
		{"vllm-multinode-workload", rt.DeploymentConfig{Runtime: "vllm", Name: "qwen-vllm-mn", Namespace: "models", Model: "Qwen/Qwen3-235B-A22B", Replicas: rt.Int64(2), GPUs: rt.Int64(4),
			VLLM: &rt.VLLMConfig{Nodes: rt.Int64(2)},
			Workload: &rt.Workload{
				Pod:        rt.PodSettings{Env: map[string]string{"NCCL_DEBUG": "INFO"}, Tolerations: gpuTaint, GPUResourceName: "nvidia.com/mig-3g.20gb"},
				ModelCache: &rt.ModelCache{ClaimName: "shared-hf-cache", MountPath: "/models"},
				HFEndpoint: "https://hf-mirror.internal.example",
			}}},
	}
}

// gpuTaint tolerates the taint GPU node pools usually carry.
var gpuTaint = []rt.Toleration{{Key: "nvidia.com/gpu", Operator: "Exists", Effect: "NoSchedule"}}

// workload is a config that uses every workload setting once; edit adapts it to a runtime.
func workload(edit func(w *rt.Workload)) *rt.Workload {
	w := &rt.Workload{
		Pod: rt.PodSettings{
			Image:              "registry.internal.example/ai-dynamo/vllm-runtime:0.7.1",
			Env:                map[string]string{"VLLM_LOGGING_LEVEL": "INFO", "NCCL_DEBUG": "WARN"},
			EnvFrom:            []rt.EnvFrom{{Secret: "s3-credentials"}, {ConfigMap: "proxy-settings", Prefix: "PROXY_"}},
			NodeSelector:       map[string]string{"nvidia.com/gpu.product": "NVIDIA-A100-SXM4-80GB"},
			Tolerations:        append(slices.Clone(gpuTaint), rt.Toleration{Key: "dedicated", Operator: "Equal", Value: "inference", Effect: "NoExecute", TolerationSeconds: rt.Int64(300)}),
			CPU:                "8",
			ExtraResources:     map[string]string{"rdma/hca": "1"},
			Labels:             map[string]string{"team": "ml"},
			Annotations:        map[string]string{"prometheus.io/scrape": "true"},
			ServiceAccountName: "inference",
			ImagePullSecrets:   []string{"regcred"},
			PriorityClassName:  "inference-high",
		},
		Labels:      map[string]string{"cost-center": "42"},
		Annotations: map[string]string{"owner": "platform-team"},
		HFEndpoint:  "https://hf-mirror.internal.example",
		ModelCache:  &rt.ModelCache{Size: "200Gi", StorageClass: "fast-rwx", Download: true, DeleteClaimOnDestroy: true},
	}
	edit(w)
	return w
}
