package enginemetrics

import (
	"fmt"
	"strings"
)

// Expositions in each engine's own format and names, as their servers write them
// (prometheus_client for the Python engines: float counts, _created samples; the Rust
// prometheus crate for Dynamo's frontend: integer counts; llama.cpp's hand-written text).
// The sources of the names are cited on the profiles.

// hist writes a classic histogram's series: cumulative counts per bound, +Inf, sum, count.
func hist(name, labels string, bounds, cumulative []float64, sum float64, pyFloats bool) string {
	var b strings.Builder
	num := func(v float64) string {
		if pyFloats {
			return fmt.Sprintf("%.1f", v)
		}
		return fmt.Sprintf("%g", v)
	}
	sep := ""
	if labels != "" {
		sep = ","
	}
	for i, ub := range bounds {
		fmt.Fprintf(&b, "%s_bucket{%s%sle=\"%g\"} %s\n", name, labels, sep, ub, num(cumulative[i]))
	}
	total := cumulative[len(cumulative)-1]
	fmt.Fprintf(&b, "%s_bucket{%s%sle=\"+Inf\"} %s\n", name, labels, sep, num(total))
	if labels != "" {
		labels = "{" + labels + "}"
	}
	fmt.Fprintf(&b, "%s_count%s %s\n%s_sum%s %g\n", name, labels, num(total), name, labels, sum)
	return b.String()
}

// vLLM's default TTFT and inter-token buckets (vllm/v1/metrics/loggers.py), shortened.
var (
	vllmTTFTBounds = []float64{0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}
	vllmITLBounds  = []float64{0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5}
)

// vllmScrape is vLLM 0.19's /metrics with two data-parallel engines ("engine" label).
// ttft and itl are cumulative counts per bucket (engine 0; engine 1 holds none).
func vllmScrape(prompt, gen float64, ttft, itl []float64, ttftSum, itlSum float64) string {
	l0 := `engine="0",model_name="Qwen/Qwen3-0.6B"`
	l1 := `engine="1",model_name="Qwen/Qwen3-0.6B"`
	zeros := func(n int) []float64 { return make([]float64, n) }
	return `# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{` + l0 + `} 5.0
vllm:num_requests_running{` + l1 + `} 3.0
# HELP vllm:num_requests_waiting Number of requests waiting to be processed.
# TYPE vllm:num_requests_waiting gauge
vllm:num_requests_waiting{` + l0 + `} 2.0
vllm:num_requests_waiting{` + l1 + `} 0.0
# HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
# TYPE vllm:kv_cache_usage_perc gauge
vllm:kv_cache_usage_perc{` + l0 + `} 0.5
vllm:kv_cache_usage_perc{` + l1 + `} 0.25
# HELP vllm:prompt_tokens_total Number of prefill tokens processed.
# TYPE vllm:prompt_tokens_total counter
vllm:prompt_tokens_total{` + l0 + `} ` + fmt.Sprintf("%.1f", prompt) + `
vllm:prompt_tokens_total{` + l1 + `} 0.0
# HELP vllm:prompt_tokens_created Number of prefill tokens processed.
# TYPE vllm:prompt_tokens_created gauge
vllm:prompt_tokens_created{` + l0 + `} 1.7649e+09
# HELP vllm:generation_tokens_total Number of generation tokens processed.
# TYPE vllm:generation_tokens_total counter
vllm:generation_tokens_total{` + l0 + `} ` + fmt.Sprintf("%.1f", gen) + `
vllm:generation_tokens_total{` + l1 + `} 0.0
# HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.
# TYPE vllm:time_to_first_token_seconds histogram
` + hist("vllm:time_to_first_token_seconds", l0, vllmTTFTBounds, ttft, ttftSum, true) +
		hist("vllm:time_to_first_token_seconds", l1, vllmTTFTBounds, zeros(len(vllmTTFTBounds)), 0, true) + `# HELP vllm:inter_token_latency_seconds Histogram of inter-token latency in seconds.
# TYPE vllm:inter_token_latency_seconds histogram
` + hist("vllm:inter_token_latency_seconds", l0, vllmITLBounds, itl, itlSum, true) +
		hist("vllm:inter_token_latency_seconds", l1, vllmITLBounds, zeros(len(vllmITLBounds)), 0, true) + `# HELP vllm:request_time_per_output_token_seconds Histogram of time_per_output_token_seconds per request.
# TYPE vllm:request_time_per_output_token_seconds histogram
` + hist("vllm:request_time_per_output_token_seconds", l0, vllmITLBounds, itl, itlSum, true)
}

// sglangScrape is SGLang's /metrics (--enable-metrics) as a Dynamo SGLang worker re-exports it.
const sglangScrape = `# HELP sglang:num_running_reqs The number of running requests.
# TYPE sglang:num_running_reqs gauge
sglang:num_running_reqs{engine_type="unified",model_name="Qwen/Qwen3-8B",tp_rank="0",pp_rank="0"} 12.0
# HELP sglang:num_queue_reqs The number of requests in the waiting queue.
# TYPE sglang:num_queue_reqs gauge
sglang:num_queue_reqs{engine_type="unified",model_name="Qwen/Qwen3-8B",tp_rank="0",pp_rank="0"} 4.0
# HELP sglang:token_usage The token usage.
# TYPE sglang:token_usage gauge
sglang:token_usage{engine_type="unified",model_name="Qwen/Qwen3-8B",tp_rank="0",pp_rank="0"} 0.62
# HELP sglang:gen_throughput The generation throughput (token/s).
# TYPE sglang:gen_throughput gauge
sglang:gen_throughput{engine_type="unified",model_name="Qwen/Qwen3-8B",tp_rank="0",pp_rank="0"} 812.4
# HELP sglang:prompt_tokens_total Number of prefill tokens processed.
# TYPE sglang:prompt_tokens_total counter
sglang:prompt_tokens_total{model_name="Qwen/Qwen3-8B"} 50000.0
# HELP sglang:generation_tokens_total Number of generation tokens processed.
# TYPE sglang:generation_tokens_total counter
sglang:generation_tokens_total{model_name="Qwen/Qwen3-8B"} 20000.0
# HELP sglang:time_to_first_token_seconds Histogram of time to first token in seconds.
# TYPE sglang:time_to_first_token_seconds histogram
sglang:time_to_first_token_seconds_bucket{le="0.1",model_name="Qwen/Qwen3-8B"} 10.0
sglang:time_to_first_token_seconds_bucket{le="0.2",model_name="Qwen/Qwen3-8B"} 50.0
sglang:time_to_first_token_seconds_bucket{le="0.4",model_name="Qwen/Qwen3-8B"} 90.0
sglang:time_to_first_token_seconds_bucket{le="0.8",model_name="Qwen/Qwen3-8B"} 100.0
sglang:time_to_first_token_seconds_bucket{le="+Inf",model_name="Qwen/Qwen3-8B"} 100.0
sglang:time_to_first_token_seconds_sum{model_name="Qwen/Qwen3-8B"} 22.5
sglang:time_to_first_token_seconds_count{model_name="Qwen/Qwen3-8B"} 100.0
# HELP sglang:inter_token_latency_seconds Histogram of inter-token latency in seconds.
# TYPE sglang:inter_token_latency_seconds histogram
sglang:inter_token_latency_seconds_bucket{le="0.01",model_name="Qwen/Qwen3-8B"} 0.0
sglang:inter_token_latency_seconds_bucket{le="0.02",model_name="Qwen/Qwen3-8B"} 1000.0
sglang:inter_token_latency_seconds_bucket{le="0.04",model_name="Qwen/Qwen3-8B"} 2000.0
sglang:inter_token_latency_seconds_bucket{le="+Inf",model_name="Qwen/Qwen3-8B"} 2000.0
sglang:inter_token_latency_seconds_sum{model_name="Qwen/Qwen3-8B"} 45.0
sglang:inter_token_latency_seconds_count{model_name="Qwen/Qwen3-8B"} 2000.0
`

// trtllmScrape is a Dynamo TensorRT-LLM worker's system port: the engine's trtllm_* families
// and Dynamo's own dynamo_component_* gauges. This TRT-LLM build has no KV utilization gauge
// or token counters, so the KV usage comes from Dynamo's gauge.
const trtllmScrape = `# HELP dynamo_component_gpu_cache_usage_percent GPU cache usage as a percentage (0.0-1.0)
# TYPE dynamo_component_gpu_cache_usage_percent gauge
dynamo_component_gpu_cache_usage_percent{dp_rank="0",dynamo_component="backend",dynamo_namespace="ns-llm"} 0.4
dynamo_component_gpu_cache_usage_percent{dp_rank="1",dynamo_component="backend",dynamo_namespace="ns-llm"} 0.2
# HELP dynamo_component_total_blocks Total number of KV cache blocks available on the worker
# TYPE dynamo_component_total_blocks gauge
dynamo_component_total_blocks{dp_rank="0",dynamo_component="backend",dynamo_namespace="ns-llm"} 4096
# HELP trtllm_request_success_total Count of successfully processed requests.
# TYPE trtllm_request_success_total counter
trtllm_request_success_total{engine_type="trtllm",finished_reason="stop",model_name="Qwen/Qwen3-8B"} 40.0
# HELP trtllm_num_requests_running Number of active requests
# TYPE trtllm_num_requests_running gauge
trtllm_num_requests_running{engine_type="trtllm",model_name="Qwen/Qwen3-8B"} 7.0
# HELP trtllm_num_requests_waiting Number of queued requests
# TYPE trtllm_num_requests_waiting gauge
trtllm_num_requests_waiting{engine_type="trtllm",model_name="Qwen/Qwen3-8B"} 1.0
# HELP trtllm_time_to_first_token_seconds Histogram of time to first token in seconds.
# TYPE trtllm_time_to_first_token_seconds histogram
trtllm_time_to_first_token_seconds_bucket{engine_type="trtllm",le="0.1",model_name="Qwen/Qwen3-8B"} 0.0
trtllm_time_to_first_token_seconds_bucket{engine_type="trtllm",le="0.25",model_name="Qwen/Qwen3-8B"} 20.0
trtllm_time_to_first_token_seconds_bucket{engine_type="trtllm",le="0.5",model_name="Qwen/Qwen3-8B"} 40.0
trtllm_time_to_first_token_seconds_bucket{engine_type="trtllm",le="+Inf",model_name="Qwen/Qwen3-8B"} 40.0
trtllm_time_to_first_token_seconds_count{engine_type="trtllm",model_name="Qwen/Qwen3-8B"} 40.0
trtllm_time_to_first_token_seconds_sum{engine_type="trtllm",model_name="Qwen/Qwen3-8B"} 11.0
# HELP trtllm_time_per_output_token_seconds Histogram of time per output token in seconds.
# TYPE trtllm_time_per_output_token_seconds histogram
trtllm_time_per_output_token_seconds_bucket{engine_type="trtllm",le="0.01",model_name="Qwen/Qwen3-8B"} 10.0
trtllm_time_per_output_token_seconds_bucket{engine_type="trtllm",le="0.025",model_name="Qwen/Qwen3-8B"} 40.0
trtllm_time_per_output_token_seconds_bucket{engine_type="trtllm",le="+Inf",model_name="Qwen/Qwen3-8B"} 40.0
trtllm_time_per_output_token_seconds_count{engine_type="trtllm",model_name="Qwen/Qwen3-8B"} 40.0
trtllm_time_per_output_token_seconds_sum{engine_type="trtllm",model_name="Qwen/Qwen3-8B"} 0.7
`

// dynamoFrontendScrape is the Dynamo frontend's /metrics on port 8000 (Rust prometheus crate:
// integer counts). Output tokens count up in real time; input tokens exist only as the
// input_sequence_tokens histogram.
func dynamoFrontendScrape(inputSum, outputTokens float64, ttftCum []float64) string {
	return fmt.Sprintf(`# HELP dynamo_frontend_requests_total Total number of LLM requests processed
# TYPE dynamo_frontend_requests_total counter
dynamo_frontend_requests_total{endpoint="chat_completions",model="qwen/qwen3-0.6b",request_type="stream",status="success"} 120
# HELP dynamo_frontend_inflight_requests Number of inflight requests
# TYPE dynamo_frontend_inflight_requests gauge
dynamo_frontend_inflight_requests{model="qwen/qwen3-0.6b"} 9
# HELP dynamo_frontend_queued_requests Number of requests in HTTP processing queue
# TYPE dynamo_frontend_queued_requests gauge
dynamo_frontend_queued_requests{model="qwen/qwen3-0.6b"} 1
# HELP dynamo_frontend_input_sequence_tokens Input sequence length in tokens
# TYPE dynamo_frontend_input_sequence_tokens histogram
dynamo_frontend_input_sequence_tokens_bucket{model="qwen/qwen3-0.6b",le="1000"} 100
dynamo_frontend_input_sequence_tokens_bucket{model="qwen/qwen3-0.6b",le="+Inf"} 120
dynamo_frontend_input_sequence_tokens_sum{model="qwen/qwen3-0.6b"} %g
dynamo_frontend_input_sequence_tokens_count{model="qwen/qwen3-0.6b"} 120
# HELP dynamo_frontend_output_tokens_total Total number of output tokens generated (updates in real-time)
# TYPE dynamo_frontend_output_tokens_total counter
dynamo_frontend_output_tokens_total{model="qwen/qwen3-0.6b"} %g
# HELP dynamo_frontend_time_to_first_token_seconds Time to first token in seconds
# TYPE dynamo_frontend_time_to_first_token_seconds histogram
%s# HELP dynamo_frontend_inter_token_latency_seconds Inter-token latency in seconds
# TYPE dynamo_frontend_inter_token_latency_seconds histogram
%s`, inputSum, outputTokens,
		hist("dynamo_frontend_time_to_first_token_seconds", `model="qwen/qwen3-0.6b"`, []float64{0.05, 0.1, 0.2, 0.4}, ttftCum, 12, false),
		hist("dynamo_frontend_inter_token_latency_seconds", `model="qwen/qwen3-0.6b"`, []float64{0.005, 0.01, 0.02}, []float64{100, 400, 500}, 5, false))
}

// llamaCppScrape is llama-server's /metrics with --metrics: counters and gauges, no histograms.
const llamaCppScrape = `# HELP llamacpp:prompt_tokens_total Number of prompt tokens processed.
# TYPE llamacpp:prompt_tokens_total counter
llamacpp:prompt_tokens_total 6886
# HELP llamacpp:prompt_seconds_total Prompt process time
# TYPE llamacpp:prompt_seconds_total counter
llamacpp:prompt_seconds_total 29.03
# HELP llamacpp:tokens_predicted_total Number of generation tokens processed.
# TYPE llamacpp:tokens_predicted_total counter
llamacpp:tokens_predicted_total 3469
# HELP llamacpp:tokens_predicted_seconds_total Predict process time
# TYPE llamacpp:tokens_predicted_seconds_total counter
llamacpp:tokens_predicted_seconds_total 35.44
# HELP llamacpp:n_decode_total Total number of llama_decode() calls
# TYPE llamacpp:n_decode_total counter
llamacpp:n_decode_total 3470
# HELP llamacpp:n_busy_slots_per_decode Average number of busy slots per llama_decode() call
# TYPE llamacpp:n_busy_slots_per_decode counter
llamacpp:n_busy_slots_per_decode 1
# HELP llamacpp:prompt_tokens_seconds Average prompt throughput in tokens/s.
# TYPE llamacpp:prompt_tokens_seconds gauge
llamacpp:prompt_tokens_seconds 237.2
# HELP llamacpp:predicted_tokens_seconds Average generation throughput in tokens/s.
# TYPE llamacpp:predicted_tokens_seconds gauge
llamacpp:predicted_tokens_seconds 97.9
# HELP llamacpp:kv_cache_usage_ratio KV-cache usage. 1 means 100 percent usage.
# TYPE llamacpp:kv_cache_usage_ratio gauge
llamacpp:kv_cache_usage_ratio 0.125
# HELP llamacpp:kv_cache_tokens KV-cache tokens.
# TYPE llamacpp:kv_cache_tokens gauge
llamacpp:kv_cache_tokens 512
# HELP llamacpp:requests_processing Number of requests processing.
# TYPE llamacpp:requests_processing gauge
llamacpp:requests_processing 1
# HELP llamacpp:requests_deferred Number of requests deferred.
# TYPE llamacpp:requests_deferred gauge
llamacpp:requests_deferred 2
`

// rayVLLMScrape is a Ray node's metrics export port with vLLM's Ray metrics: ':' made '_',
// "ray_" prefixed, Ray's own tags.
const rayVLLMScrape = `# HELP ray_vllm_num_requests_running Number of requests in model execution batches.
# TYPE ray_vllm_num_requests_running gauge
ray_vllm_num_requests_running{Component="core_worker",NodeAddress="10.0.0.5",ReplicaId="abc",SessionName="session_1",Version="2.52.0",WorkerId="w1",engine="0",model_name="qwen"} 6.0
# HELP ray_vllm_num_requests_waiting Number of requests waiting to be processed.
# TYPE ray_vllm_num_requests_waiting gauge
ray_vllm_num_requests_waiting{Component="core_worker",NodeAddress="10.0.0.5",ReplicaId="abc",SessionName="session_1",Version="2.52.0",WorkerId="w1",engine="0",model_name="qwen"} 1.0
# HELP ray_vllm_kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
# TYPE ray_vllm_kv_cache_usage_perc gauge
ray_vllm_kv_cache_usage_perc{Component="core_worker",NodeAddress="10.0.0.5",ReplicaId="abc",SessionName="session_1",Version="2.52.0",WorkerId="w1",engine="0",model_name="qwen"} 0.75
# HELP ray_vllm_generation_tokens_total Number of generation tokens processed.
# TYPE ray_vllm_generation_tokens_total counter
ray_vllm_generation_tokens_total{Component="core_worker",NodeAddress="10.0.0.5",ReplicaId="abc",SessionName="session_1",Version="2.52.0",WorkerId="w1",engine="0",model_name="qwen"} 900.0
`
