package dynamo

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// The DynamoGraphDeployment spec, reduced to the fields we write (and read back in Parse).
type graphDeployment struct {
	Spec graphSpec `json:"spec"`
}

type graphSpec struct {
	BackendFramework string             `json:"backendFramework"`
	Services         map[string]service `json:"services"`
}

type service struct {
	ComponentType    string `json:"componentType"`
	SubComponentType string `json:"subComponentType,omitempty"`
	DynamoNamespace  string `json:"dynamoNamespace"`
	Replicas         int64  `json:"replicas"`
	// EnvFromSecret makes the operator add envFrom for the whole Secret (HF_TOKEN).
	EnvFromSecret string          `json:"envFromSecret,omitempty"`
	Envs          []corev1.EnvVar `json:"envs,omitempty"`
	Resources     *resources      `json:"resources,omitempty"`
	ExtraPodSpec  extraPodSpec    `json:"extraPodSpec"`
}

// resources uses Dynamo's own keys (gpu, memory as strings), not Kubernetes resource names.
type resources struct {
	Limits   resourceItems `json:"limits"`
	Requests resourceItems `json:"requests"`
}

type resourceItems struct {
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

const (
	frontendKey   = "Frontend"
	routerModeEnv = "DYN_ROUTER_MODE"
	rolePrefill   = "prefill"
	roleDecode    = "decode"
)

// Runtime images, all at the pinned Version.
var images = map[runtimes.Engine]string{
	runtimes.EngineVLLM:   "nvcr.io/nvidia/ai-dynamo/vllm-runtime",
	runtimes.EngineSGLang: "nvcr.io/nvidia/ai-dynamo/sglang-runtime",
	runtimes.EngineTRTLLM: "nvcr.io/nvidia/ai-dynamo/tensorrtllm-runtime",
}

// Worker service key prefixes KubeFoundry's UI recognises (VllmWorker, SglangPrefillWorker, ...).
var keyPrefixes = map[runtimes.Engine]string{
	runtimes.EngineVLLM:   "Vllm",
	runtimes.EngineSGLang: "Sglang",
	runtimes.EngineTRTLLM: "Trtllm",
}

// Image returns the pinned runtime image for an engine.
func Image(e runtimes.Engine) string { return images[e] + ":" + Version }

func workerKey(e runtimes.Engine, role string) string {
	switch role {
	case rolePrefill:
		return keyPrefixes[e] + "PrefillWorker"
	case roleDecode:
		return keyPrefixes[e] + "DecodeWorker"
	}
	return keyPrefixes[e] + "Worker"
}

// Manifests renders the DynamoGraphDeployment: a Frontend plus one worker pool (aggregated)
// or a prefill and a decode pool (disaggregated).
func (r Runtime) Manifests(cfg runtimes.DeploymentConfig) (runtimes.Manifests, error) {
	if err := r.Validate(cfg).Err(); err != nil {
		return runtimes.Manifests{}, err
	}
	services := map[string]service{frontendKey: frontend(cfg)}
	if cfg.Mode == runtimes.ModeDisaggregated {
		d := cfg.Disaggregated
		services[workerKey(cfg.Engine, rolePrefill)] = worker(cfg, rolePrefill, *d.PrefillReplicas, *d.PrefillGPUs)
		services[workerKey(cfg.Engine, roleDecode)] = worker(cfg, roleDecode, *d.DecodeReplicas, *d.DecodeGPUs)
	} else {
		services[workerKey(cfg.Engine, "")] = worker(cfg, "", *cfg.Replicas, *cfg.GPUs)
	}
	body := graphDeployment{Spec: graphSpec{BackendFramework: string(cfg.Engine), Services: services}}
	obj, err := runtimes.NewObject(crd.APIVersion(), crd.Kind, cfg.Name, cfg.Namespace, runtimes.Labels(cfg.Name, ID), body)
	if err != nil {
		return runtimes.Manifests{}, err
	}
	if err := applyWorkload(cfg, obj, services); err != nil {
		return runtimes.Manifests{}, err
	}
	return runtimes.FinishManifests(cfg, runtimes.Manifests{Primary: obj}, Image(cfg.Engine))
}

// frontend has no command: the operator runs its default frontend entrypoint. The router mode
// goes through DYN_ROUTER_MODE because the services schema has no router field.
func frontend(cfg runtimes.DeploymentConfig) service {
	s := service{
		ComponentType:   "frontend",
		DynamoNamespace: cfg.Name,
		Replicas:        1,
		EnvFromSecret:   cfg.HFTokenSecret,
		ExtraPodSpec: extraPodSpec{MainContainer: mainContainer{
			Image:      Image(cfg.Engine),
			WorkingDir: workingDir(cfg.Engine),
		}},
	}
	if cfg.RouterMode != runtimes.RouterNone {
		s.Envs = []corev1.EnvVar{{Name: routerModeEnv, Value: string(cfg.RouterMode)}}
	}
	return s
}

func worker(cfg runtimes.DeploymentConfig, role string, replicas, gpus int64) service {
	items := resourceItems{GPU: fmt.Sprint(gpus), Memory: cfg.Memory}
	return service{
		ComponentType:    "worker",
		SubComponentType: role,
		DynamoNamespace:  cfg.Name,
		Replicas:         replicas,
		EnvFromSecret:    cfg.HFTokenSecret,
		Resources:        &resources{Limits: items, Requests: items},
		ExtraPodSpec: extraPodSpec{MainContainer: mainContainer{
			Image:      Image(cfg.Engine),
			WorkingDir: workingDir(cfg.Engine),
			Command:    []string{"python3"},
			Args:       workerArgs(cfg, role, gpus),
		}},
	}
}

func workingDir(e runtimes.Engine) string { return "/workspace/examples/backends/" + string(e) }
