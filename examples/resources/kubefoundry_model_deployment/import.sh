# A deployment is imported by <namespace>/<name>; the runtime is detected.
terraform import kubefoundry_model_deployment.qwen dynamo-system/qwen3
