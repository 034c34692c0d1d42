# By runtime (from its default namespace) or by <namespace>/<runtime>. Version, values
# and the chart source come from the live Helm releases.
terraform import kubefoundry_runtime_install.kuberay kuberay
terraform import kubefoundry_runtime_install.dynamo ml-operators/dynamo
