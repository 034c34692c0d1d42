# ceil(7e9 × 2 × 1.2 / 1024³) = 16
output "llama_7b_gb" {
  value = provider::kubefoundry::estimate_gpu_memory(7e9)
}
