# How many H100s, and in which layout, serve Qwen3-32B to 64 concurrent users with
# TTFT under a second and 40 tokens/s per user, and what does it cost on AWS?
data "kubefoundry_sizing" "qwen" {
  model       = "Qwen/Qwen3-32B"
  gpu         = "h100_sxm"
  isl         = 2048
  osl         = 512
  concurrency = 64
  ttft_ms     = 1000
  tpot_ms     = 25
  max_gpus    = 16
  cloud       = "aws" # on-demand list price from the provider's table; or set gpu_hourly_price = 3.0
}

locals {
  best = data.kubefoundry_sizing.qwen.configurations[0]
}

# The best configuration feeds the deployment directly; the instance type lets the
# deployment price itself (estimated_hourly_cost) at plan.
resource "kubefoundry_model_deployment" "qwen" {
  name    = "qwen3-32b"
  runtime = "dynamo"
  model   = "Qwen/Qwen3-32B"
  engine  = local.best.engine
  mode    = local.best.mode
  # replicas and gpus size aggregated workers; disaggregated ones are sized per role.
  replicas      = local.best.mode == "aggregated" ? local.best.replicas : null
  gpus          = local.best.mode == "aggregated" ? local.best.gpus : null
  disaggregated = local.best.disaggregated
  roles = {
    worker = { node_selector = { "node.kubernetes.io/instance-type" = "p5.48xlarge" } }
  }
}

output "sizing" {
  value = format("%s %s on %d GPUs: TTFT %.0f ms, TPOT %.1f ms, $%.0f/month, $%.2f per million tokens (%s)",
    local.best.engine, local.best.mode, local.best.total_gpus, local.best.ttft_ms, local.best.tpot_ms,
  local.best.monthly_cost, local.best.cost_per_million_tokens, data.kubefoundry_sizing.qwen.price_source)
}

output "deployment_hourly_cost" {
  value = kubefoundry_model_deployment.qwen.estimated_hourly_cost
}
