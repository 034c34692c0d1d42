package kuberay

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/autoscaling"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// The RayService spec, reduced to the fields we write and read back.
type rayService struct {
	Spec rayServiceSpec `json:"spec"`
}

type rayServiceSpec struct {
	ServeConfigV2    string           `json:"serveConfigV2"`
	RayClusterConfig rayClusterConfig `json:"rayClusterConfig"`
}

type rayClusterConfig struct {
	HeadGroupSpec    headGroupSpec     `json:"headGroupSpec"`
	WorkerGroupSpecs []workerGroupSpec `json:"workerGroupSpecs"`
}

type headGroupSpec struct {
	RayStartParams map[string]string `json:"rayStartParams"`
	Template       podTemplate       `json:"template"`
}

type workerGroupSpec struct {
	GroupName      string            `json:"groupName"`
	Replicas       int64             `json:"replicas"`
	MinReplicas    int64             `json:"minReplicas"`
	MaxReplicas    int64             `json:"maxReplicas"`
	RayStartParams map[string]string `json:"rayStartParams"`
	Template       podTemplate       `json:"template"`
}

type podTemplate struct {
	Spec podSpec `json:"spec"`
}

type podSpec struct {
	Containers  []container         `json:"containers"`
	Tolerations []corev1.Toleration `json:"tolerations,omitempty"`
}

type container struct {
	Name      string                 `json:"name"`
	Image     string                 `json:"image"`
	Ports     []corev1.ContainerPort `json:"ports,omitempty"`
	EnvFrom   []corev1.EnvFromSource `json:"envFrom,omitempty"`
	Resources containerResources     `json:"resources"`
}

// containerResources keeps quantities as the strings the user wrote, so Parse round-trips.
type containerResources struct {
	Limits   map[string]string `json:"limits"`
	Requests map[string]string `json:"requests"`
}

const (
	gpuResource  = "nvidia.com/gpu"
	groupGPU     = "gpu-group"
	groupPrefill = "prefill-group"
	groupDecode  = "decode-group"
)

// Manifests renders the RayService: a CPU-only head and one GPU worker group (aggregated) or
// a prefill and a decode group (disaggregated).
func (r Runtime) Manifests(cfg runtimes.DeploymentConfig) (runtimes.Manifests, error) {
	if err := r.Validate(cfg).Err(); err != nil {
		return runtimes.Manifests{}, err
	}
	serve, err := yaml.Marshal(buildServeConfig(cfg))
	if err != nil {
		return runtimes.Manifests{}, fmt.Errorf("rendering serveConfigV2: %w", err)
	}
	var groups []workerGroupSpec
	if cfg.Mode == runtimes.ModeDisaggregated {
		d := cfg.Disaggregated
		groups = []workerGroupSpec{
			workerGroup(cfg, groupPrefill, *d.PrefillReplicas, *d.PrefillGPUs, prefillResource),
			workerGroup(cfg, groupDecode, *d.DecodeReplicas, *d.DecodeGPUs, decodeResource),
		}
	} else {
		groups = []workerGroupSpec{workerGroup(cfg, groupGPU, *cfg.Replicas, *cfg.GPUs, "")}
	}
	body := rayService{Spec: rayServiceSpec{
		ServeConfigV2: string(serve),
		RayClusterConfig: rayClusterConfig{
			HeadGroupSpec:    head(cfg),
			WorkerGroupSpecs: groups,
		},
	}}
	obj, err := runtimes.NewObject(crd.APIVersion(), crd.Kind, cfg.Name, cfg.Namespace, runtimes.Labels(cfg.Name, ID), body)
	if err != nil {
		return runtimes.Manifests{}, err
	}
	if err := applyWorkload(cfg, obj); err != nil {
		return runtimes.Manifests{}, err
	}
	m := runtimes.Manifests{Primary: obj}
	if cfg.Gateway != nil {
		extra, err := addGateway(cfg, obj)
		if err != nil {
			return runtimes.Manifests{}, err
		}
		m.Companions = append(m.Companions, extra...)
	}
	if err := autoscaling.KubeRay(obj, cfg.Autoscaling); err != nil {
		return runtimes.Manifests{}, err
	}
	return runtimes.FinishManifests(cfg, m, cfg.KubeRay.Image)
}

func head(cfg runtimes.DeploymentConfig) headGroupSpec {
	k := cfg.KubeRay
	res := map[string]string{"cpu": k.HeadCPU, "memory": k.HeadMemory}
	return headGroupSpec{
		// The head schedules no model replicas: keep GPUs for the workers.
		RayStartParams: map[string]string{"num-gpus": "0"},
		Template: podTemplate{Spec: podSpec{Containers: []container{{
			Name:  "ray-head",
			Image: k.Image,
			Ports: []corev1.ContainerPort{
				{Name: "gcs-server", ContainerPort: 6379},
				{Name: "dashboard", ContainerPort: 8265},
				{Name: "client", ContainerPort: 10001},
				{Name: "serve", ContainerPort: ServePort},
			},
			EnvFrom:   hfTokenEnvFrom(cfg),
			Resources: containerResources{Limits: res, Requests: copyMap(res)},
		}}}},
	}
}

// workerGroup renders one GPU worker group. nodeResource, when set, advertises a custom Ray
// resource so the prefill or decode deployment lands on this group.
func workerGroup(cfg runtimes.DeploymentConfig, name string, replicas, gpus int64, nodeResource string) workerGroupSpec {
	k := cfg.KubeRay
	res := map[string]string{"cpu": k.WorkerCPU, "memory": k.WorkerMemory, gpuResource: fmt.Sprint(gpus)}
	params := map[string]string{}
	if nodeResource != "" {
		params["resources"] = RayResourcesParam(nodeResource)
	}
	return workerGroupSpec{
		GroupName: name,
		Replicas:  replicas,
		// A fixed pool: KubeRay's in-tree autoscaler is off, so the bounds equal replicas
		// (KubeRay >= 1.6 requires minReplicas <= replicas <= maxReplicas). Serve's own
		// autoscaling (kuberay.min/max_replicas) stays within this pool.
		MinReplicas:    replicas,
		MaxReplicas:    replicas,
		RayStartParams: params,
		Template: podTemplate{Spec: podSpec{
			Containers: []container{{
				Name:      "ray-worker",
				Image:     k.Image,
				EnvFrom:   hfTokenEnvFrom(cfg),
				Resources: containerResources{Limits: res, Requests: copyMap(res)},
			}},
			Tolerations: []corev1.Toleration{{Key: gpuResource, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}},
		}},
	}
}

// RayResourcesParam renders rayStartParams.resources the way KubeRay itself writes it:
// single-quoted JSON. KubeRay parses the value before building "ray start" (getResourcesMap
// trims the quotes and json.Unmarshals the rest, then adds --num-gpus from the nvidia.com/gpu
// limit); the older double-quoted, backslash-escaped form fails that parse, so KubeRay skipped
// the GPU injection (ray-project/kuberay ray-operator/controllers/ray/common/pod.go
// addWellKnownAcceleratorResources / getResourcesMap, v1.5.1 and v1.6.2).
func RayResourcesParam(resource string) string {
	return fmt.Sprintf(`'{"%s": 1}'`, resource)
}

func hfTokenEnvFrom(cfg runtimes.DeploymentConfig) []corev1.EnvFromSource {
	if cfg.HFTokenSecret == "" {
		return nil
	}
	return []corev1.EnvFromSource{{SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: cfg.HFTokenSecret}}}}
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
