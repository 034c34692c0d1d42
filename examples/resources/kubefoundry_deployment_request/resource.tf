# Deploy by SLA: the Dynamo operator profiles Qwen3-0.6B on the cluster's GPUs, picks the
# configuration that meets the latency targets at 5 requests/s, and deploys it.
resource "kubefoundry_deployment_request" "qwen" {
  name      = "qwen"
  namespace = "llm"
  model     = "Qwen/Qwen3-0.6B"
  backend   = "vllm"

  workload = { isl = 2000, osl = 200, request_rate = 5 }
  sla      = { ttft_ms = 500, itl_ms = 20 }
  hardware = { gpu_sku = "h100_sxm", total_gpus = 8 } # the rest is discovered from the nodes

  timeouts {
    create = "2h" # profiling on real GPUs takes minutes (rapid) to hours (thorough)
  }
}

output "graph" {
  value = {
    name       = kubefoundry_deployment_request.qwen.graph_name
    gpus       = kubefoundry_deployment_request.qwen.graph.gpus
    components = kubefoundry_deployment_request.qwen.graph.components
  }
}

# Review first: profile and generate the graph, but do not deploy it. Apply ends at phase
# Ready; read graph_yaml, then set auto_apply = true to deploy that same graph in place.
resource "kubefoundry_deployment_request" "review" {
  name            = "llama-review"
  namespace       = "llm"
  model           = "meta-llama/Llama-3.1-8B-Instruct"
  backend         = "trtllm"
  search_strategy = "thorough"
  auto_apply      = false
  sla             = { ttft_ms = 300, itl_ms = 15, optimization_type = "throughput" }
}

output "generated_graph_yaml" {
  value = kubefoundry_deployment_request.review.graph_yaml
}
