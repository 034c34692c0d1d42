# runtime = "kserve": a KServe LLMInferenceService (serving.kserve.io/v1alpha2, KServe 0.19).
# KServe's controller merges it onto its vLLM presets, downloads hf://<model> with its storage
# initializer and serves behind the Service "<name>-kserve-workload-svc" on port 8000.
resource "kubefoundry_runtime_install" "kserve" {
  runtime = "kserve"
}

resource "kubefoundry_model_deployment" "qwen_kserve" {
  name           = "qwen3-8b"
  namespace      = "models"
  runtime        = "kserve"
  model          = "Qwen/Qwen3-8B"
  replicas       = 2
  gpus           = 1
  context_length = 16384
  engine_args    = { "gpu-memory-utilization" = "0.9" }

  # A managed HTTPRoute on this Gateway, through llm-d's scheduler and an InferencePool
  # (kserve.scheduler defaults to true with an inference pool).
  gateway = {
    parent_refs = [{ name = "inference-gateway", namespace = "gateway-system" }]
  }

  depends_on = [kubefoundry_runtime_install.kserve]
}

# Prefill/decode disaggregation: spec.prefill is the prefill pool, the main workload decodes;
# KV caches move over NIXL and the scheduler picks a prefill pod per request.
resource "kubefoundry_model_deployment" "qwen_pd" {
  name      = "qwen-pd"
  namespace = "models"
  runtime   = "kserve"
  model     = "Qwen/Qwen2.5-7B-Instruct"
  mode      = "disaggregated"
  disaggregated = {
    prefill_replicas = 2
    prefill_gpus     = 1
    decode_replicas  = 1
    decode_gpus      = 2
  }
  kserve = { scheduler = true }

  depends_on = [kubefoundry_runtime_install.kserve]
}

# Data parallel across nodes: 16 ranks, 8 per pod, so KServe renders spec.worker and runs a
# LeaderWorkerSet of 2 pods per replica (install LWS with runtime = "vllm").
resource "kubefoundry_model_deployment" "deepseek_dp" {
  name            = "deepseek-dp"
  namespace       = "models"
  runtime         = "kserve"
  model           = "deepseek-ai/DeepSeek-V2-Lite-Chat"
  gpus            = 8
  hf_token_secret = "hf-token"
  kserve = {
    data_parallel       = 16
    data_local_parallel = 8
    expert_parallel     = true
  }

  depends_on = [kubefoundry_runtime_install.kserve]
}
