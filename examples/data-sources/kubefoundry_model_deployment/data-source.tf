# Read a deployment created elsewhere (for example in the KubeFoundry UI).
data "kubefoundry_model_deployment" "existing" {
  namespace = "kaito-workspace"
  name      = "llama-cpu"
}

output "ready" {
  value = data.kubefoundry_model_deployment.existing.phase == "Running"
}
