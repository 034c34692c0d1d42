terraform {
  required_version = ">= 1.5"
  required_providers {
    kubefoundry = {
      source = "kubefoundry/kubefoundry"
    }
  }
}
