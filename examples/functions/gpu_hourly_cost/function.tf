# On-demand list price of one H100-hour on AWS (p5.48xlarge / 8), from the provider's dated table.
output "h100_on_aws" {
  value = provider::kubefoundry::gpu_hourly_cost("NVIDIA-H100-80GB-HBM3", "aws")
}

# A month (730 h) of four L4s on Google Cloud.
output "four_l4_month_on_gcp" {
  value = 4 * provider::kubefoundry::gpu_hourly_cost("nvidia-l4", "gcp") * 730
}
