# By <namespace>/<name> of the DynamoGraphDeploymentRequest; the spec, the discovered
# hardware and the generated graph come from the live object.
terraform import kubefoundry_deployment_request.qwen llm/qwen
