# Live engine metrics of a deployment, read through the Kubernetes API server
# (the provider's identity needs "get" on pods/proxy in the namespace).
data "kubefoundry_deployment_metrics" "qwen" {
  namespace        = kubefoundry_model_deployment.qwen.namespace
  name             = kubefoundry_model_deployment.qwen.name
  interval_seconds = 10 # token rates: two scrapes 10 s apart
}

locals {
  live = data.kubefoundry_deployment_metrics.qwen.total
}

output "load" {
  value = {
    running_requests    = local.live.running_requests
    waiting_requests    = local.live.waiting_requests
    kv_cache_usage      = local.live.kv_cache_usage
    output_tokens_per_s = local.live.generation_tokens_per_second
    ttft_p90_ms         = local.live.ttft_p90_ms
    inter_token_p90_ms  = local.live.itl_p90_ms
    pods_not_readable   = local.live.pods_failed
  }
}

# Compare with the estimate the deployment was sized from.
check "latency_target" {
  assert {
    condition     = local.live.ttft_p90_ms == null || local.live.ttft_p90_ms <= 1000
    error_message = "p90 time to first token is ${local.live.ttft_p90_ms} ms, above the 1 s target: add replicas or re-run kubefoundry_sizing."
  }
}
