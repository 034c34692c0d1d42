package llmd

import (
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Router chart facts (llm-d-router v0.10.0): the release tooling (hack/push-chart.sh) pushes
// config/charts/<chart> to oci://ghcr.io/llm-d/charts with chart version = the release tag and
// the endpoint picker image pinned to it.
const (
	RouterChart        = "llm-d-router-standalone"
	RouterChartRepo    = "oci://ghcr.io/llm-d/charts/"
	RouterRelease      = "llm-d-router"
	RouterChartVersion = RouterVersion
)

// RouterMatchLabels are the model-server pods the installed router fronts by default: every
// pod labelled as the llm-d guides label model servers (our decode and prefill pods carry it;
// the per-deployment endpoint pickers do not).
var RouterMatchLabels = map[string]any{LabelInferenceServing: "true"}

// CRDs the router v0.10.0 reads: the InferencePool (inference.networking.k8s.io/v1; its module
// requires gateway-api-inference-extension v1.5.0, and the v1.6.2 CRD the provider's pools are
// validated against serves the same v1) and InferenceObjective / InferenceModelRewrite in
// llm-d.ai/v1alpha2, the group its EPP prefers (pkg/epp/server/controller_config.go), from the
// release's config/crd/bases.
const (
	ObjectiveCRD    = "inferenceobjectives.llm-d.ai"
	ModelRewriteCRD = "inferencemodelrewrites.llm-d.ai"
	routerCRDBase   = "https://raw.githubusercontent.com/llm-d/llm-d-router/" + RouterVersion + "/config/crd/bases/"
)

// RouterNamespace is where runtime_install puts the router by default: the llm-d runtime's
// default namespace, because the router's picker only sees pods of its own namespace.
const RouterNamespace = "default"

// Install is what a cluster needs for llm-d. llm-d runs no operator: every deployment renders
// its own InferencePool and endpoint picker (EPP). So the CRDs come first, and the chart is
// the router in the mode that does not repeat those per-deployment pieces. Of the release's two
// charts, llm-d-router-gateway renders an InferencePool plus an EPP for one set of pods, which
// is exactly what each deployment already has; llm-d-router-standalone with
// router.inferencePool.create=false renders no pool, but an EPP in endpoint-selector mode with
// an Envoy proxy in front of it (routerlib templates/_deployment.yaml, _config.yaml): a
// gateway-less HTTP entry point (port 8081 of Service "<release>-epp") over the model servers
// its labels select. The EPP has no filter by model name, so by default it fronts every llm-d
// model server of its namespace: one model per namespace, or narrow
// router.modelServers.matchLabels (e.g. llm-d.ai/model).
func (Runtime) Install() runtimes.InstallSpec {
	return runtimes.InstallSpec{
		Namespace: RouterNamespace,
		Charts: []runtimes.Chart{{
			Release: RouterRelease, Chart: RouterChart, ChartURL: RouterChartRepo + RouterChart, Version: RouterChartVersion,
			Namespace: RouterNamespace, CreateNamespace: true,
			Values: map[string]any{"router": map[string]any{
				"inferencePool": map[string]any{"create": false},
				"modelServers":  map[string]any{"matchLabels": RouterMatchLabels},
			}},
		}},
		PreCRDs: []runtimes.CRDSource{
			{Name: gateway.PoolCRD, URL: "https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/" + gateway.InferenceExtensionVersion + "/manifests.yaml"},
			{Name: ObjectiveCRD, URL: routerCRDBase + "llm-d.ai_inferenceobjectives.yaml"},
			{Name: ModelRewriteCRD, URL: routerCRDBase + "llm-d.ai_inferencemodelrewrites.yaml"},
		},
		CRDNames:              []string{gateway.PoolCRD},
		RemoveCRDsOnUninstall: []string{gateway.PoolCRD, ObjectiveCRD, ModelRewriteCRD},
		OperatorNamespace:     RouterNamespace,
		// routerlib templates/_helpers.tpl "llm-d-router.modeLabels" on the EPP pod template.
		OperatorSelectors: []string{"llm-d.ai/igw-mode=llm-d-router-standalone"},
	}
}
