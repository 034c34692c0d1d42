package kaito

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// gatewaySupport: KAITO 0.12 wires the Inference Extension only for an InferenceSet whose
// template is a vLLM *preset* (inference.preset), with the gatewayAPIInferenceExtension
// feature gate and FluxCD installed: it then creates a Flux OCIRepository and HelmRelease of
// the llm-d router's InferencePool chart (pkg/inferenceset/inferenceset_controller.go
// ensureGatewayAPIInferenceExtension, pkg/utils/consts/consts.go InferencePoolChartURL @
// v0.12.0). This provider renders template workspaces and InferenceSets (inference.template:
// its own images, flags and GGUF models), for which KAITO creates no pool. A route to the
// Service works for every model source and kind.
var gatewaySupport = gateway.Support{NoPool: "KAITO " + Version + " creates an InferencePool only for InferenceSets of a vLLM preset " +
	"(inference.preset, feature gate gatewayAPIInferenceExtension, through a FluxCD HelmRelease); this provider deploys template " +
	"Workspaces and InferenceSets, for which KAITO creates none: set inference_pool = false to route to the deployment's Service " +
	"(every replica), or use runtime \"dynamo\", \"kuberay\" or \"llmd\" for an InferencePool"}

// addGateway returns the route to the Service Endpoint names (every replica, our companion).
func addGateway(cfg runtimes.DeploymentConfig) (*unstructured.Unstructured, error) {
	service, port := LlamaCppServiceName(cfg.Name), int64(ServicePort)
	if cfg.KAITO != nil && cfg.KAITO.ModelSource == runtimes.KaitoSourceVLLM {
		service, port = VLLMServiceName(cfg.Name), VLLMPort
	}
	return gateway.Route(cfg, ID, gateway.ServiceBackend(service, port))
}
