# runtime = "llmd": llm-d's optimized baseline. vLLM model servers (a Deployment labelled as the
# llm-d guides label them), an InferencePool over them and the llm-d router's endpoint picker
# (v0.10.0) scoring by queue depth, KV-cache use and prefix-cache hits. The gateway block routes
# an existing Gateway API Gateway to the pool; the cluster needs the Inference Extension CRDs.
resource "kubefoundry_model_deployment" "qwen_llmd" {
  name      = "qwen3-8b"
  namespace = "models"
  runtime   = "llmd"
  model     = "Qwen/Qwen3-8B"
  replicas  = 4
  gpus      = 1
  memory    = "32Gi"

  gateway = {
    parent_refs = [{ name = "inference-gateway", namespace = "gateway-system" }]
  }
}

# Prefill/decode disaggregation with NIXL: prefill and decode Deployments whose vLLM servers
# exchange KV caches through the NixlConnector, the llm-d routing sidecar in front of each
# decode server, and an endpoint picker with the P/D profile handler. Each role runs tensor
# parallel over its own GPUs.
resource "kubefoundry_model_deployment" "gpt_oss_pd" {
  name            = "gpt-oss-pd"
  namespace       = "models"
  runtime         = "llmd"
  model           = "openai/gpt-oss-120b"
  mode            = "disaggregated"
  hf_token_secret = "hf-token"
  disaggregated = {
    prefill_replicas = 4
    prefill_gpus     = 1
    decode_replicas  = 1
    decode_gpus      = 4
  }
  engine_args = { "block-size" = "128" }

  gateway = {
    parent_refs        = [{ name = "inference-gateway", namespace = "gateway-system" }]
    match_model_header = true
  }
}
