terraform {
  # Write-only attributes (hf_token_wo) need Terraform 1.11 or OpenTofu 1.11.
  required_version = ">= 1.11"

  required_providers {
    kubefoundry = {
      source = "kubefoundry/kubefoundry"
    }
  }
}
