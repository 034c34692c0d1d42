# An LLM platform in one module: install a runtime, pick a model from the catalog, check
# that it fits in the cluster's free GPUs, and deploy it.

# 1. The runtime's operator and CRDs (Helm SDK, no helm binary).
resource "kubefoundry_runtime_install" "this" {
  count = var.install_runtime ? 1 : 0

  runtime = var.runtime
  version = var.runtime_version
}

# 2. What the cluster has free.
data "kubefoundry_gpu_capacity" "this" {
  node_selector = length(var.gpu_node_selector) > 0 ? var.gpu_node_selector : null
}

# 3. Models the runtime can run, sized against the cluster's GPUs.
data "kubefoundry_model_catalog" "this" {
  runtime       = var.runtime
  gpu_memory_gb = data.kubefoundry_gpu_capacity.this.gpu_memory_gb > 0 ? data.kubefoundry_gpu_capacity.this.gpu_memory_gb : null
}

locals {
  capacity = data.kubefoundry_gpu_capacity.this

  # Curated models that fit on one node's free GPUs.
  fitting = [
    for m in data.kubefoundry_model_catalog.this.models : m
    if m.compatible && coalesce(m.gpu_fit, "fits") != "exceeds" && coalesce(m.recommended_gpus, 1) <= local.capacity.max_contiguous_available
  ]

  model = var.model != null ? var.model : try(local.fitting[0].id, null)

  # The catalog entry of the chosen model, when it is in the catalog.
  entry = try([for m in data.kubefoundry_model_catalog.this.models : m if m.id == local.model][0], null)

  wanted_gpus = var.gpus != null ? var.gpus : try(local.entry.recommended_gpus, 1)

  # KAITO: premade AIKit images (catalog ids "kaito/...", CPU unless the model needs GPUs)
  # or vLLM on GPUs. The other runtimes always run on GPUs.
  kaito_source = startswith(coalesce(local.model, "-"), "kaito/") ? "premade" : "vllm"
  kaito_gpu    = local.kaito_source == "vllm" || try(local.entry.min_gpus, 0) > 0 || var.gpus != null
  kaito        = var.runtime == "kaito" ? { model_source = local.kaito_source, compute_type = local.kaito_gpu ? "gpu" : "cpu" } : null
  gpus         = var.runtime == "kaito" && !local.kaito_gpu ? null : local.wanted_gpus
}

# 4. The deployment. The provider also checks at plan that the workers fit the free GPUs
# (gpu_fit_check); the precondition makes that an error with a message of our own.
resource "kubefoundry_model_deployment" "this" {
  name      = var.name
  namespace = var.namespace
  runtime   = var.runtime
  model     = local.model
  gpus      = local.gpus
  replicas  = var.replicas
  kaito     = local.kaito

  hf_token_wo         = var.hf_token
  hf_token_wo_version = var.hf_token == null ? null : var.hf_token_version

  wait_for_ready = var.wait_for_ready
  gpu_fit_check  = "error"

  timeouts {
    create = "45m"
  }

  lifecycle {
    precondition {
      condition     = local.model != null
      error_message = "No catalog model for ${var.runtime} fits in the free GPUs (largest free block on one node: ${local.capacity.max_contiguous_available}). Set var.model, or add GPU nodes."
    }
    precondition {
      condition     = coalesce(local.gpus, 0) <= local.capacity.max_node_gpus
      error_message = "A worker needs ${coalesce(local.gpus, 0)} GPUs but the largest GPU node has ${local.capacity.max_node_gpus}."
    }
  }

  depends_on = [kubefoundry_runtime_install.this]
}
