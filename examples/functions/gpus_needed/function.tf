# A 70B model (157 GB) on 80 GB GPUs needs 2 of them.
output "gpus_for_70b" {
  value = provider::kubefoundry::gpus_needed(provider::kubefoundry::estimate_gpu_memory(70e9), 80)
}
