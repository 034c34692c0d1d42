# NVIDIA Dynamo, aggregated vLLM workers behind a KV-aware router.
resource "kubefoundry_model_deployment" "qwen" {
  name        = "qwen3"
  namespace   = "dynamo-system"
  runtime     = "dynamo"
  model       = "Qwen/Qwen3-0.6B"
  engine      = "vllm"
  replicas    = 2
  gpus        = 1
  router_mode = "kv"

  engine_args = {
    "gpu-memory-utilization" = "0.85"
  }

  timeouts {
    create = "45m"
  }
}

# NVIDIA Dynamo, disaggregated prefill and decode workers with SGLang, for a gated model:
# the token is write-only and never stored in state.
variable "hf_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "kubefoundry_model_deployment" "llama" {
  name                = "llama-pd"
  runtime             = "dynamo"
  model               = "meta-llama/Llama-3.2-3B-Instruct"
  engine              = "sglang"
  mode                = "disaggregated"
  hf_token_wo         = var.hf_token
  hf_token_wo_version = 1

  disaggregated = {
    prefill_replicas = 1
    prefill_gpus     = 2
    decode_replicas  = 2
    decode_gpus      = 1
  }
}

# NVIDIA Dynamo 0.x cluster: render the v1alpha1 API it serves (the default is v1beta1, Dynamo >= 1.2).
resource "kubefoundry_model_deployment" "legacy" {
  name    = "qwen-legacy"
  runtime = "dynamo"
  model   = "Qwen/Qwen3-0.6B"

  dynamo = {
    api_version = "v1alpha1"
  }
}

# KubeRay: Ray Serve LLM with vLLM.
resource "kubefoundry_model_deployment" "ray" {
  name     = "mistral"
  runtime  = "kuberay"
  model    = "mistralai/Mistral-7B-Instruct-v0.3"
  gpus     = 1
  replicas = 4 # a fixed pool of 4 single-GPU Ray workers

  kuberay = {
    max_num_seqs = 64
    min_replicas = 1 # Ray Serve scales between 1 and 4 model replicas inside that pool
    max_replicas = 4
  }
}

# KAITO: a premade llama.cpp model on CPU nodes.
resource "kubefoundry_model_deployment" "cpu" {
  name    = "llama-cpu"
  runtime = "kaito"
  model   = "kaito/llama3.2-1b"
}

# KAITO: a GGUF file from Hugging Face, downloaded by the runner at start.
resource "kubefoundry_model_deployment" "gguf" {
  name    = "qwen-gguf"
  runtime = "kaito"
  model   = "Qwen/Qwen2.5-1.5B-Instruct-GGUF"

  kaito = {
    model_source = "huggingface"
    gguf_file    = "qwen2.5-1.5b-instruct-q4_k_m.gguf"
  }
}
