package dynamo

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Dynamo 1.4 integrates the Gateway API Inference Extension itself: a component of type
// `epp` runs Dynamo's endpoint picker, and the operator then creates the InferencePool
// "<name>-pool" over the graph's worker pods (selector nvidia.com/dynamo-component-class=worker
// + nvidia.com/dynamo-namespace, target port 8000) with the EPP Service as its picker; each
// routable worker runs a frontend sidecar in direct mode, so the worker the picker chose
// serves the request (ai-dynamo/dynamo @ e147ceea: docs/fern/pages/kubernetes/kv-aware-routing/
// gateway-api.mdx, examples/backends/vllm/deploy/gaie/{agg,disagg}.yaml, deploy/operator/
// internal/dynamo/epp/inference_pool.go, internal/controller/dgd_epp_reconciler.go).
const (
	eppKey              = "Epp"
	typeEPP             = "epp"
	frontendSidecarName = "sidecar-frontend"
)

// eppImage: Dynamo's picker ships in the frontend image of the same release (gateway-api.mdx).
func eppImage() string { return "nvcr.io/nvidia/ai-dynamo/dynamo-frontend:" + Version }

// kvBlockSizes are the engines' default KV cache block sizes in tokens (vLLM --block-size 16,
// SGLang --page-size 1, TensorRT-LLM tokens_per_block 32); the picker's DYN_KV_CACHE_BLOCK_SIZE
// must equal the workers' (gateway-api.mdx: "The EPP block size must match the backend block size").
var kvBlockSizes = map[runtimes.Engine]string{runtimes.EngineVLLM: "16", runtimes.EngineSGLang: "1", runtimes.EngineTRTLLM: "32"}

func kvBlockSize(cfg runtimes.DeploymentConfig) string {
	for _, k := range []string{"block-size", "page-size"} {
		if v, ok := cfg.EngineArgs[k]; ok && v != "" && v != "true" && v != "false" {
			return v
		}
	}
	return kvBlockSizes[cfg.Engine]
}

// gatewaySupport: the epp component is a v1beta1 (Dynamo >= 1.2) feature.
func gatewaySupport(cfg runtimes.DeploymentConfig) gateway.Support {
	if apiVersion(cfg) == APIVersionV1Alpha1 {
		return gateway.Support{NoPool: "Dynamo " + PreviousVersion + " (dynamo.api_version = \"v1alpha1\") has no endpoint picker component: " +
			"use the default v1beta1 API (Dynamo " + Version + ") or set inference_pool = false to route to the frontend Service"}
	}
	return gateway.Support{Pool: true}
}

// eppComponent is the picker as in the 1.4 examples: the Dynamo decode scorer behind a
// label filter (aggregated workers carry no prefill/decode label and pass the filter), with
// a prefill profile in disaggregated mode. The 1.4 webhook requires eppConfig and 1 replica.
func eppComponent(cfg runtimes.DeploymentConfig) map[string]any {
	filter := func(name, role string, allowsNoLabel bool) map[string]any {
		return map[string]any{"name": name, "type": "label-filter", "parameters": map[string]any{
			"label": "nvidia.com/dynamo-component-type", "validValues": []any{role}, "allowsNoLabel": allowsNoLabel}}
	}
	profile := func(name, filterRef, scorerRef string) map[string]any {
		return map[string]any{"name": name, "plugins": []any{
			map[string]any{"pluginRef": filterRef, "weight": int64(1)},
			map[string]any{"pluginRef": scorerRef, "weight": int64(1)},
			map[string]any{"pluginRef": "picker", "weight": int64(1)},
		}}
	}
	disagg := cfg.Mode == runtimes.ModeDisaggregated
	plugins := []any{map[string]any{"type": "disagg-profile-handler"}}
	var profiles []any
	if disagg {
		plugins = append(plugins, filter("prefill-filter", rolePrefill, false))
	}
	plugins = append(plugins, filter("decode-filter", roleDecode, !disagg),
		map[string]any{"name": "picker", "type": "max-score-picker"})
	if disagg {
		plugins = append(plugins, map[string]any{"name": "dyn-prefill", "type": "dyn-prefill-scorer"})
		profiles = append(profiles, profile("prefill", "prefill-filter", "dyn-prefill"))
	}
	plugins = append(plugins, map[string]any{"name": "dyn-decode", "type": "dyn-decode-scorer"})
	profiles = append(profiles, profile("decode", "decode-filter", "dyn-decode"))

	main := map[string]any{
		"name":  mainContainerName,
		"image": eppImage(),
		"env": []any{
			map[string]any{"name": "DYN_MODEL_NAME", "value": cfg.EffectiveServedModelName()},
			map[string]any{"name": "DYN_KV_CACHE_BLOCK_SIZE", "value": kvBlockSize(cfg)},
		},
	}
	addSecretEnv(main, cfg)
	return map[string]any{
		"name":     eppKey,
		"type":     typeEPP,
		"replicas": int64(1),
		"eppConfig": map[string]any{"config": map[string]any{
			"plugins": plugins, "schedulingProfiles": profiles,
		}},
		"podTemplate": podTemplate(main),
	}
}

// addGatewayV1beta1 adds the epp component and the workers' direct-mode frontend sidecars
// (after the workload settings, which are the engine's, not the picker's), and returns the
// HTTPRoute: to "<name>-pool", or to the frontend Service without the pool.
func addGatewayV1beta1(cfg runtimes.DeploymentConfig, obj *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	g := cfg.Gateway
	if !g.PoolEnabled() {
		return gateway.Route(cfg, ID, gateway.ServiceBackend(cfg.Name+"-frontend", FrontendPort))
	}
	spec, _ := obj.Object["spec"].(map[string]any)
	components, _ := spec["components"].([]any)
	for _, c := range components {
		comp, _ := c.(map[string]any)
		typ, _ := comp["type"].(string)
		if typ == typeFrontend {
			continue
		}
		if err := addFrontendSidecar(cfg, comp); err != nil {
			return nil, err
		}
	}
	epp := eppComponent(cfg)
	setRuntimeVersion(epp)
	spec["components"] = append(components, epp)
	return gateway.Route(cfg, ID, gateway.PoolBackend(cfg.Name, FrontendPort))
}

// addFrontendSidecar runs dynamo.frontend next to the worker with --router-mode direct, on the
// worker's own image (the examples use the runtime image for both).
func addFrontendSidecar(cfg runtimes.DeploymentConfig, comp map[string]any) error {
	pt, _ := comp["podTemplate"].(map[string]any)
	ps, _ := pt["spec"].(map[string]any)
	containers, _ := ps["containers"].([]any)
	image := ""
	for _, c := range containers {
		if m, _ := c.(map[string]any); m["name"] == mainContainerName {
			image, _ = m["image"].(string)
		}
	}
	if image == "" {
		return fmt.Errorf("component %v has no %s container image", comp["name"], mainContainerName)
	}
	side := map[string]any{
		"name":    frontendSidecarName,
		"image":   image,
		"command": []any{"python3"},
		"args":    []any{"-m", "dynamo.frontend", "--router-mode", "direct"},
	}
	addSecretEnv(side, cfg)
	ps["containers"] = append(containers, side)
	comp["frontendSidecar"] = frontendSidecarName
	return nil
}

var _ runtimes.Replacer = Runtime{}

// ReplaceReasons: the 1.4 webhook refuses to add or remove a component ("component topology
// is immutable", deploy/operator/internal/webhook/validation/dynamographdeployment.go
// validateDynamoGraphDeploymentSpecUpdate @ e147ceea), so turning the gateway's pool on or off
// (the epp component) replaces the graph.
func (Runtime) ReplaceReasons(prior, planned *unstructured.Unstructured) []string {
	before, after := componentSet(prior), componentSet(planned)
	var added, removed []string
	for n := range after {
		if !before[n] {
			added = append(added, n)
		}
	}
	for n := range before {
		if !after[n] {
			removed = append(removed, n)
		}
	}
	if len(added)+len(removed) == 0 {
		return nil
	}
	slices.Sort(added)
	slices.Sort(removed)
	var what []string
	if len(added) > 0 {
		what = append(what, "adds "+strings.Join(added, ", "))
	}
	if len(removed) > 0 {
		what = append(what, "removes "+strings.Join(removed, ", "))
	}
	return []string{fmt.Sprintf("the change %s, and Dynamo %s's admission webhook refuses to add or remove a component of an existing graph "+
		"(\"component topology is immutable\"); the gateway's inference_pool adds the %s component", strings.Join(what, " and "), Version, eppKey)}
}

func componentSet(obj *unstructured.Unstructured) map[string]bool {
	out := map[string]bool{}
	if obj == nil {
		return out
	}
	components, _, _ := unstructured.NestedSlice(obj.Object, "spec", "components")
	for _, c := range components {
		if m, ok := c.(map[string]any); ok {
			if n, _ := m["name"].(string); n != "" {
				out[n] = true
			}
		}
	}
	return out
}
