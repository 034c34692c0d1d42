# Per-GPU memory of the cluster, to size models against.
data "kubefoundry_gpu_capacity" "cluster" {}

# Curated models that vLLM can serve, sized for the cluster's GPUs.
data "kubefoundry_model_catalog" "vllm" {
  engine        = "vllm"
  gpu_memory_gb = data.kubefoundry_gpu_capacity.cluster.gpu_memory_gb
}

# Hub search, incompatible results included with their reason.
data "kubefoundry_model_catalog" "qwen" {
  include_curated      = false
  include_incompatible = true
  search {
    query = "qwen"
    limit = 30
  }
}

locals {
  # Curated models that fit on one GPU and in the free GPUs.
  fitting = [
    for m in data.kubefoundry_model_catalog.vllm.models : m
    if m.gpu_fit == "fits" && m.recommended_gpus <= data.kubefoundry_gpu_capacity.cluster.max_contiguous_available
  ]
  chosen = local.fitting[0]
}

output "chosen_model" {
  value = {
    id       = local.chosen.id
    gpus     = local.chosen.recommended_gpus
    runtimes = local.chosen.runtimes
  }
}

output "why_not" {
  value = { for m in data.kubefoundry_model_catalog.qwen.models : m.id => m.incompatible_reason if !m.compatible }
}
