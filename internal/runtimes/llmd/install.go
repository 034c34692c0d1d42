package llmd

import (
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Install: llm-d runs no cluster-wide operator here (each deployment renders its own endpoint
// picker); what a cluster needs is the Gateway API Inference Extension CRDs, at the release the
// provider's InferencePools are checked against. No chart: the llm-d router charts deploy one
// picker per pool (router.modelServers.matchLabels is required), so installing one cluster-wide
// would put every llm-d model of its namespace into one pool; kubefoundry_runtime_install does
// not offer "llmd" (internal/helminstall lists runtimes that install charts).
func (Runtime) Install() runtimes.InstallSpec {
	return runtimes.InstallSpec{
		PreCRDs: []runtimes.CRDSource{{
			Name: gateway.PoolCRD,
			URL:  "https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/" + gateway.InferenceExtensionVersion + "/manifests.yaml",
		}},
		CRDNames: []string{gateway.PoolCRD},
	}
}
