package kaito

import "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"

const (
	operatorNamespace = "kaito-workspace"
	// karpenterRef pins the Karpenter CRDs (upstream KubeFoundry applied them from "main");
	// v1.0.4 is a release KAITO itself has depended on and serves the karpenter.sh/v1 API.
	karpenterRef = "v1.0.4"
	// Since 0.12 the Workspace and InferenceSet CRDs are chart templates
	// (charts/kaito/workspace/templates/, kaito-project/kaito v0.12.0); the installer takes
	// them from the chart and keeps them out of the Helm release. The URLs are the fallback
	// when a chart source does not carry them.
	kaitoCRDBase = "https://raw.githubusercontent.com/kaito-project/kaito/v" + Version + "/charts/kaito/workspace/templates/"
	karpenterCRD = "https://raw.githubusercontent.com/kubernetes-sigs/karpenter/" + karpenterRef + "/pkg/apis/crds/"
)

// Install returns the KAITO workspace chart at the pinned Version, set up to run on the
// cluster's existing GPU nodes ("bring your own"), next to the NVIDIA GPU operator.
//
// Values, per chart version (charts/kaito/workspace/values.yaml and templates/deployment.yaml):
//   - 0.12: nodeProvisioner "byo" (--node-provisioner=byo); the controller derives the
//     disableNodeAutoProvisioning gate from it and ignores the gate's own value
//     (cmd/workspace/main.go, v0.12.0). Without it the default azure-gpu-provisioner waits for
//     NodeClaims that never come.
//   - 0.8: featureGates.disableNodeAutoProvisioning, kept so an explicit version = "0.8.0"
//     still installs a working operator (unknown keys are ignored by either chart).
//
// The chart's GFD/NFD subchart (gated on that feature gate) and its NVIDIA device plugin
// DaemonSet would duplicate what the GPU operator runs, so both are turned off. KAITO
// registers Karpenter informers even in BYO mode, so the Karpenter CRDs are applied too.
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
				"nodeProvisioner":    "byo",
				"featureGates":       map[string]any{"disableNodeAutoProvisioning": true},
				"nvidiaDevicePlugin": map[string]any{"enabled": false},
				"localCSIDriver":     map[string]any{"useLocalCSIDriver": false},
				"gpu-feature-discovery": map[string]any{
					"gfd": map[string]any{"enabled": false},
					"nfd": map[string]any{"enabled": false},
				},
			},
		}},
		CRDNames:              []string{crd.Name()},
		RemoveCRDsOnUninstall: []string{"workspaces.kaito.sh", "inferencesets.kaito.sh", "ragengines.kaito.sh"},
		OperatorNamespace:     operatorNamespace,
		OperatorSelectors:     []string{"app.kubernetes.io/name=kaito-workspace"},
	}
}
