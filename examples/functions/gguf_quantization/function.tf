# "Q4_K_M"; an unrecognised name gives "" (coalesce to KubeFoundry's "custom" tag).
output "tag" {
  value = coalesce(provider::kubefoundry::gguf_quantization("Llama-3.2-1B-Instruct-Q4_K_M.gguf"), "custom")
}
