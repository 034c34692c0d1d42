package vllm

import "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"

const lwsNamespace = "lws-system"

// Install returns the LeaderWorkerSet controller, the one operator vLLM needs, and only for
// multi-node deployments (a single-node one is a plain Deployment). The chart is the one
// sigs.k8s.io/lws v0.9.0 ships (charts/lws; published as oci://registry.k8s.io/lws/charts/lws
// at the release version), its CRDs (crds/) applied first. The module's chart defaults the
// manager image tag to "main": pinned here to the release.
func (shared) Install() runtimes.InstallSpec {
	return runtimes.InstallSpec{
		Namespace: lwsNamespace,
		Charts: []runtimes.Chart{{
			Release:         "lws",
			Chart:           "lws",
			ChartURL:        "oci://registry.k8s.io/lws/charts/lws",
			Version:         LWSVersion,
			Namespace:       lwsNamespace,
			CreateNamespace: true,
			Values: map[string]any{
				"image": map[string]any{"manager": map[string]any{"tag": "v" + LWSVersion}},
			},
		}},
		CRDNames:              []string{crdLWS.Name()},
		RemoveCRDsOnUninstall: []string{crdLWS.Name(), "disaggregatedsets.disaggregatedset.x-k8s.io"},
		OperatorNamespace:     lwsNamespace,
		OperatorSelectors:     []string{"control-plane=controller-manager,app.kubernetes.io/name=lws"},
	}
}
