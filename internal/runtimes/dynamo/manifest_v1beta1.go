package dynamo

import (
	"fmt"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/autoscaling"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// mainContainerName is the container the 1.4 operator requires in every new component's
// podTemplate, with an image (landscape notes §2; deploy/operator/internal/webhook/
// validation/shared_v1beta1.go runtimeVersionImageAndPath @ 1.4.0).
const mainContainerName = "main"

// GPUResource is the Kubernetes resource v1beta1 components request GPUs with.
const GPUResource = "nvidia.com/gpu"

// Component types of the v1beta1 API (prefill and decode are first-class types).
const (
	typeFrontend = "frontend"
	typeWorker   = "worker"
)

// Manifests renders the v1beta1 DynamoGraphDeployment: spec.components lists a Frontend plus
// one worker (aggregated) or a prefill and a decode component (disaggregated).
func (r Runtime) Manifests(cfg runtimes.DeploymentConfig) (runtimes.Manifests, error) {
	if err := r.Validate(cfg).Err(); err != nil {
		return runtimes.Manifests{}, err
	}
	if apiVersion(cfg) != APIVersionV1Beta1 {
		return r.ForConfig(cfg).Manifests(cfg) // a v1alpha1 config given to the registry's runtime
	}
	built := []map[string]any{frontendComponent(cfg)}
	for _, p := range workerPools(cfg) {
		built = append(built, workerComponent(cfg, p))
	}
	components := make([]any, len(built))
	for i, c := range built {
		components[i] = c
	}
	// No dynamoNamespace: 1.4 derives it from namespace and name ("<ns>-<name>"), which is
	// unique across Kubernetes namespaces (D9); globalDynamoNamespace stays unset for that reason.
	body := map[string]any{"spec": map[string]any{
		"backendFramework": string(cfg.Engine),
		"components":       components,
	}}
	obj, err := runtimes.NewObject(crdV1Beta1.APIVersion(), crdV1Beta1.Kind, cfg.Name, cfg.Namespace, runtimes.Labels(cfg.Name, ID), body)
	if err != nil {
		return runtimes.Manifests{}, err
	}
	if err := applyV1beta1Workload(cfg, obj); err != nil {
		return runtimes.Manifests{}, err
	}
	m := runtimes.Manifests{Primary: obj}
	if cfg.Gateway != nil {
		route, err := addGatewayV1beta1(cfg, obj)
		if err != nil {
			return runtimes.Manifests{}, err
		}
		m.Companions = append(m.Companions, route)
	}
	scalers, err := autoscaling.Dynamo(obj, cfg.Autoscaling)
	if err != nil {
		return runtimes.Manifests{}, err
	}
	m.Companions = append(m.Companions, scalers...)
	setRuntimeVersions(obj) // after the workload settings and the epp component: pod.image may replace the pinned image
	return runtimes.FinishManifests(cfg, m, imageFor(cfg.Engine, releaseV1Beta1))
}

// frontendComponent runs the operator's default frontend (python3 -m dynamo.frontend on
// port 8000 with /live and /health probes, deploy/operator/internal/dynamo/
// component_frontend.go @ 1.4.0); we only give it the image the webhook requires.
func frontendComponent(cfg runtimes.DeploymentConfig) map[string]any {
	return map[string]any{
		"name":        frontendKey,
		"type":        typeFrontend,
		"replicas":    int64(1),
		"podTemplate": frontendPodTemplate(cfg),
	}
}

func workerComponent(cfg runtimes.DeploymentConfig, p workerPool) map[string]any {
	typ := typeWorker
	if p.role != "" {
		typ = p.role // "prefill" | "decode"
	}
	return map[string]any{
		"name":        workerKey(cfg.Engine, p.role),
		"type":        typ,
		"replicas":    p.replicas,
		"podTemplate": workerPodTemplate(cfg, p),
	}
}

// frontendPodTemplate is the one place the frontend's podTemplate is built. The router mode
// travels as DYN_ROUTER_MODE, which dynamo.frontend reads as its --router-mode default.
func frontendPodTemplate(cfg runtimes.DeploymentConfig) map[string]any {
	main := map[string]any{"name": mainContainerName, "image": imageFor(cfg.Engine, releaseV1Beta1)}
	if cfg.RouterMode != runtimes.RouterNone {
		main["env"] = []any{map[string]any{"name": routerModeEnv, "value": string(cfg.RouterMode)}}
	}
	addSecretEnv(main, cfg)
	return podTemplate(main)
}

// workerPodTemplate is the one place a worker's podTemplate (any role) is built.
func workerPodTemplate(cfg runtimes.DeploymentConfig, p workerPool) map[string]any {
	main := map[string]any{
		"name":       mainContainerName,
		"image":      imageFor(cfg.Engine, releaseV1Beta1),
		"workingDir": workingDir(cfg.Engine),
		"command":    []any{"python3"},
		"args":       toAny(workerArgs(cfg, p.role, p.gpus, releaseV1Beta1)),
	}
	addSecretEnv(main, cfg)
	limits := map[string]any{GPUResource: fmt.Sprint(p.gpus)}
	resources := map[string]any{"limits": limits}
	if cfg.Memory != "" {
		limits["memory"] = cfg.Memory
		resources["requests"] = map[string]any{"memory": cfg.Memory}
	}
	main["resources"] = resources
	return podTemplate(main)
}

// addSecretEnv exposes the HF token Secret (key HF_TOKEN) as environment variables.
func addSecretEnv(main map[string]any, cfg runtimes.DeploymentConfig) {
	if cfg.HFTokenSecret != "" {
		main["envFrom"] = []any{map[string]any{"secretRef": map[string]any{"name": cfg.HFTokenSecret}}}
	}
}

func podTemplate(main map[string]any) map[string]any {
	return map[string]any{"spec": map[string]any{"containers": []any{main}}}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
