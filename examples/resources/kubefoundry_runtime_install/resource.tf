# KubeRay's operator at the version pinned in this provider release, CRDs applied first.
resource "kubefoundry_runtime_install" "kuberay" {
  runtime = "kuberay"
}

# KAITO with extra Helm values, merged over the runtime's defaults
# (node auto-provisioning stays disabled).
resource "kubefoundry_runtime_install" "kaito" {
  runtime = "kaito"
  values  = <<-YAML
    featureGates:
      vLLM: true
  YAML

  timeouts {
    create = "15m"
  }
}

# An air-gapped cluster: the charts come from a mirror registry; the password is
# write-only and never stored in state (Terraform >= 1.11).
variable "mirror_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "kubefoundry_runtime_install" "gpu_operator" {
  runtime = "gpu-operator"
  chart = {
    repository  = "oci://registry.internal.example/helm-mirror"
    username    = "robot"
    password_wo = var.mirror_password
  }
}

# llm-d: its CRDs first (InferencePool, llm-d.ai InferenceObjective and InferenceModelRewrite),
# then the llm-d router as a gateway-less entry point over the llm-d model servers of one namespace.
resource "kubefoundry_runtime_install" "llmd" {
  runtime   = "llmd"
  namespace = "models"
  values    = <<-YAML
    router:
      modelServers:
        matchLabels:
          llm-d.ai/model: Qwen3-8B
  YAML
}
