package vllm

import (
	"strconv"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Pod labels: the API Service selects the pods that serve (component "server": every pod of
// a Deployment, the leader of each LeaderWorkerSet group); Ray workers are "ray-worker".
const (
	containerName       = "vllm"
	componentServer     = "server"
	componentRayWorker  = "ray-worker"
	gpuResource         = runtimes.DefaultGPUResource
	shmVolume           = "dshm"
	progressDeadlineSec = 1800
)

// workloadSupport: every vLLM pod is a worker (the LeaderWorkerSet leader serves and holds
// GPUs like its workers, and a Ray cluster needs one image on all of them).
var workloadSupport = runtimes.WorkloadSupport{Roles: []string{runtimes.RoleWorker}}

// Manifests renders the Deployment and its API Service (a config that spans nodes renders
// the LeaderWorkerSet, whichever renderer it is given to).
func (r Runtime) Manifests(cfg runtimes.DeploymentConfig) (runtimes.Manifests, error) {
	if multiNode(cfg) {
		return MultiNode{}.Manifests(cfg)
	}
	if err := r.Validate(cfg).Err(); err != nil {
		return runtimes.Manifests{}, err
	}
	tpl := podTemplate(cfg, componentServer, []any{"vllm", "serve"}, stringsToAny(serveArgs(cfg)), true)
	if err := runtimes.ApplyPodTemplate(tpl, cfg, runtimes.RoleWorker, containerName); err != nil {
		return runtimes.Manifests{}, err
	}
	return finish(cfg, crdDeployment, DeploymentSpec(*cfg.Replicas, toAny(podSelector(cfg.Name, componentServer)), tpl))
}

// DeploymentSpec is the spec of a Deployment of GPU model servers.
func DeploymentSpec(replicas int64, selector, tpl map[string]any) map[string]any {
	return map[string]any{
		"replicas": replicas,
		"selector": map[string]any{"matchLabels": selector},
		// No surge: a new pod would wait for GPUs the old one holds; replace one at a time.
		"strategy": map[string]any{"type": "RollingUpdate", "rollingUpdate": map[string]any{"maxSurge": int64(0), "maxUnavailable": int64(1)}},
		// As long as the startup probe allows for download and load: a rollout that has not
		// progressed by then has failed.
		"progressDeadlineSeconds": int64(progressDeadlineSec),
		"template":                tpl,
	}
}

// finish wraps spec into the primary object, adds the API Service and the workload's
// companions, labels and overrides.
func finish(cfg runtimes.DeploymentConfig, crd runtimes.CRD, spec map[string]any) (runtimes.Manifests, error) {
	obj, err := runtimes.NewObject(crd.APIVersion(), crd.Kind, cfg.Name, cfg.Namespace, runtimes.Labels(cfg.Name, ID), map[string]any{"spec": spec})
	if err != nil {
		return runtimes.Manifests{}, err
	}
	svc, err := runtimes.NewObject("v1", "Service", serviceName(cfg.Name), cfg.Namespace, runtimes.Labels(cfg.Name, ID), map[string]any{"spec": map[string]any{
		"selector": toAny(podSelector(cfg.Name, componentServer)),
		"ports":    []any{map[string]any{"name": "http", "port": int64(ServePort), "targetPort": "http", "protocol": "TCP"}},
	}})
	if err != nil {
		return runtimes.Manifests{}, err
	}
	return runtimes.FinishManifests(cfg, runtimes.Manifests{Primary: obj, Companions: []*unstructured.Unstructured{svc}}, DefaultImage)
}

func podSelector(name, component string) map[string]string {
	return map[string]string{runtimes.LabelInstance: name, runtimes.LabelProvider: ID, runtimes.LabelComponent: component}
}

// podTemplate renders one vLLM pod: the engine container with GPUs (and memory, when set),
// the HF token, /dev/shm in memory, and, for a pod that serves, the port and the probes.
func podTemplate(cfg runtimes.DeploymentConfig, component string, command, args []any, serves bool) map[string]any {
	return podTemplateFor(cfg, ID, component, ServePort, command, args, serves)
}

// podTemplateFor is podTemplate for the pods of runtime runtimeID listening on port.
func podTemplateFor(cfg runtimes.DeploymentConfig, runtimeID, component string, port int64, command, args []any, serves bool) map[string]any {
	res := map[string]any{gpuResource: strconv.FormatInt(*cfg.GPUs, 10)}
	if cfg.Memory != "" {
		res["memory"] = cfg.Memory
	}
	c := map[string]any{
		"name":         containerName,
		"image":        DefaultImage,
		"command":      command,
		"resources":    map[string]any{"limits": res, "requests": copyMap(res)},
		"volumeMounts": []any{map[string]any{"name": shmVolume, "mountPath": "/dev/shm"}},
	}
	if len(args) > 0 {
		c["args"] = args
	}
	if cfg.HFTokenSecret != "" {
		c["env"] = []any{map[string]any{"name": runtimes.EnvHFToken, "valueFrom": map[string]any{
			"secretKeyRef": map[string]any{"name": cfg.HFTokenSecret, "key": runtimes.EnvHFToken}}}}
	}
	if serves {
		c["ports"] = []any{map[string]any{"name": "http", "containerPort": port, "protocol": "TCP"}}
		addProbes(c)
	}
	labels := toAny(runtimes.Labels(cfg.Name, runtimeID))
	labels[runtimes.LabelComponent] = component
	return map[string]any{
		"metadata": map[string]any{"labels": labels},
		"spec": map[string]any{
			"containers": []any{c},
			"volumes": []any{map[string]any{"name": shmVolume, "emptyDir": map[string]any{
				"medium": "Memory", "sizeLimit": cfg.VLLM.SharedMemory}}},
			// GPU node pools are commonly tainted for their GPUs.
			"tolerations": []any{map[string]any{"key": gpuResource, "operator": "Exists", "effect": "NoSchedule"}},
		},
	}
}

// addProbes probes GET /health on the server port, which vLLM's API server answers 200 once
// the engine is up and 503 after an engine failure (vllm/entrypoints/openai/api_server.py).
// The server only listens after the model is downloaded and loaded: the startup probe gives
// that 30 minutes before liveness applies.
func addProbes(c map[string]any) {
	probe := func(period, failures int64) map[string]any {
		return map[string]any{
			"httpGet":          map[string]any{"path": "/health", "port": "http"},
			"periodSeconds":    period,
			"failureThreshold": failures,
		}
	}
	c["startupProbe"] = probe(10, progressDeadlineSec/10)
	c["readinessProbe"] = probe(5, 3)
	c["livenessProbe"] = probe(10, 3)
}

func toAny(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func stringsToAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
