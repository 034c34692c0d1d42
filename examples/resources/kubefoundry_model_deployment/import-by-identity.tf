# Terraform 1.12+: import by resource identity.
import {
  to = kubefoundry_model_deployment.qwen
  identity = {
    namespace = "dynamo-system"
    name      = "qwen3"
  }
}
