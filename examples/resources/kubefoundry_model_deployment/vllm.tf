# runtime = "vllm": the upstream vLLM OpenAI server (vllm/vllm-openai, pinned) running
# `vllm serve` in a Deployment behind the Service "<name>-api" on port 8000. No operator needed.
resource "kubefoundry_model_deployment" "qwen_vllm" {
  name           = "qwen3-8b"
  namespace      = "models"
  runtime        = "vllm"
  model          = "Qwen/Qwen3-8B"
  replicas       = 2
  gpus           = 1
  memory         = "32Gi"
  context_length = 16384
  engine_args    = { "gpu-memory-utilization" = "0.9", "max-num-seqs" = "128" }
}

# One replica across two 8-GPU nodes: a LeaderWorkerSet whose leader runs a Ray head and
# vllm serve --distributed-executor-backend ray (tensor 8 x pipeline 2 = 2 nodes x 8 GPUs).
# runtime = "vllm" in kubefoundry_runtime_install installs the LeaderWorkerSet controller.
resource "kubefoundry_runtime_install" "lws" {
  runtime = "vllm"
}

resource "kubefoundry_model_deployment" "llama_405b" {
  name            = "llama-405b"
  namespace       = "models"
  runtime         = "vllm"
  model           = "meta-llama/Llama-3.1-405B-Instruct"
  gpus            = 8
  hf_token_secret = "hf-token"
  vllm = {
    nodes             = 2
    pipeline_parallel = 2
    shared_memory     = "16Gi"
  }
  model_cache = {
    size          = "1Ti"
    storage_class = "shared-rwx"
  }

  depends_on = [kubefoundry_runtime_install.lws]
}
