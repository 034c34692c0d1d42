# A model behind an existing Gateway: the route on that Gateway, and an InferencePool whose
# endpoint picker chooses the worker for each request.
resource "kubefoundry_model_deployment" "this" {
  name      = var.name
  namespace = var.namespace
  runtime   = var.runtime
  model     = var.model
  replicas  = var.replicas

  gateway = {
    parent_refs = [{ name = var.gateway_name, namespace = var.gateway_namespace }]
    hostnames   = [var.hostname]
    # Several models on one host: the Inference Extension's body-based router sets this header.
    match_model_header = true
  }
}
