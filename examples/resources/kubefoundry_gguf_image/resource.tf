# Bake a GGUF model into a llama.cpp image with the in-cluster registry and buildkitd,
# then run it with KAITO ("build" run mode).

resource "kubefoundry_gguf_build_infra" "this" {
  registry_storage_size = "50Gi"
}

resource "kubefoundry_gguf_image" "llama" {
  model      = "bartowski/Llama-3.2-1B-Instruct-GGUF"
  file       = "Llama-3.2-1B-Instruct-Q4_K_M.gguf" # tag defaults to "Q4_K_M"
  revision   = "main"
  repository = "${kubefoundry_gguf_build_infra.this.registry_pull_address}/llama-3.2-1b-instruct"

  # buildkitd pushes to the registry's Service; nodes pull through its NodePort.
  registry = {
    address  = kubefoundry_gguf_build_infra.this.registry_push_address
    insecure = true
  }
  builder = {
    address = kubefoundry_gguf_build_infra.this.builder_address
  }

  timeouts {
    create = "45m"
  }
}

resource "kubefoundry_model_deployment" "llama" {
  name      = "llama-3-2-1b"
  namespace = "kaito-workspace"
  runtime   = "kaito"
  model     = kubefoundry_gguf_image.llama.model

  kaito = {
    model_source = "huggingface"
    run_mode     = "build"
    image_ref    = kubefoundry_gguf_image.llama.image_by_digest
    gguf_file    = kubefoundry_gguf_image.llama.file
  }
}

output "image" {
  value = kubefoundry_gguf_image.llama.image_by_digest
}
