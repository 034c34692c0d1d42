variable "name" {
  description = "Deployment name (a DNS label)."
  type        = string
  default     = "qwen3"
}

variable "namespace" {
  description = "Namespace to deploy into; it must exist and hold the pull secret."
  type        = string
  default     = "models"
}

variable "model" {
  description = "Hugging Face model id, served through the Hub mirror."
  type        = string
  default     = "Qwen/Qwen3-0.6B"
}

variable "registry" {
  description = "Private registry holding copies of the Dynamo runtime images."
  type        = string
  default     = "registry.internal.example"
}

variable "pull_secret" {
  description = "Secret of type kubernetes.io/dockerconfigjson for the private registry."
  type        = string
  default     = "regcred"
}

variable "gpu_pool_labels" {
  description = "Node labels of the GPU pool."
  type        = map(string)
  default     = { "pool" = "gpu" }
}

variable "gpu_taint" {
  description = "The taint the GPU pool carries (effect NoSchedule)."
  type        = object({ key = string, value = optional(string) })
  default     = { key = "nvidia.com/gpu" }
}

variable "cache_size" {
  description = "Size of the model cache claim the provider creates."
  type        = string
  default     = "100Gi"
}

variable "cache_storage_class" {
  description = "A ReadWriteMany storage class for the model cache (null: the cluster default)."
  type        = string
  default     = null
}

variable "hub_mirror" {
  description = "Hugging Face mirror the engines download from (HF_ENDPOINT). Null: the provider's huggingface.endpoint."
  type        = string
  default     = "https://hf-mirror.internal.example"
}
