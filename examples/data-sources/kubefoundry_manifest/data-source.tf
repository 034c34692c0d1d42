# Render the manifests without a cluster, e.g. to commit them to a GitOps repository.
data "kubefoundry_manifest" "qwen" {
  name      = "qwen3"
  namespace = "inference"
  runtime   = "dynamo"
  model     = "Qwen/Qwen3-0.6B"
  gpus      = 1
}

output "manifests" {
  value = data.kubefoundry_manifest.qwen.manifests
}
