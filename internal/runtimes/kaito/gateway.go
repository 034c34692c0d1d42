package kaito

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// gatewaySupport: KAITO 0.12 wires the Inference Extension only for an InferenceSet (feature
// gate gatewayAPIInferenceExtension, vLLM presets only, through a FluxCD HelmRelease of the
// llm-d-router-gateway chart: pkg/inferenceset/inferenceset_controller.go and
// pkg/utils/consts/consts.go InferencePoolChartURL @ v0.12.0), not for the Workspace this
// provider deploys. A route to the Service works for every model source.
var gatewaySupport = gateway.Support{NoPool: "KAITO " + Version + " integrates the Gateway API Inference Extension only for InferenceSets " +
	"(feature gate gatewayAPIInferenceExtension, with FluxCD), not for the Workspace this provider deploys: " +
	"set inference_pool = false to route to the deployment's Service, or use runtime \"dynamo\" or \"kuberay\" for an InferencePool"}

// addGateway returns the route to the Service Endpoint names (every replica, our companion).
func addGateway(cfg runtimes.DeploymentConfig) (*unstructured.Unstructured, error) {
	service, port := LlamaCppServiceName(cfg.Name), int64(ServicePort)
	if cfg.KAITO != nil && cfg.KAITO.ModelSource == runtimes.KaitoSourceVLLM {
		service, port = VLLMServiceName(cfg.Name), VLLMPort
	}
	return gateway.Route(cfg, ID, gateway.ServiceBackend(service, port))
}
