package dynamo

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// The v1alpha1 DynamoGraphDeployment spec (Dynamo 0.x), reduced to the fields we write
// (and read back in parseV1Alpha1).
type alphaGraphDeployment struct {
	Spec alphaGraphSpec `json:"spec"`
}

type alphaGraphSpec struct {
	BackendFramework string                  `json:"backendFramework"`
	Services         map[string]alphaService `json:"services"`
}

type alphaService struct {
	ComponentType    string `json:"componentType"`
	SubComponentType string `json:"subComponentType,omitempty"`
	DynamoNamespace  string `json:"dynamoNamespace"`
	Replicas         int64  `json:"replicas"`
	// EnvFromSecret makes the operator add envFrom for the whole Secret (HF_TOKEN).
	EnvFromSecret string          `json:"envFromSecret,omitempty"`
	Envs          []corev1.EnvVar `json:"envs,omitempty"`
	Resources     *alphaResources `json:"resources,omitempty"`
	ExtraPodSpec  extraPodSpec    `json:"extraPodSpec"`
}

// alphaResources uses Dynamo's own keys (gpu, memory as strings), not Kubernetes resource names.
type alphaResources struct {
	Limits   alphaResourceItems `json:"limits"`
	Requests alphaResourceItems `json:"requests"`
}

type alphaResourceItems struct {
	GPU    string `json:"gpu,omitempty"`
	Memory string `json:"memory,omitempty"`
}

type extraPodSpec struct {
	MainContainer mainContainer `json:"mainContainer"`
}

type mainContainer struct {
	Image      string   `json:"image"`
	WorkingDir string   `json:"workingDir,omitempty"`
	Command    []string `json:"command,omitempty"`
	Args       []string `json:"args,omitempty"`
}

// Manifests renders the v1alpha1 DynamoGraphDeployment: a Frontend plus one worker pool
// (aggregated) or a prefill and a decode pool (disaggregated).
func (r V1Alpha1) Manifests(cfg runtimes.DeploymentConfig) (runtimes.Manifests, error) {
	if err := r.Validate(cfg).Err(); err != nil {
		return runtimes.Manifests{}, err
	}
	if apiVersion(cfg) != APIVersionV1Alpha1 {
		return r.ForConfig(cfg).Manifests(cfg)
	}
	services := map[string]alphaService{frontendKey: alphaFrontend(cfg)}
	for _, p := range workerPools(cfg) {
		services[workerKey(cfg.Engine, p.role)] = alphaWorker(cfg, p)
	}
	body := alphaGraphDeployment{Spec: alphaGraphSpec{BackendFramework: string(cfg.Engine), Services: services}}
	obj, err := runtimes.NewObject(crdV1Alpha1.APIVersion(), crdV1Alpha1.Kind, cfg.Name, cfg.Namespace, runtimes.Labels(cfg.Name, ID), body)
	if err != nil {
		return runtimes.Manifests{}, err
	}
	if err := applyWorkload(cfg, obj, services); err != nil {
		return runtimes.Manifests{}, err
	}
	m := runtimes.Manifests{Primary: obj}
	if cfg.Gateway != nil { // without a pool only (gatewaySupport): to the frontend Service
		route, err := gateway.Route(cfg, ID, gateway.ServiceBackend(cfg.Name+"-frontend", FrontendPort))
		if err != nil {
			return runtimes.Manifests{}, err
		}
		m.Companions = append(m.Companions, route)
	}
	return runtimes.FinishManifests(cfg, m, imageFor(cfg.Engine, releaseV1Alpha1))
}

// alphaDynamoNamespace is the Dynamo discovery namespace. 0.x scopes discovery by this value
// platform-wide, so it must be unique across Kubernetes namespaces (D9): we derive it the way
// Dynamo >= 1.x does, "<k8s namespace>-<name>" (deploy/operator/api/v1alpha1/
// dynamocomponentdeployment_types.go ComputeDynamoNamespace @ 1.4.0).
func alphaDynamoNamespace(cfg runtimes.DeploymentConfig) string {
	return cfg.Namespace + "-" + cfg.Name
}

// alphaFrontend has no command: the operator runs its default frontend entrypoint. The
// router mode goes through DYN_ROUTER_MODE because the services schema has no router field.
func alphaFrontend(cfg runtimes.DeploymentConfig) alphaService {
	s := alphaService{
		ComponentType:   "frontend",
		DynamoNamespace: alphaDynamoNamespace(cfg),
		Replicas:        1,
		EnvFromSecret:   cfg.HFTokenSecret,
		ExtraPodSpec: extraPodSpec{MainContainer: mainContainer{
			Image:      imageFor(cfg.Engine, releaseV1Alpha1),
			WorkingDir: workingDir(cfg.Engine),
		}},
	}
	if cfg.RouterMode != runtimes.RouterNone {
		s.Envs = []corev1.EnvVar{{Name: routerModeEnv, Value: string(cfg.RouterMode)}}
	}
	return s
}

func alphaWorker(cfg runtimes.DeploymentConfig, p workerPool) alphaService {
	items := alphaResourceItems{GPU: fmt.Sprint(p.gpus), Memory: cfg.Memory}
	return alphaService{
		ComponentType:    "worker",
		SubComponentType: p.role,
		DynamoNamespace:  alphaDynamoNamespace(cfg),
		Replicas:         p.replicas,
		EnvFromSecret:    cfg.HFTokenSecret,
		Resources:        &alphaResources{Limits: items, Requests: items},
		ExtraPodSpec:     alphaExtraPodSpec(cfg, p),
	}
}

// alphaExtraPodSpec is the one place the v1alpha1 worker container is built (image,
// command, args); pod-level settings hook in here.
func alphaExtraPodSpec(cfg runtimes.DeploymentConfig, p workerPool) extraPodSpec {
	return extraPodSpec{MainContainer: mainContainer{
		Image:      imageFor(cfg.Engine, releaseV1Alpha1),
		WorkingDir: workingDir(cfg.Engine),
		Command:    []string{"python3"},
		Args:       workerArgs(cfg, p.role, p.gpus, releaseV1Alpha1),
	}}
}
