package kuberay

import "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"

const operatorNamespace = "kuberay-system"

// Install returns the KubeRay operator chart at the pinned OperatorVersion. Its CRDs come
// with the chart; uninstall keeps them (other RayServices may still exist).
func (Runtime) Install() runtimes.InstallSpec {
	return runtimes.InstallSpec{
		Namespace: operatorNamespace,
		Charts: []runtimes.Chart{{
			Release:         "kuberay-operator",
			Chart:           "kuberay/kuberay-operator",
			RepoName:        "kuberay",
			RepoURL:         "https://ray-project.github.io/kuberay-helm/",
			Version:         OperatorVersion,
			Namespace:       operatorNamespace,
			CreateNamespace: true,
		}},
		CRDNames:          []string{crd.Name()},
		OperatorNamespace: operatorNamespace,
		OperatorSelectors: []string{"app.kubernetes.io/name=kuberay-operator", "app=kuberay-operator"},
	}
}
