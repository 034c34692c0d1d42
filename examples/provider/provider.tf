terraform {
  required_providers {
    kubefoundry = {
      source = "kubefoundry/kubefoundry"
    }
  }
}

# Like kubectl: KUBECONFIG, then ~/.kube/config, and its current context.
provider "kubefoundry" {}

# A named kubeconfig context, and a namespace for deployments that set none.
provider "kubefoundry" {
  alias             = "aks"
  config_path       = "~/.kube/config"
  config_context    = "my-aks-cluster"
  default_namespace = "llm"
}

# A cluster created in the same configuration: explicit endpoint plus an exec
# credential plugin (values may be unknown at plan; the provider plans offline).
provider "kubefoundry" {
  alias                  = "eks"
  host                   = "https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com"
  cluster_ca_certificate = file("${path.module}/eks-ca.pem")
  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", "llm"]
  }

  # Gated models (e.g. meta-llama/*) need a Hugging Face token; defaults to HF_TOKEN.
  huggingface {
    token = var.hf_token
  }
}

variable "hf_token" {
  type      = string
  sensitive = true
  default   = null
}

# A busy or throttled cluster in CI: a lower shared request rate, more patience for
# transient failures, and an ownership id per pipeline so an interrupted apply is adopted.
provider "kubefoundry" {
  alias           = "ci"
  config_path     = "~/.kube/config"
  api_qps         = 20
  api_burst       = 40
  api_max_retries = 10
  ownership_id    = "pipeline-llm-prod"
}
