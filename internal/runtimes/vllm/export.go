package vllm

import (
	"maps"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// What other runtimes that run `vllm serve` in their own objects (llm-d) reuse: the same
// arguments, pod, probes and parsing, so both runtimes render vLLM one way.

// ContainerName is the name of the vllm serve container.
const ContainerName = containerName

// ServeArgs renders the arguments after `vllm serve` for a server listening on port.
func ServeArgs(cfg runtimes.DeploymentConfig, port int64) []string { return serveArgsOn(cfg, port) }

// ParseServeArgs is the inverse of ServeArgs: it fills cfg (whose VLLM block must be set).
func ParseServeArgs(cfg *runtimes.DeploymentConfig, args []string) error {
	return parseServeArgs(cfg, args)
}

// ManagedFlags returns the vllm serve flags set by dedicated attributes (a copy).
func ManagedFlags() map[string]string { return maps.Clone(managedFlags) }

// ServerPodTemplate renders the pod template of one vllm serve server for runtime runtimeID:
// GPUs, memory, HF token, /dev/shm, the port named "http" and the /health probes. Pods are
// labelled with runtimes.Labels(cfg.Name, runtimeID) and the component label.
func ServerPodTemplate(cfg runtimes.DeploymentConfig, runtimeID, component string, port int64, args []string) map[string]any {
	return podTemplateFor(cfg, runtimeID, component, port, []any{"vllm", "serve"}, stringsToAny(args), true)
}

// ParsePodTemplate reads a pod template ServerPodTemplate rendered back into cfg (GPUs,
// memory, HF token, /dev/shm and the serve arguments); name is used in errors.
func ParsePodTemplate(cfg *runtimes.DeploymentConfig, name string, tpl any) error {
	var t podTemplateSpec
	if err := runtimes.FromMap(tpl, &t); err != nil {
		return err
	}
	if cfg.VLLM == nil {
		cfg.VLLM = &runtimes.VLLMConfig{}
	}
	return parseTemplate(cfg, name, t)
}

// DeploymentStatus maps an apps/v1 Deployment as the vllm runtime does (kubectl rollout status rules).
func DeploymentStatus(obj *unstructured.Unstructured, pods []corev1.Pod, events []corev1.Event) runtimes.Status {
	return statusDeployment(obj, pods, events)
}
