// Package vllm renders and reads plain vLLM deployments: the upstream vLLM OpenAI server
// image running `vllm serve` in an apps/v1 Deployment with a Service, or, when one replica
// spans several nodes, in a LeaderWorkerSet (leaderworkerset.x-k8s.io/v1, sigs.k8s.io/lws)
// whose leader starts a Ray head and `vllm serve` and whose workers join that Ray cluster.
// The two object kinds are two renderers behind runtimes.Runtime (runtimes.Versioned);
// reading back (Parse, Status) follows the object's kind.
package vllm

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/basics"
)

// ID is the runtime identifier (also the kubefoundry.io/provider label value).
const ID = "vllm"

// DefaultImage is the upstream vLLM OpenAI server image. v0.19.0-cu130 is the newest vLLM
// release tag measured in ../shared/reference/sizing/silicon-dev.csv (2026-04); CUDA 13, like
// the Dynamo 1.4.0 runtime images this provider pins.
const DefaultImage = "vllm/vllm-openai:v0.19.0-cu130"

// ServePort is where `vllm serve` listens (its default, --port 8000) and the Service port.
const ServePort = 8000

// LWSVersion is the LeaderWorkerSet release multi-node deployments are checked against
// (sigs.k8s.io/lws v0.9.0: CRD, controller and chart from that module).
const LWSVersion = "0.9.0"

// rayPort is the Ray head's GCS port (ray start --head default).
const rayPort = 6379

var (
	crdDeployment = runtimes.CRD{Group: "apps", Version: "v1", Kind: "Deployment", Plural: "deployments"}
	crdLWS        = runtimes.CRD{Group: "leaderworkerset.x-k8s.io", Version: "v1", Kind: "LeaderWorkerSet", Plural: "leaderworkersets"}
)

// Name limits. The API Service is "<name>-api" (a 63-character DNS-1035 label): 59. A
// LeaderWorkerSet's worker StatefulSets are "<name>-<group index>" and the StatefulSet
// controller labels their pods controller-revision-hash = "<statefulset>-<hash of up to 10
// characters>", a label value of at most 63: with group indexes 0..9 (replicas <= 10) that
// leaves 50 (kubernetes/kubernetes#64023; sigs.k8s.io/lws v0.9.0
// pkg/controllers/pod_controller.go names the worker StatefulSet after the leader pod).
const (
	MaxNameLength          = 59
	MaxMultiNodeNameLength = 50
)

// shared holds what both renderers have in common.
type shared struct{}

// Runtime renders an apps/v1 Deployment (one node per replica); it is the registry's "vllm".
type Runtime struct{ shared }

// MultiNode renders a LeaderWorkerSet (vllm.nodes > 1).
type MultiNode struct{ shared }

// New returns the vLLM runtime (a Deployment unless the config spans nodes; see ForConfig).
func New() Runtime { return Runtime{} }

var (
	_ runtimes.Runtime   = Runtime{}
	_ runtimes.Runtime   = MultiNode{}
	_ runtimes.Versioned = Runtime{}
	_ runtimes.Replacer  = Runtime{}
	_ runtimes.PodOwner  = Runtime{}
)

func (Runtime) CRD() runtimes.CRD   { return crdDeployment }
func (MultiNode) CRD() runtimes.CRD { return crdLWS }

func (shared) ID() string               { return ID }
func (shared) DisplayName() string      { return "vLLM" }
func (shared) DefaultNamespace() string { return "default" }
func (shared) Description() string {
	return "The upstream vLLM OpenAI-compatible server (vllm serve) in a Deployment, or across several nodes with Ray in a LeaderWorkerSet; aggregated only."
}

// ForConfig picks the Deployment renderer, or the LeaderWorkerSet one for several nodes.
func (shared) ForConfig(cfg runtimes.DeploymentConfig) runtimes.Runtime {
	if multiNode(cfg) {
		return MultiNode{}
	}
	return Runtime{}
}

// Versions lists both renderers, the Deployment first.
func (shared) Versions() []runtimes.Runtime { return []runtimes.Runtime{Runtime{}, MultiNode{}} }

func multiNode(cfg runtimes.DeploymentConfig) bool {
	return cfg.VLLM != nil && runtimes.Deref(cfg.VLLM.Nodes) > 1
}

// Defaults fills the vLLM defaults: one replica of one GPU on one node, tensor parallel
// over every GPU of the replica, vLLM's own defaults otherwise.
func (shared) Defaults(cfg *runtimes.DeploymentConfig) {
	basics.Defaults(cfg, ID)
	// vLLM caches prefixes unless told not to; rendered explicitly either way.
	runtimes.SetDefault(&cfg.EnablePrefixCaching, true)
	runtimes.SetDefault(&cfg.Replicas, 1)
	runtimes.SetDefault(&cfg.GPUs, 1)
	runtimes.SetDefault(&cfg.EnforceEager, false)
	v := DefaultBlock(cfg)
	if v.TensorParallel == nil {
		total := *cfg.GPUs * *v.Nodes
		tp := total
		if pp := *v.PipelineParallel; pp > 0 && total%pp == 0 {
			tp = total / pp
		}
		v.TensorParallel = &tp
	}
}

// DefaultBlock fills the vllm block's own defaults (one node, one pipeline stage, /dev/shm
// of DefaultSharedMemory) and returns it. Tensor parallelism follows the GPUs, so it is
// left to the runtime (vllm, llmd) that knows how they are laid out.
func DefaultBlock(cfg *runtimes.DeploymentConfig) *runtimes.VLLMConfig {
	if cfg.VLLM == nil {
		cfg.VLLM = &runtimes.VLLMConfig{}
	}
	v := cfg.VLLM
	runtimes.SetDefault(&v.Nodes, 1)
	runtimes.SetDefault(&v.PipelineParallel, 1)
	if v.SharedMemory == "" {
		v.SharedMemory = DefaultSharedMemory
	}
	return v
}

// DefaultSharedMemory sizes /dev/shm as vLLM's Kubernetes guide does (docs/deployment/k8s.md,
// vllm-project/vllm: emptyDir medium Memory, sizeLimit 2Gi); NCCL needs more than the
// container runtime's 64 MiB default once tensor parallelism spans GPUs.
const DefaultSharedMemory = "2Gi"

// Endpoint is the API Service, "<name>-api" on port 8000.
func (shared) Endpoint(cfg runtimes.DeploymentConfig) string {
	return fmt.Sprintf("%s.%s.svc.cluster.local:%d", serviceName(cfg.Name), cfg.Namespace, ServePort)
}

func serviceName(name string) string { return name + "-api" }

// Parse reads a Deployment or LeaderWorkerSet back into a config, by the object's kind.
func (shared) Parse(obj *unstructured.Unstructured) (runtimes.DeploymentConfig, error) {
	if obj == nil {
		return runtimes.DeploymentConfig{}, fmt.Errorf("no object")
	}
	if obj.GetKind() == crdLWS.Kind {
		if err := runtimes.CheckKind(obj, crdLWS); err != nil {
			return runtimes.DeploymentConfig{}, err
		}
		return parseLWS(obj)
	}
	if err := runtimes.CheckKind(obj, crdDeployment); err != nil {
		return runtimes.DeploymentConfig{}, err
	}
	return parseDeployment(obj)
}

// Status maps the live object by its kind.
func (shared) Status(obj *unstructured.Unstructured, pods []corev1.Pod, events []corev1.Event) runtimes.Status {
	if obj.GetKind() == crdLWS.Kind {
		return statusLWS(obj, pods, events)
	}
	return statusDeployment(obj, pods, events)
}

// OwnsPod matches the pods this deployment's templates label (instance and provider), so
// another runtime's pods with the same instance label are never read.
func (shared) OwnsPod(obj *unstructured.Unstructured, pod corev1.Pod) bool {
	return pod.Labels[runtimes.LabelInstance] == obj.GetName() && pod.Labels[runtimes.LabelProvider] == ID
}

// ReplaceReasons: a change between one node and several changes the object's kind.
func (shared) ReplaceReasons(prior, planned *unstructured.Unstructured) []string {
	if prior.GetKind() != "" && planned.GetKind() != "" && prior.GetKind() != planned.GetKind() {
		return []string{fmt.Sprintf("vllm.nodes moves the deployment from a %s to a %s (one node per replica is a Deployment, several a LeaderWorkerSet)",
			prior.GetKind(), planned.GetKind())}
	}
	return nil
}

// CheckInstallation: a single-node deployment needs nothing but Kubernetes; the
// LeaderWorkerSet controller is needed for several nodes and is what this reports.
func (r shared) CheckInstallation(ctx context.Context, c kubernetes.Interface, d dynamic.Interface) (runtimes.InstallationStatus, error) {
	return runtimes.CheckInstallation(ctx, c, d, "LeaderWorkerSet (vLLM multi-node)", r.Install())
}

var _ runtimes.Claimer = Runtime{}

// Claims: only a Deployment or LeaderWorkerSet carrying this runtime's provider label.
func (shared) Claims(obj *unstructured.Unstructured) bool {
	return obj.GetLabels()[runtimes.LabelProvider] == ID
}
