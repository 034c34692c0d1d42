# Qwen3-32B in FP8 on two H100s with vLLM: 16 concurrent 4k-token prompts, 512 tokens out.
data "kubefoundry_performance_estimate" "qwen_agg" {
  model               = "Qwen/Qwen3-32B"
  gpu                 = "NVIDIA-H100-80GB-HBM3" # a node's nvidia.com/gpu.product label, or a system name such as h100_sxm
  backend             = "vllm"
  weight_quantization = "fp8"
  isl                 = 4096
  osl                 = 512
  aggregated = {
    batch_size      = 16
    tensor_parallel = 2
  }
  cloud = "gcp" # price the two GPUs at Google Cloud's on-demand H100 list price
}

# DeepSeek-R1 disaggregated on H200: two 8-GPU prefill workers, one decode worker with
# attention data parallel over 8 GPUs and 32 requests per rank.
data "kubefoundry_performance_estimate" "dsr1_disagg" {
  model   = "deepseek-ai/DeepSeek-R1"
  gpu     = "h200_sxm"
  backend = "trtllm"
  isl     = 8192
  osl     = 1024
  disaggregated = {
    prefill = { tensor_parallel = 8, moe_expert_parallel = 8, workers = 2 }
    decode  = { batch_size = 32, attention_data_parallel = 8, moe_expert_parallel = 8 }
  }
}

output "qwen" {
  value = data.kubefoundry_performance_estimate.qwen_agg.fits ? format("TTFT %.0f ms, %.1f tokens/s per user, %.0f tokens/s per GPU",
    data.kubefoundry_performance_estimate.qwen_agg.ttft_ms,
    data.kubefoundry_performance_estimate.qwen_agg.tokens_per_second_per_user,
  data.kubefoundry_performance_estimate.qwen_agg.tokens_per_second_per_gpu) : data.kubefoundry_performance_estimate.qwen_agg.reason
}

output "qwen_cost" {
  value = format("$%.2f/hour, $%.2f per million output tokens (%s)",
    data.kubefoundry_performance_estimate.qwen_agg.hourly_cost,
    data.kubefoundry_performance_estimate.qwen_agg.cost_per_million_tokens,
  data.kubefoundry_performance_estimate.qwen_agg.price_source)
}
