# Without a BuildKit daemon: stream the model straight into a private registry.
# The password is write-only (Terraform >= 1.11): it is never stored in state or plan.

variable "registry_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "kubefoundry_gguf_image" "qwen" {
  model      = "Qwen/Qwen2.5-0.5B-Instruct-GGUF"
  file       = "qwen2.5-0.5b-instruct-q8_0.gguf" # tag "Q8_0"
  repository = "ghcr.io/acme/qwen2.5-0.5b-instruct"
  method     = "direct"

  registry = {
    username            = "acme-bot"
    password_wo         = var.registry_password
    password_wo_version = 1
  }
}
