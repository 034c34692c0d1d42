output "model" {
  description = "The model served."
  value       = kubefoundry_model_deployment.this.model
}

output "gpus_per_worker" {
  description = "GPUs per worker."
  value       = kubefoundry_model_deployment.this.gpus
}

output "endpoint" {
  description = "In-cluster host:port of the OpenAI-compatible API."
  value       = kubefoundry_model_deployment.this.endpoint
}

output "phase" {
  description = "Phase reported by the runtime."
  value       = kubefoundry_model_deployment.this.phase
}

output "runtime_releases" {
  description = "Helm releases of the runtime installation (empty when install_runtime = false)."
  value       = try(kubefoundry_runtime_install.this[0].releases, [])
}

output "gpu_capacity" {
  description = "GPU totals of the cluster at plan time."
  value = {
    total                    = local.capacity.total_gpus
    available                = local.capacity.available_gpus
    max_contiguous_available = local.capacity.max_contiguous_available
  }
}
