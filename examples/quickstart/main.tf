# Quick start: check the cluster's GPU capacity, then deploy a model with NVIDIA Dynamo.
# `make demo` runs this against a local cluster with kwok-simulated GPU nodes, where the real
# Dynamo operator 1.4 reconciles the deployment and reports it Running (no engine runs).

terraform {
  required_providers {
    kubefoundry = {
      source = "kubefoundry/kubefoundry"
    }
  }
}

variable "kubeconfig" {
  description = "Path of the kubeconfig of the cluster to use."
  type        = string
}

provider "kubefoundry" {
  config_path = var.kubeconfig
}

data "kubefoundry_gpu_capacity" "cluster" {}

resource "kubefoundry_model_deployment" "qwen" {
  name      = "qwen3-chat"
  namespace = "default"
  runtime   = "dynamo"
  model     = "Qwen/Qwen3-0.6B"
  engine    = "vllm"
  gpus      = 1
  replicas  = 2

  # Fail the plan instead of deploying workers that cannot be scheduled.
  gpu_fit_check = "error"
}

output "gpus" {
  description = "GPU totals of the cluster."
  value = {
    total                    = data.kubefoundry_gpu_capacity.cluster.total_gpus
    available                = data.kubefoundry_gpu_capacity.cluster.available_gpus
    max_contiguous_available = data.kubefoundry_gpu_capacity.cluster.max_contiguous_available
    gpu_nodes                = data.kubefoundry_gpu_capacity.cluster.gpu_node_count
    gpu_memory_gb            = data.kubefoundry_gpu_capacity.cluster.gpu_memory_gb
  }
}

output "nodes" {
  description = "Per-node GPU capacity."
  value       = { for n in data.kubefoundry_gpu_capacity.cluster.nodes : n.name => "${n.available}/${n.allocatable} free, ${n.product}, pool ${n.pool}" }
}

output "deployment" {
  description = "The model deployment as the runtime reports it."
  value = {
    phase    = kubefoundry_model_deployment.qwen.phase
    ready    = "${kubefoundry_model_deployment.qwen.ready}/${kubefoundry_model_deployment.qwen.desired}"
    endpoint = kubefoundry_model_deployment.qwen.endpoint
  }
}
