# A model on a tainted GPU pool, from a private registry, with a model cache claim and a
# Hugging Face mirror: what an air-gapped or production cluster needs on day one.

resource "kubefoundry_model_deployment" "this" {
  name      = var.name
  namespace = var.namespace
  runtime   = "dynamo"
  model     = var.model

  # Every pod: the private registry and its pull secret.
  pod = {
    image              = "${var.registry}/nvidia/ai-dynamo/vllm-runtime:1.4.0"
    image_pull_secrets = [var.pull_secret]
  }

  roles = {
    # Workers run on the GPU pool and tolerate its taint.
    worker = {
      node_selector = var.gpu_pool_labels
      tolerations = [{
        key      = var.gpu_taint.key
        operator = var.gpu_taint.value == null ? "Exists" : "Equal"
        value    = var.gpu_taint.value
        effect   = "NoSchedule"
      }]
    }
    # The frontend needs no GPU: keep it off the GPU pool.
    frontend = {
      resources = { cpu = "2" }
    }
  }

  # Weights are downloaded once into a shared claim and survive restarts, new replicas and
  # re-creates (the claim is kept on destroy unless delete_claim_on_destroy = true).
  model_cache = {
    size          = var.cache_size
    storage_class = var.cache_storage_class
    download      = true
  }

  huggingface_endpoint = var.hub_mirror

  labels = { "app.kubernetes.io/part-of" = "llm-platform" }
}
