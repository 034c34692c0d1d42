variable "name" {
  description = "Name of the model deployment (a DNS label)."
  type        = string
  default     = "llm"
}

variable "namespace" {
  description = "Namespace of the deployment (must exist). Null: the provider's default_namespace, else the runtime's namespace."
  type        = string
  default     = null
}

variable "runtime" {
  description = "Runtime serving the model: dynamo, kuberay or kaito (premade AIKit models on CPU, or vLLM on GPUs)."
  type        = string
  default     = "kuberay"

  validation {
    condition     = contains(["dynamo", "kuberay", "kaito"], var.runtime)
    error_message = "runtime must be one of dynamo, kuberay, kaito."
  }
}

variable "install_runtime" {
  description = "Install the runtime's operator with kubefoundry_runtime_install. Set false when it is already installed (e.g. by a platform team)."
  type        = bool
  default     = true
}

variable "runtime_version" {
  description = "Chart version of the runtime's operator. Null: the version pinned in the provider release."
  type        = string
  default     = null
}

variable "model" {
  description = "Hugging Face model id to serve. Null: the first curated model of the catalog that the runtime can run and that fits in the free GPUs."
  type        = string
  default     = null
}

variable "gpus" {
  description = "GPUs per worker. Null: the catalog's recommendation for the model's size and the cluster's GPU memory."
  type        = number
  default     = null
}

variable "replicas" {
  description = "Worker replicas."
  type        = number
  default     = 1
}

variable "gpu_node_selector" {
  description = "Labels of the GPU nodes to count, e.g. { agentpool = \"gpu\" }. Empty: every GPU node."
  type        = map(string)
  default     = {}
}

variable "hf_token" {
  description = "Hugging Face token for gated models. Written to a Secret by the provider, never stored in state."
  type        = string
  sensitive   = true
  default     = null
}

variable "hf_token_version" {
  description = "Bump to rotate hf_token."
  type        = number
  default     = 1
}

variable "wait_for_ready" {
  description = "Wait until the runtime reports the model Running."
  type        = bool
  default     = true
}
