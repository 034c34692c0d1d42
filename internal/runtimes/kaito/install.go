package kaito

import "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"

const (
	operatorNamespace = "kaito-workspace"
	// karpenterRef pins the Karpenter CRDs (upstream KubeFoundry applied them from "main");
	// v1.0.4 is a release KAITO itself has depended on and serves the karpenter.sh/v1 API.
	karpenterRef = "v1.0.4"
	kaitoCRDBase = "https://raw.githubusercontent.com/kaito-project/kaito/v" + Version + "/charts/kaito/workspace/crds/"
	karpenterCRD = "https://raw.githubusercontent.com/kubernetes-sigs/karpenter/" + karpenterRef + "/pkg/apis/crds/"
)

// Install returns the KAITO workspace chart at the pinned Version. The chart's bundled CRDs
// are skipped (they clash with the GPU operator's NFD) and applied from pinned URLs first;
// KAITO registers Karpenter informers even with node auto-provisioning disabled, so the
// Karpenter CRDs are needed too.
func (Runtime) Install() runtimes.InstallSpec {
	return runtimes.InstallSpec{
		Namespace: operatorNamespace,
		PreCRDs: []runtimes.CRDSource{
			{Name: "nodeclaims.karpenter.sh", URL: karpenterCRD + "karpenter.sh_nodeclaims.yaml"},
			{Name: "nodepools.karpenter.sh", URL: karpenterCRD + "karpenter.sh_nodepools.yaml"},
			{Name: "workspaces.kaito.sh", URL: kaitoCRDBase + "kaito.sh_workspaces.yaml"},
			{Name: "inferencesets.kaito.sh", URL: kaitoCRDBase + "kaito.sh_inferencesets.yaml"},
		},
		Charts: []runtimes.Chart{{
			Release:         "kaito-workspace",
			Chart:           "kaito/workspace",
			RepoName:        "kaito",
			RepoURL:         "https://kaito-project.github.io/kaito/charts/kaito",
			Version:         Version,
			Namespace:       operatorNamespace,
			CreateNamespace: true,
			SkipCRDs:        true,
			Values: map[string]any{
				"featureGates":   map[string]any{"disableNodeAutoProvisioning": true},
				"localCSIDriver": map[string]any{"useLocalCSIDriver": false},
				// The GFD subchart is gated on featureGates.disableNodeAutoProvisioning, so
				// "gpu-feature-discovery.enabled" has no effect; disable its GFD daemon directly
				// (the GPU operator already runs one).
				"gpu-feature-discovery": map[string]any{"gfd": map[string]any{"enabled": false}},
			},
		}},
		CRDNames:              []string{crd.Name()},
		RemoveCRDsOnUninstall: []string{"workspaces.kaito.sh", "ragengines.kaito.sh"},
		OperatorNamespace:     operatorNamespace,
		OperatorSelectors:     []string{"app.kubernetes.io/name=kaito-workspace"},
	}
}
