data "kubefoundry_gpu_capacity" "cluster" {}

# A GGUF repository: list its files, then estimate one from its header
# (read with HTTP range requests; the weights are not downloaded).
data "kubefoundry_model" "llama_gguf" {
  id            = "bartowski/Llama-3.2-1B-Instruct-GGUF"
  gguf_file     = "Llama-3.2-1B-Instruct-Q4_K_M.gguf"
  context_size  = 8192
  gpu_memory_gb = data.kubefoundry_gpu_capacity.cluster.gpu_memory_gb
}

# A transformers model: engines, runtimes and the FP16 memory estimate.
data "kubefoundry_model" "qwen" {
  id = "Qwen/Qwen3-0.6B"
}

output "gguf_files" {
  value = [for f in data.kubefoundry_model.llama_gguf.gguf_files : "${f.name} (${f.quantization}, ${f.size_bytes} bytes)"]
}

output "gguf_vram_gb" {
  value = data.kubefoundry_model.llama_gguf.gguf_estimate.estimated_gpu_memory_gb
}

output "qwen_gpus" {
  value = provider::kubefoundry::gpus_needed(
    data.kubefoundry_model.qwen.estimated_gpu_memory_gb,
    data.kubefoundry_gpu_capacity.cluster.gpu_memory_gb,
  )
}
