# GPU capacity of the whole cluster.
data "kubefoundry_gpu_capacity" "all" {}

# Only the nodes of one node pool.
data "kubefoundry_gpu_capacity" "a100" {
  node_selector = {
    agentpool = "gpua100"
  }
}

output "gpus_free" {
  value = "${data.kubefoundry_gpu_capacity.all.available_gpus} of ${data.kubefoundry_gpu_capacity.all.total_gpus} GPUs free; largest worker that fits now: ${data.kubefoundry_gpu_capacity.all.max_contiguous_available} GPUs"
}

output "per_node" {
  value = {
    for n in data.kubefoundry_gpu_capacity.a100.nodes :
    n.name => "${n.available}/${n.allocatable} free (${n.product}, ${n.gpu_memory_gb} GB per GPU)"
  }
}
