output "url" {
  description = "Where clients reach the model through the Gateway (known once the Gateway reports it)."
  value       = kubefoundry_model_deployment.this.url
}

output "served_model_name" {
  description = "The `model` field clients send."
  value       = kubefoundry_model_deployment.this.served_model_name
}

output "status" {
  description = "Phase plus what the Gateway controller says about the route and the pool."
  value       = "${kubefoundry_model_deployment.this.phase}: ${kubefoundry_model_deployment.this.status_message}"
}
