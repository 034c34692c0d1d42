// Package dynamo renders and reads NVIDIA Dynamo DynamoGraphDeployments (nvidia.com/v1alpha1).
package dynamo

import (
	"context"
	"fmt"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// ID is the runtime identifier (also the kubefoundry.io/provider label value).
const ID = "dynamo"

// Version is the one Dynamo release everything is pinned to: Helm charts and runtime images.
const Version = "0.7.1"

// FrontendPort is where the Dynamo frontend serves the OpenAI-compatible API.
const FrontendPort = 8000

var crd = runtimes.CRD{Group: "nvidia.com", Version: "v1alpha1", Kind: "DynamoGraphDeployment", Plural: "dynamographdeployments"}

// Runtime implements runtimes.Runtime for NVIDIA Dynamo.
type Runtime struct{}

// New returns the Dynamo runtime.
func New() Runtime { return Runtime{} }

var _ runtimes.Runtime = Runtime{}

func (Runtime) ID() string               { return ID }
func (Runtime) DisplayName() string      { return "NVIDIA Dynamo" }
func (Runtime) DefaultNamespace() string { return "dynamo-system" }
func (Runtime) CRD() runtimes.CRD        { return crd }
func (Runtime) Description() string {
	return "NVIDIA Dynamo serves models with vLLM, SGLang or TensorRT-LLM workers behind a Dynamo frontend, aggregated or with disaggregated prefill and decode workers."
}

// Defaults fills the Dynamo defaults. Replicas and GPUs describe the single worker pool of
// aggregated mode; disaggregated mode sizes its pools in the Disaggregated block instead.
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
	// KubeFoundry's UI serves the model under its own id; make that explicit so Parse round-trips.
	if cfg.ServedModelName == "" {
		cfg.ServedModelName = cfg.Model
	}
	// vLLM defaults to eager mode (KubeFoundry's choice: faster start); other engines have no such flag.
	runtimes.SetDefault(&cfg.EnforceEager, cfg.Engine == runtimes.EngineVLLM)
	if cfg.Mode == runtimes.ModeDisaggregated {
		// Disaggregation needs a router between the pools; round-robin is Dynamo's default.
		if cfg.RouterMode == "" {
			cfg.RouterMode = runtimes.RouterRoundRobin
		}
		if cfg.Disaggregated == nil {
			cfg.Disaggregated = &runtimes.DisaggregatedConfig{}
		}
		d := cfg.Disaggregated
		runtimes.SetDefault(&d.PrefillReplicas, 1)
		runtimes.SetDefault(&d.DecodeReplicas, 1)
		runtimes.SetDefault(&d.PrefillGPUs, 1)
		runtimes.SetDefault(&d.DecodeGPUs, 1)
		return
	}
	if cfg.RouterMode == "" {
		cfg.RouterMode = runtimes.RouterNone
	}
	runtimes.SetDefault(&cfg.Replicas, 1)
	runtimes.SetDefault(&cfg.GPUs, 1)
}

// Endpoint is the frontend Service the operator creates: "<name>-frontend".
func (Runtime) Endpoint(cfg runtimes.DeploymentConfig) string {
	return fmt.Sprintf("%s-frontend.%s.svc.cluster.local:%d", cfg.Name, cfg.Namespace, FrontendPort)
}

// CheckInstallation looks for the Dynamo CRDs and a running operator pod.
func (r Runtime) CheckInstallation(ctx context.Context, c kubernetes.Interface, d dynamic.Interface) (runtimes.InstallationStatus, error) {
	return runtimes.CheckInstallation(ctx, c, d, r.DisplayName(), r.Install())
}
