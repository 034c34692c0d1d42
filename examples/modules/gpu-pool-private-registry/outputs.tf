output "endpoint" {
  description = "In-cluster host:port of the OpenAI-compatible API."
  value       = kubefoundry_model_deployment.this.endpoint
}

output "manifest" {
  description = "The DynamoGraphDeployment as applied."
  value       = kubefoundry_model_deployment.this.manifest
}

output "companions" {
  description = "The model cache claim and download Job."
  value       = kubefoundry_model_deployment.this.companion_manifests
}
