// Package enginemetrics reads inference engines' Prometheus expositions: it parses them
// with the Prometheus text-format library, picks each engine's own metric names, and turns
// two scrapes an interval apart into load, KV-cache usage, token rates and latency
// percentiles, per pod and over a deployment. It knows nothing about Kubernetes or Terraform.
package enginemetrics

// Profile names one engine's metrics. Each quantity lists candidate names in order of
// preference: the current name first, then the names older releases used.
type Profile struct {
	// Engine identifies the exposition: vllm, sglang, trtllm, dynamo_frontend, llamacpp, ray_vllm.
	Engine string
	// Frontend is true for a router in front of the engines (it sees client latency, not the
	// engines' queues or caches).
	Frontend bool
	// Marker is a metric only this engine exposes; its presence selects the profile.
	Markers []string

	Running, Waiting []string // gauges, summed over series
	KVCacheUsage     []string // gauge 0..1, averaged over series
	PromptTokens     []string // counters (or a histogram's _sum), summed over series
	GenerationTokens []string
	TTFT, ITL        []string // histograms in seconds
}

// Profiles are checked in this order; the first whose marker is present wins. The Dynamo
// frontend comes first: a Dynamo worker pod exposes its engine's names next to
// dynamo_component_* ones, but never dynamo_frontend_*.
var Profiles = []Profile{DynamoFrontend, VLLM, SGLang, TRTLLM, LlamaCpp, RayVLLM}

// DynamoFrontend: the Dynamo HTTP frontend, port 8000 (container port "http") /metrics.
// Names: prefix name_prefix::FRONTEND = "dynamo_frontend" + frontend_service::* in
// lib/runtime/src/metrics/prometheus_names.rs and their registration in
// lib/llm/src/http/service/metrics.rs (ai-dynamo/dynamo 1.4.0, fork wxsms/dynamo @ e147ceea).
// Input tokens have no counter: the input_sequence_tokens histogram's _sum is one.
var DynamoFrontend = Profile{
	Engine:           "dynamo_frontend",
	Frontend:         true,
	Markers:          []string{"dynamo_frontend_requests_total", "dynamo_frontend_inflight_requests", "dynamo_frontend_time_to_first_token_seconds"},
	Running:          []string{"dynamo_frontend_inflight_requests"},
	Waiting:          []string{"dynamo_frontend_queued_requests"},
	PromptTokens:     []string{"dynamo_frontend_input_sequence_tokens"},
	GenerationTokens: []string{"dynamo_frontend_output_tokens_total"},
	TTFT:             []string{"dynamo_frontend_time_to_first_token_seconds"},
	ITL:              []string{"dynamo_frontend_inter_token_latency_seconds"},
}

// VLLM: vLLM's OpenAI server, port 8000 /metrics, and a Dynamo vLLM worker, whose system port
// (9090, container port "system") re-exports the "vllm:" families
// (components/src/dynamo/common/utils/prometheus.py, metric_prefix_filters=["vllm:"], Dynamo
// 1.4.0). Names: vllm/v1/metrics/loggers.py PrometheusStatLogger (vllm-project/vllm; the
// provider pins v0.19.0); counters gain _total from prometheus_client.
// kv_cache_usage_perc replaced gpu_cache_usage_perc, and inter_token_latency_seconds
// replaced time_per_output_token_seconds; the old names are read from older images.
var VLLM = Profile{
	Engine:           "vllm",
	Markers:          []string{"vllm:num_requests_running", "vllm:generation_tokens_total"},
	Running:          []string{"vllm:num_requests_running"},
	Waiting:          []string{"vllm:num_requests_waiting"},
	KVCacheUsage:     []string{"vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc"},
	PromptTokens:     []string{"vllm:prompt_tokens_total"},
	GenerationTokens: []string{"vllm:generation_tokens_total"},
	TTFT:             []string{"vllm:time_to_first_token_seconds"},
	ITL:              []string{"vllm:inter_token_latency_seconds", "vllm:time_per_output_token_seconds"},
}

// SGLang: SGLang's server /metrics (--enable-metrics) and a Dynamo SGLang worker's system port
// (components/src/dynamo/sglang/publisher.py, metric_prefix_filters=["sglang:"], Dynamo 1.4.0).
// Names: python/sglang/srt/metrics/collector.py SchedulerMetricsCollector and
// TokenizerMetricsCollector (sgl-project/sglang @ 00ae9c15). token_usage is the share of the
// KV pool's tokens in use. Older releases named the inter-token histogram
// time_per_output_token_seconds.
var SGLang = Profile{
	Engine:           "sglang",
	Markers:          []string{"sglang:num_running_reqs", "sglang:generation_tokens_total", "sglang:time_to_first_token_seconds"},
	Running:          []string{"sglang:num_running_reqs"},
	Waiting:          []string{"sglang:num_queue_reqs"},
	KVCacheUsage:     []string{"sglang:token_usage"},
	PromptTokens:     []string{"sglang:prompt_tokens_total"},
	GenerationTokens: []string{"sglang:generation_tokens_total"},
	TTFT:             []string{"sglang:time_to_first_token_seconds"},
	ITL:              []string{"sglang:inter_token_latency_seconds", "sglang:time_per_output_token_seconds"},
}

// TRTLLM: TensorRT-LLM under Dynamo: the worker's system port re-exports the engine's
// "trtllm_" families (prometheus.py metric_prefix_filters=["trtllm_"], Dynamo 1.4.0, which pins
// tensorrt-llm==1.3.0rc23). Names: tensorrt_llm/metrics/collector.py MetricsCollector
// (NVIDIA/TensorRT-LLM @ 050f80de). TRT-LLM has no inter-token histogram; its
// time_per_output_token_seconds is per request. When the engine's KV gauge is missing, Dynamo's
// own dynamo_component_gpu_cache_usage_percent (kvstats, prometheus_names.rs; set by
// components/src/dynamo/trtllm/publisher.py) is used.
var TRTLLM = Profile{
	Engine:           "trtllm",
	Markers:          []string{"trtllm_request_success_total", "trtllm_time_to_first_token_seconds", "trtllm_num_requests_running", "trtllm_kv_cache_utilization"},
	Running:          []string{"trtllm_num_requests_running"},
	Waiting:          []string{"trtllm_num_requests_waiting"},
	KVCacheUsage:     []string{"trtllm_kv_cache_utilization", "dynamo_component_gpu_cache_usage_percent"},
	PromptTokens:     []string{"trtllm_prompt_tokens_total"},
	GenerationTokens: []string{"trtllm_generation_tokens_total"},
	TTFT:             []string{"trtllm_time_to_first_token_seconds"},
	ITL:              []string{"trtllm_time_per_output_token_seconds"},
}

// LlamaCpp: llama.cpp's llama-server, which serves /metrics only when started with --metrics
// (or LLAMA_ARG_ENDPOINT_METRICS=1); otherwise it answers 501. Names: tools/server
// handle_metrics, "llamacpp:" prefix (ggml-org/llama.cpp; help texts as of a2df2787, #11512).
// It exposes counters and gauges only, no histograms: no latency percentiles.
// kv_cache_usage_ratio is gone from newer builds.
var LlamaCpp = Profile{
	Engine:           "llamacpp",
	Markers:          []string{"llamacpp:prompt_tokens_total", "llamacpp:tokens_predicted_total", "llamacpp:requests_processing"},
	Running:          []string{"llamacpp:requests_processing"},
	Waiting:          []string{"llamacpp:requests_deferred"},
	KVCacheUsage:     []string{"llamacpp:kv_cache_usage_ratio"},
	PromptTokens:     []string{"llamacpp:prompt_tokens_total"},
	GenerationTokens: []string{"llamacpp:tokens_predicted_total"},
}

// RayVLLM: vLLM inside Ray Serve LLM (KubeRay), read from each Ray node's metrics export port
// 8080 (container port "metrics", added by KubeRay, ray-operator/controllers/ray/common/pod.go
// DefaultMetricsPort, v1.7.0). vLLM's Ray wrappers replace ':' with '_' in every name
// (vllm/v1/metrics/ray_wrappers.py _get_sanitized_opentelemetry_name, vllm @ 02579a5f) and Ray prefixes
// "ray_"; counters carry _total or not depending on the Ray release, so both are read.
var RayVLLM = Profile{
	Engine:           "ray_vllm",
	Markers:          []string{"ray_vllm_num_requests_running", "ray_vllm_generation_tokens_total", "ray_vllm_generation_tokens"},
	Running:          []string{"ray_vllm_num_requests_running"},
	Waiting:          []string{"ray_vllm_num_requests_waiting"},
	KVCacheUsage:     []string{"ray_vllm_kv_cache_usage_perc", "ray_vllm_gpu_cache_usage_perc"},
	PromptTokens:     []string{"ray_vllm_prompt_tokens_total", "ray_vllm_prompt_tokens"},
	GenerationTokens: []string{"ray_vllm_generation_tokens_total", "ray_vllm_generation_tokens"},
	TTFT:             []string{"ray_vllm_time_to_first_token_seconds"},
	ITL:              []string{"ray_vllm_inter_token_latency_seconds", "ray_vllm_time_per_output_token_seconds"},
}
