package dynamo

import "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"

const (
	operatorNamespace = "dynamo-system"
	chartBaseURL      = "https://helm.ngc.nvidia.com/nvidia/ai-dynamo/charts/"
)

// Install returns the Dynamo install facts: only the dynamo-platform chart, fetched as a
// tarball at the pinned Version (NGC has no classic chart repository for it). The
// dynamo-crds chart is deprecated since 1.0: the operator image carries the CRDs and its
// crd-apply init container applies them (deploy/helm/charts/platform/components/operator/
// templates/deployment.yaml `upgradeCRD` @ 1.4.0; landscape notes §2).
func (shared) Install() runtimes.InstallSpec {
	return runtimes.InstallSpec{
		Namespace: operatorNamespace,
		Charts: []runtimes.Chart{
			{
				Release:         "dynamo-platform",
				Chart:           "dynamo-platform-" + Version + ".tgz",
				ChartURL:        chartBaseURL + "dynamo-platform-" + Version + ".tgz",
				Version:         Version,
				Namespace:       operatorNamespace,
				CreateNamespace: true,
			},
		},
		CRDNames: []string{
			"dynamographdeployments.nvidia.com",
			"dynamocomponentdeployments.nvidia.com",
			"dynamographdeploymentrequests.nvidia.com",
			"dynamomodels.nvidia.com",
		},
		RemoveCRDsOnUninstall: []string{
			"dynamocomponentdeployments.nvidia.com",
			"dynamographdeploymentrequests.nvidia.com",
			"dynamographdeploymentscalingadapters.nvidia.com",
			"dynamomodels.nvidia.com",
			"dynamographdeployments.nvidia.com",
			"dynamodeployments.nvidia.com",
			"dynamojobs.nvidia.com",
			"dynamocomponentsets.nvidia.com",
		},
		OperatorNamespace: operatorNamespace,
		OperatorSelectors: []string{"app.kubernetes.io/name=dynamo-operator"},
	}
}
