# How many H100s, and in which layout, serve Qwen3-32B to 64 concurrent users with
# TTFT under a second and 40 tokens/s per user?
data "kubefoundry_sizing" "qwen" {
  model            = "Qwen/Qwen3-32B"
  gpu              = "h100_sxm"
  isl              = 2048
  osl              = 512
  concurrency      = 64
  ttft_ms          = 1000
  tpot_ms          = 25
  max_gpus         = 16
  gpu_hourly_price = 3.0 # USD per GPU-hour: your cloud's on-demand or committed rate
}

locals {
  best = data.kubefoundry_sizing.qwen.configurations[0]
}

# The best configuration feeds the deployment directly.
resource "kubefoundry_model_deployment" "qwen" {
  name          = "qwen3-32b"
  runtime       = "dynamo"
  model         = "Qwen/Qwen3-32B"
  engine        = local.best.engine
  mode          = local.best.mode
  replicas      = local.best.replicas
  gpus          = local.best.gpus
  disaggregated = local.best.disaggregated
}

output "sizing" {
  value = format("%s %s on %d GPUs: TTFT %.0f ms, TPOT %.1f ms, $%.0f/month, $%.2f per million tokens",
    local.best.engine, local.best.mode, local.best.total_gpus, local.best.ttft_ms, local.best.tpot_ms,
  local.best.monthly_cost, local.best.cost_per_million_tokens)
}
