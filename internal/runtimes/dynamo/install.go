package dynamo

import "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"

const (
	operatorNamespace = "dynamo-system"
	chartBaseURL      = "https://helm.ngc.nvidia.com/nvidia/ai-dynamo/charts/"
)

// Install returns the Dynamo install facts: the CRD chart and the platform chart, both
// fetched as tarballs at the pinned Version (NGC has no classic chart repository for them).
func (Runtime) Install() runtimes.InstallSpec {
	return runtimes.InstallSpec{
		Namespace: operatorNamespace,
		Charts: []runtimes.Chart{
			{
				Release:   "dynamo-crds",
				Chart:     "dynamo-crds-" + Version + ".tgz",
				ChartURL:  chartBaseURL + "dynamo-crds-" + Version + ".tgz",
				Version:   Version,
				Namespace: "default",
			},
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
