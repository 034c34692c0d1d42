package kaito

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/basics"
)

// The Workspace keeps resource and inference at the top level (there is no spec).
type workspace struct {
	Resource  resourceSpec  `json:"resource"`
	Inference inferenceSpec `json:"inference"`
}

type resourceSpec struct {
	Count         int64         `json:"count"`
	LabelSelector labelSelector `json:"labelSelector"`
}

type labelSelector struct {
	MatchLabels map[string]string `json:"matchLabels"`
}

type inferenceSpec struct {
	Template podTemplate `json:"template"`
}

type podTemplate struct {
	Spec podSpec `json:"spec"`
}

type podSpec struct {
	Containers []container     `json:"containers"`
	Volumes    []corev1.Volume `json:"volumes,omitempty"`
}

type container struct {
	Name           string                 `json:"name"`
	Image          string                 `json:"image"`
	Command        []string               `json:"command,omitempty"`
	Args           []string               `json:"args,omitempty"`
	Ports          []corev1.ContainerPort `json:"ports"`
	Env            []corev1.EnvVar        `json:"env,omitempty"`
	Resources      *containerResources    `json:"resources,omitempty"`
	LivenessProbe  *corev1.Probe          `json:"livenessProbe,omitempty"`
	ReadinessProbe *corev1.Probe          `json:"readinessProbe,omitempty"`
	VolumeMounts   []corev1.VolumeMount   `json:"volumeMounts,omitempty"`
}

// containerResources keeps quantities as written so Parse round-trips them.
type containerResources struct {
	Limits   map[string]string `json:"limits,omitempty"`
	Requests map[string]string `json:"requests,omitempty"`
}

// Annotations recording the Hugging Face source of a GGUF image, which a built image's
// container arguments no longer show.
const (
	AnnotationModel    = "kubefoundry.io/model-id"
	AnnotationGGUFFile = "kubefoundry.io/gguf-file"

	gpuResource   = "nvidia.com/gpu"
	containerName = "model"
	workspaceKey  = "kaito.sh/workspace"
)

// Manifests renders the Workspace and, for vLLM, the "<name>-vllm" Service on port 8000
// (an InferenceSet when kaito.inference_set is true: see InferenceSet.Manifests).
func (r Runtime) Manifests(cfg runtimes.DeploymentConfig) (runtimes.Manifests, error) {
	if err := r.Validate(cfg).Err(); err != nil {
		return runtimes.Manifests{}, err
	}
	if inferenceSet(cfg) {
		return InferenceSet{}.Manifests(cfg)
	}
	body := workspaceBody(cfg)
	obj, err := runtimes.NewObject(crd.APIVersion(), crd.Kind, cfg.Name, cfg.Namespace, workspaceLabels(cfg), body)
	if err != nil {
		return runtimes.Manifests{}, err
	}
	inf, _ := obj.Object["inference"].(map[string]any)
	return finishManifests(cfg, obj, inf, map[string]string{workspaceKey: cfg.Name})
}

// workspaceBody is the resource and inference of one Workspace (an InferenceSet's template
// takes the inference; its replicas are Workspaces of one replica each).
func workspaceBody(cfg runtimes.DeploymentConfig) workspace {
	k := cfg.KAITO
	c := llamaCppContainer(cfg)
	var volumes []corev1.Volume
	if k.ModelSource == runtimes.KaitoSourceVLLM {
		c, volumes = vllmContainer(cfg)
	}
	return workspace{
		Resource: resourceSpec{Count: *cfg.Replicas, LabelSelector: labelSelector{MatchLabels: k.LabelSelector}},
		Inference: inferenceSpec{Template: podTemplate{Spec: podSpec{
			Containers: []container{c},
			Volumes:    volumes,
		}}},
	}
}

// finishManifests adds what a Workspace and an InferenceSet share: the Hugging Face
// annotations, the workload settings on the inference template (inference is the object's
// inference map), the serving Service selecting the pods by podSelector, and the route.
func finishManifests(cfg runtimes.DeploymentConfig, obj *unstructured.Unstructured, inference map[string]any, podSelector map[string]string) (runtimes.Manifests, error) {
	if cfg.KAITO.ModelSource == runtimes.KaitoSourceHuggingFace {
		obj.SetAnnotations(map[string]string{AnnotationModel: cfg.Model, AnnotationGGUFFile: cfg.KAITO.GGUFFile})
	}
	if err := applyWorkload(cfg, inference); err != nil {
		return runtimes.Manifests{}, err
	}
	svc, err := servingService(cfg, podSelector)
	if err != nil {
		return runtimes.Manifests{}, err
	}
	m := runtimes.Manifests{Primary: obj, Companions: []*unstructured.Unstructured{svc}}
	if cfg.Gateway != nil {
		route, err := addGateway(cfg)
		if err != nil {
			return runtimes.Manifests{}, err
		}
		m.Companions = append(m.Companions, route)
	}
	return runtimes.FinishManifests(cfg, m, VLLMImage)
}

// workspaceLabels adds the KAITO labels KubeFoundry's UI reads to the common ones.
func workspaceLabels(cfg runtimes.DeploymentConfig) map[string]string {
	k := cfg.KAITO
	labels := runtimes.Labels(cfg.Name, ID)
	labels[runtimes.LabelComputeType] = k.ComputeType
	labels[runtimes.LabelModelSource] = k.ModelSource
	if k.ModelSource == runtimes.KaitoSourceHuggingFace {
		labels[runtimes.LabelRunMode] = k.RunMode
	}
	return labels
}

// llamaCppContainer runs a premade AIKit image ("run"), an image built for the GGUF file
// (kubefoundry_gguf_image: its own command serves the model on the llama.cpp port, so no
// arguments are passed), or the generic runner that downloads the file at start.
func llamaCppContainer(cfg runtimes.DeploymentConfig) container {
	k := cfg.KAITO
	c := container{
		Name:  containerName,
		Ports: []corev1.ContainerPort{{ContainerPort: LlamaCppPort, Protocol: corev1.ProtocolTCP}},
	}
	address := fmt.Sprintf("--address=:%d", LlamaCppPort)
	switch {
	case k.ModelSource == runtimes.KaitoSourcePremade:
		m, _ := FindPremade(k.PremadeModel)
		c.Image, c.Args = m.Image, []string{"run", address}
	case k.RunMode == runtimes.KaitoRunBuild:
		c.Image = k.ImageRef
	default:
		c.Image, c.Args = RunnerImage, []string{HuggingFaceURI(cfg.Model, k.GGUFFile), address}
		c.Env = hfTokenEnv(cfg)
	}
	res := containerResources{Requests: map[string]string{}}
	if cfg.Memory != "" {
		res.Requests["memory"] = cfg.Memory
	}
	if k.CPU != "" {
		res.Requests["cpu"] = k.CPU
	}
	if k.ComputeType == runtimes.ComputeGPU && cfg.GPUs != nil {
		res.Limits = map[string]string{gpuResource: fmt.Sprint(*cfg.GPUs)}
	}
	if len(res.Requests) > 0 || len(res.Limits) > 0 {
		c.Resources = &res
	}
	return c
}

// HuggingFaceURI is the AIKit model reference of a GGUF file in a Hugging Face repository.
func HuggingFaceURI(model, file string) string { return "huggingface://" + model + "/" + file }

// vllmContainer runs vLLM's OpenAI server on the KAITO base image, sharded over the GPUs.
func vllmContainer(cfg runtimes.DeploymentConfig) (container, []corev1.Volume) {
	gpus := fmt.Sprint(*cfg.GPUs)
	res := map[string]string{gpuResource: gpus}
	if cfg.Memory != "" {
		res["memory"] = cfg.Memory
	}
	if cfg.KAITO.CPU != "" {
		res["cpu"] = cfg.KAITO.CPU
	}
	probe := func(initialDelay int32) *corev1.Probe {
		return &corev1.Probe{
			ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
				Path: "/health", Port: intstr.FromInt32(VLLMPort), Scheme: corev1.URISchemeHTTP,
			}},
			InitialDelaySeconds: initialDelay, PeriodSeconds: 10, FailureThreshold: 3,
		}
	}
	c := container{
		Name:    containerName,
		Image:   VLLMImage,
		Command: []string{"python"},
		Args:    vllmArgs(cfg),
		Ports:   []corev1.ContainerPort{{ContainerPort: VLLMPort, Protocol: corev1.ProtocolTCP}},
		Env:     hfTokenEnv(cfg),
		// Limits equal requests: GPUs cannot be overcommitted anyway.
		Resources: &containerResources{Limits: res, Requests: copyMap(res)},
		// Loading weights can take many minutes; liveness waits long, readiness polls early.
		LivenessProbe:  probe(600),
		ReadinessProbe: probe(30),
		VolumeMounts:   []corev1.VolumeMount{{Name: "dshm", MountPath: "/dev/shm"}},
	}
	// vLLM's workers exchange tensors through shared memory; the default 64Mi is too small.
	volumes := []corev1.Volume{{Name: "dshm", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumMemory}}}}
	return c, volumes
}

func vllmArgs(cfg runtimes.DeploymentConfig) []string {
	args := []string{"-m", "vllm.entrypoints.openai.api_server",
		"--model", cfg.Model,
		"--served-model-name", cfg.ServedModelName,
		"--tensor-parallel-size", fmt.Sprint(*cfg.GPUs),
	}
	// vLLM >= 0.8 (V1) turns prefix caching on when no flag is given, so false is rendered
	// too (KAITO 0.12's base image pins vllm==0.25.1, presets/workspace/dependencies/requirements.txt).
	args = append(args, basics.VLLMOptionFlags(cfg)...)
	return append(args, runtimes.EngineArgFlags(cfg.EngineArgs)...)
}

// hfTokenEnv exposes only the HF_TOKEN key of the secret, and only when one is configured.
func hfTokenEnv(cfg runtimes.DeploymentConfig) []corev1.EnvVar {
	if cfg.HFTokenSecret == "" {
		return nil
	}
	return []corev1.EnvVar{{Name: "HF_TOKEN", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
		LocalObjectReference: corev1.LocalObjectReference{Name: cfg.HFTokenSecret}, Key: "HF_TOKEN",
	}}}}
}

// servingService load-balances over every replica: it selects kaito.sh/workspace (a
// Workspace) or inferenceset.kaito.sh/created-by (an InferenceSet), which KAITO puts on every
// template pod (manifests.go GenerateManifestWithPodTemplate, v0.12.0). vLLM
// listens on 8000 ("<name>-vllm"); llama.cpp on 5000, exposed on 80 like KAITO's own Service
// ("<name>-llamacpp"). Unlike KAITO's Service it leaves not-ready pods out.
func servingService(cfg runtimes.DeploymentConfig, podSelector map[string]string) (*unstructured.Unstructured, error) {
	name, kind, port, target := LlamaCppServiceName(cfg.Name), "llamacpp", int32(ServicePort), int32(LlamaCppPort)
	if cfg.KAITO.ModelSource == runtimes.KaitoSourceVLLM {
		name, kind, port, target = VLLMServiceName(cfg.Name), "vllm", VLLMPort, VLLMPort
	}
	labels := map[string]string{
		runtimes.LabelName:        "kubefoundry",
		runtimes.LabelInstance:    cfg.Name,
		runtimes.LabelManagedBy:   runtimes.ManagedBy,
		runtimes.LabelServiceType: kind,
	}
	body := map[string]any{"spec": corev1.ServiceSpec{
		Type:     corev1.ServiceTypeClusterIP,
		Selector: podSelector,
		Ports: []corev1.ServicePort{{
			Name: "http", Protocol: corev1.ProtocolTCP, Port: port, TargetPort: intstr.FromInt32(target),
		}},
	}}
	return runtimes.NewObject("v1", "Service", name, cfg.Namespace, labels, body)
}

// LlamaCppServiceName is the companion Service of a llama.cpp workspace.
func LlamaCppServiceName(workspace string) string { return workspace + "-llamacpp" }

// VLLMServiceName is the companion Service of a vLLM workspace.
func VLLMServiceName(workspace string) string { return workspace + "-vllm" }

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
