// Package kuberay renders and reads Ray Serve LLM deployments as KubeRay RayServices (ray.io/v1).
package kuberay

import (
	"context"
	"fmt"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/basics"
)

// ID is the runtime identifier (also the kubefoundry.io/provider label value).
const ID = "kuberay"

// Pinned versions: the KubeRay operator chart (1.7.0: ray-project/kuberay tag
// ray-operator/v1.7.0, helm-chart/kuberay-operator) and the Ray LLM image. The image is the
// one KubeRay v1.6.2's own Ray Serve LLM sample runs (ray-project/kuberay
// ray-operator/config/samples/ray-service.llm-serve.yaml @ v1.6.2).
const (
	OperatorVersion = "1.7.0"
	DefaultImage    = "rayproject/ray-llm:2.52.0-py311-cu128"
	ServePort       = 8000
)

// SupportedVersions are the KubeRay operator versions the rendered RayService is checked
// against (strict server-side dry run with each version's CRDs); the first is the default.
var SupportedVersions = []string{"1.7.0", "1.6.2", "1.5.1"}

// MaxNameLength is KubeRay's RayService name limit: the RayCluster is "<name>-<5 chars>"
// and its "<cluster>-serve-svc" must stay a 63-character DNS label
// (MaxRayServiceNameLength = MaxRayClusterNameLength - 6 = 47, ray-project/kuberay
// ray-operator/controllers/ray/utils/constant.go, v1.5.1, v1.6.2 and v1.7.0).
const MaxNameLength = 47

// Defaults from KubeFoundry's KubeRay schema.
const (
	defaultHeadCPU         = "4"
	defaultHeadMemory      = "32Gi"
	defaultWorkerCPU       = "8"
	defaultWorkerMemory    = "64Gi"
	defaultGPUMemoryUtil   = 0.9
	defaultMaxNumSeqs      = 40
	defaultMaxModelLen     = 16384
	KVConnectorNixl        = "NixlConnector"
	defaultKVConnectorName = KVConnectorNixl
	// kvRoleBoth is the role Ray Serve LLM's prefill/decode guide and vLLM's NixlConnector
	// examples give both halves: NIXL transfers are pulled by the decode side, so each
	// instance is producer and consumer (ray-project/ray doc/source/serve/llm prefill-decode
	// guide, Ray 2.52; vllm-project/vllm tests/v1/kv_connector/nixl_integration).
	kvRoleBoth = "kv_both"
	// removedKVConnector was a vLLM V0 connector. vLLM >= 0.11 (inside ray-llm 2.52) only
	// has V1 connectors and raises "Unsupported connector type" for it
	// (vllm-project/vllm vllm/distributed/kv_transfer/kv_connector/factory.py).
	removedKVConnector = "SimpleConnector"
)

var crd = runtimes.CRD{Group: "ray.io", Version: "v1", Kind: "RayService", Plural: "rayservices"}

// Runtime implements runtimes.Runtime for KubeRay.
type Runtime struct{}

// New returns the KubeRay runtime.
func New() Runtime { return Runtime{} }

var _ runtimes.Runtime = Runtime{}

func (Runtime) ID() string               { return ID }
func (Runtime) DisplayName() string      { return "Ray Serve via KubeRay" }
func (Runtime) DefaultNamespace() string { return "kuberay-system" }
func (Runtime) CRD() runtimes.CRD        { return crd }
func (Runtime) Description() string {
	return "Ray Serve LLM (vLLM engine) on a KubeRay RayService, aggregated or with prefill/decode disaggregation."
}

// Defaults fills the KubeRay defaults. Replicas and GPUs size the aggregated worker group;
// disaggregated mode sizes its groups in the Disaggregated block.
func (Runtime) Defaults(cfg *runtimes.DeploymentConfig) {
	basics.Defaults(cfg, ID)
	runtimes.SetDefault(&cfg.EnforceEager, true)
	// Rendered explicitly as enable_prefix_caching in engine_kwargs, so false is what runs.
	runtimes.SetDefault(&cfg.EnablePrefixCaching, false)
	runtimes.SetDefault(&cfg.ContextLength, defaultMaxModelLen)
	basics.DefaultPools(cfg)
	if cfg.KubeRay == nil {
		cfg.KubeRay = &runtimes.KubeRayConfig{}
	}
	k := cfg.KubeRay
	setString(&k.Image, DefaultImage)
	setString(&k.HeadCPU, defaultHeadCPU)
	setString(&k.HeadMemory, defaultHeadMemory)
	setString(&k.WorkerCPU, defaultWorkerCPU)
	setString(&k.WorkerMemory, defaultWorkerMemory)
	setString(&k.KVConnector, defaultKVConnectorName)
	runtimes.SetDefault(&k.TensorParallel, 1)
	runtimes.SetDefault(&k.PipelineParallel, 1)
	runtimes.SetDefault(&k.GPUMemoryUtilization, defaultGPUMemoryUtil)
	runtimes.SetDefault(&k.MaxNumSeqs, defaultMaxNumSeqs)
	runtimes.SetDefault(&k.EnableChunkedPrefill, true)
	runtimes.SetDefault(&k.MinReplicas, 1)
	// Serve may scale up to as many replicas as the fixed worker pool holds, never beyond
	// (operator review D12: a larger ceiling only leaves replicas pending).
	runtimes.SetDefault(&k.MaxReplicas, max(*k.MinReplicas, serveCapacity(*cfg)))
}

// serveCapacity is how many Serve replicas the smallest GPU worker pool holds (at least 1;
// Validate reports a parallelism that does not fit at all).
func serveCapacity(cfg runtimes.DeploymentConfig) int64 {
	k := cfg.KubeRay
	perReplica := max(runtimes.Deref(k.TensorParallel)*runtimes.Deref(k.PipelineParallel), 1)
	var fits int64
	for i, pool := range workerPools(cfg) {
		if n := pool.gpus / perReplica; i == 0 || n < fits {
			fits = n
		}
	}
	return max(fits, 1)
}

func setString(p *string, v string) {
	if *p == "" {
		*p = v
	}
}

// Endpoint is the Serve Service KubeRay creates: "<name>-serve-svc".
func (Runtime) Endpoint(cfg runtimes.DeploymentConfig) string {
	return fmt.Sprintf("%s-serve-svc.%s.svc.cluster.local:%d", cfg.Name, cfg.Namespace, ServePort)
}

// CheckInstallation looks for the RayService CRD and a running KubeRay operator.
func (r Runtime) CheckInstallation(ctx context.Context, c kubernetes.Interface, d dynamic.Interface) (runtimes.InstallationStatus, error) {
	return runtimes.CheckInstallation(ctx, c, d, r.DisplayName(), r.Install())
}
