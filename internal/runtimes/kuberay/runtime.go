// Package kuberay renders and reads Ray Serve LLM deployments as KubeRay RayServices (ray.io/v1).
package kuberay

import (
	"context"
	"fmt"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// ID is the runtime identifier (also the kubefoundry.io/provider label value).
const ID = "kuberay"

// Pinned versions: the KubeRay operator chart and the Ray LLM image.
const (
	OperatorVersion = "1.5.1"
	DefaultImage    = "rayproject/ray-llm:2.52.0-py311-cu128"
	ServePort       = 8000
)

// Defaults from KubeFoundry's KubeRay schema.
const (
	defaultHeadCPU         = "4"
	defaultHeadMemory      = "32Gi"
	defaultWorkerCPU       = "8"
	defaultWorkerMemory    = "64Gi"
	defaultGPUMemoryUtil   = 0.9
	defaultMaxNumSeqs      = 40
	defaultMaxModelLen     = 16384
	defaultMaxReplicas     = 2
	KVConnectorNixl        = "NixlConnector"
	KVConnectorSimple      = "SimpleConnector"
	defaultKVConnectorName = KVConnectorNixl
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
	if cfg.Runtime == "" {
		cfg.Runtime = ID
	}
	if cfg.Engine == "" {
		cfg.Engine = runtimes.EngineVLLM
	}
	if cfg.Mode == "" {
		cfg.Mode = runtimes.ModeAggregated
	}
	if cfg.RouterMode == "" {
		cfg.RouterMode = runtimes.RouterNone
	}
	if cfg.ServedModelName == "" {
		cfg.ServedModelName = cfg.Model
	}
	runtimes.SetDefault(&cfg.EnforceEager, true)
	runtimes.SetDefault(&cfg.ContextLength, defaultMaxModelLen)
	var largest int64
	if cfg.Mode == runtimes.ModeDisaggregated {
		if cfg.Disaggregated == nil {
			cfg.Disaggregated = &runtimes.DisaggregatedConfig{}
		}
		d := cfg.Disaggregated
		runtimes.SetDefault(&d.PrefillReplicas, 1)
		runtimes.SetDefault(&d.DecodeReplicas, 1)
		runtimes.SetDefault(&d.PrefillGPUs, 1)
		runtimes.SetDefault(&d.DecodeGPUs, 1)
		largest = max(*d.PrefillReplicas, *d.DecodeReplicas)
	} else {
		runtimes.SetDefault(&cfg.Replicas, 1)
		runtimes.SetDefault(&cfg.GPUs, 1)
		largest = *cfg.Replicas
	}
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
	// The default ceiling never sits below the requested replicas, so a plain
	// "replicas = 4" is valid without also raising max_replicas.
	runtimes.SetDefault(&k.MaxReplicas, max(defaultMaxReplicas, largest))
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
