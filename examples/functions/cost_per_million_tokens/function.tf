# Eight H100s on AWS producing 8,000 output tokens/s together: USD per million tokens.
output "h100_cost_per_million_tokens" {
  value = provider::kubefoundry::cost_per_million_tokens(
    8 * provider::kubefoundry::gpu_hourly_cost("h100", "aws"),
    8000,
  )
}
