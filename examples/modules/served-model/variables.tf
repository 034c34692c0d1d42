variable "name" {
  description = "Deployment name; also the HTTPRoute's, and \"<name>-pool\" is its InferencePool."
  type        = string
  default     = "qwen3"
}

variable "namespace" {
  description = "Namespace of the deployment and its route."
  type        = string
  default     = "models"
}

variable "model" {
  description = "Hugging Face model id."
  type        = string
  default     = "Qwen/Qwen3-0.6B"
}

variable "runtime" {
  description = "dynamo (epp component, operator-made pool) or kuberay (provider-rendered pool and picker)."
  type        = string
  default     = "dynamo"
}

variable "replicas" {
  description = "Worker replicas."
  type        = number
  default     = 2
}

variable "gateway_name" {
  description = "The existing Gateway the route attaches to."
  type        = string
  default     = "inference-gateway"
}

variable "gateway_namespace" {
  description = "Namespace of that Gateway (its listener must allow routes from var.namespace)."
  type        = string
  default     = "gateway-system"
}

variable "hostname" {
  description = "Host name clients use."
  type        = string
  default     = "models.example.com"
}
