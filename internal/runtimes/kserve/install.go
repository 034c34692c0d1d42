package kserve

import "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"

// Namespace is where KServe's charts install the controller and where it reads the
// inferenceservice-config ConfigMap and its LLMInferenceServiceConfig presets
// (constants.KServeNamespace).
const Namespace = "kserve"

// chartRepo is where KServe publishes its Helm charts (OCI, one chart per directory of the
// module's charts/, at the release version).
const chartRepo = "oci://ghcr.io/kserve/charts/"

// Install installs KServe's LLMInferenceService parts as its charts ship them in v0.19.0:
// the CRDs (kserve-llmisvc-crd), the controller with its webhooks and the
// inferenceservice-config ConfigMap (kserve-llmisvc-resources), and the preset
// LLMInferenceServiceConfigs the controller merges every service onto
// (kserve-runtime-configs with kserve.llmisvcConfigs.enabled). The controller's webhook
// certificate comes from cert-manager, and multi-node workloads need the LeaderWorkerSet
// controller (runtime "vllm" installs it). The legacy x-k8s.io InferencePool CRD the
// controller's scheduler also writes is applied first (see LegacyPoolCRD).
func (shared) Install() runtimes.InstallSpec {
	chart := func(name string, values map[string]any) runtimes.Chart {
		return runtimes.Chart{Release: name, Chart: name, ChartURL: chartRepo + name, Version: Version,
			Namespace: Namespace, CreateNamespace: true, Values: values}
	}
	return runtimes.InstallSpec{
		Namespace: Namespace,
		Charts: []runtimes.Chart{
			chart("kserve-llmisvc-crd", nil),
			chart("kserve-llmisvc-resources", nil),
			chart("kserve-runtime-configs", map[string]any{"kserve": map[string]any{
				"llmisvcConfigs": map[string]any{"enabled": true},
				"servingruntime": map[string]any{"enabled": false},
			}}),
		},
		PreCRDs:               []runtimes.CRDSource{{Name: LegacyPoolCRD, URL: legacyPoolCRDURL}},
		CRDNames:              []string{crdFor(APIVersionV1Alpha2).Name()},
		RemoveCRDsOnUninstall: []string{crdFor(APIVersionV1Alpha2).Name(), "llminferenceserviceconfigs.serving.kserve.io", LegacyPoolCRD},
		OperatorNamespace:     Namespace,
		OperatorSelectors:     []string{"control-plane=llmisvc-controller-manager", "app.kubernetes.io/name=llmisvc-controller-manager"},
	}
}
