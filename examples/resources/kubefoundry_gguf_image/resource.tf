# Bake a GGUF model into a llama.cpp image and run it with KAITO ("build" run mode).
#
# The image is pushed through a port-forward to the in-cluster registry
# (kubectl -n kubefoundry-system port-forward svc/kubefoundry-registry 5000:5000)
# and pulled by kubelets from the registry's NodePort on localhost:30500.

resource "kubefoundry_gguf_image" "llama" {
  model      = "bartowski/Llama-3.2-1B-Instruct-GGUF"
  file       = "Llama-3.2-1B-Instruct-Q4_K_M.gguf" # tag defaults to "Q4_K_M"
  revision   = "main"
  repository = "localhost:30500/llama-3.2-1b-instruct"

  registry = {
    address  = "127.0.0.1:5000" # push here, nodes pull "localhost:30500/..."
    insecure = true
  }

  # method = "direct" needs no BuildKit daemon: the provider streams the file into a layer.
  method = "buildkit"
  builder = {
    address = "kube-pod://buildkitd-0?namespace=kubefoundry-system"
  }

  timeouts {
    create = "45m"
  }
}

resource "kubefoundry_model_deployment" "llama" {
  name      = "llama-3-2-1b"
  namespace = "kaito-workspace"
  runtime   = "kaito"

  kaito {
    model_source = "huggingface"
    run_mode     = "build"
    image_ref    = kubefoundry_gguf_image.llama.image_by_digest
    gguf_file    = kubefoundry_gguf_image.llama.file
  }
}

output "image" {
  value = kubefoundry_gguf_image.llama.image_by_digest
}
