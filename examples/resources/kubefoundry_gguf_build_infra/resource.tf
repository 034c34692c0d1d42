# Registry (on a PersistentVolumeClaim) and buildkitd in kubefoundry-system, for
# kubefoundry_gguf_image builds that never leave the cluster.
resource "kubefoundry_gguf_build_infra" "this" {
  registry_storage_size  = "50Gi"
  registry_storage_class = "standard"
  registry_node_port     = 30500 # kubelets pull localhost:30500/<name>
  retain_registry_data   = true  # keep built images when this is destroyed
}
