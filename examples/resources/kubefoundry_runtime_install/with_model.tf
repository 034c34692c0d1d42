# Install the runtime and deploy a model on it in one configuration. depends_on makes
# the deployment wait for the operator and its CRDs; destroying removes the model first,
# then the operator, and keeps the CRDs (remove_crds_on_destroy = false).
resource "kubefoundry_runtime_install" "dynamo" {
  runtime = "dynamo"
}

resource "kubefoundry_model_deployment" "qwen" {
  name      = "qwen3-0-6b"
  namespace = "models"
  runtime   = kubefoundry_runtime_install.dynamo.runtime
  model     = "Qwen/Qwen3-0.6B"
  engine    = "vllm"
  gpus      = 1
  replicas  = 1

  depends_on = [kubefoundry_runtime_install.dynamo]
}

output "operator" {
  value = {
    releases         = kubefoundry_runtime_install.dynamo.releases
    operator_running = kubefoundry_runtime_install.dynamo.operator_running
  }
}
