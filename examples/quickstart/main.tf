# Quick start: read the GPU capacity of a cluster.
# `make demo` runs this against a local control plane with simulated GPU nodes.

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
