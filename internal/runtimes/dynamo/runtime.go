// Package dynamo renders and reads NVIDIA Dynamo DynamoGraphDeployments. Two API versions
// are rendered, one renderer each behind runtimes.Runtime: nvidia.com/v1beta1 for Dynamo
// 1.4 (the default, manifest_v1beta1.go) and nvidia.com/v1alpha1 for Dynamo 0.x clusters
// (manifest_v1alpha1.go). Reading back (Parse, Status) follows the object's apiVersion.
package dynamo

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
const ID = "dynamo"

// Version is the Dynamo release the default (v1beta1) renderer and the install pin target:
// Helm chart and runtime images.
const Version = "1.4.0"

// PreviousVersion is the Dynamo 0.x release the v1alpha1 renderer targets (runtime images
// and engine flags of that release).
const PreviousVersion = "0.7.1"

// API versions of the DynamoGraphDeployment.
const (
	APIVersionV1Beta1  = "v1beta1"
	APIVersionV1Alpha1 = "v1alpha1"
)

// FrontendPort is where the Dynamo frontend serves the OpenAI-compatible API.
const FrontendPort = 8000

var (
	crdV1Beta1  = runtimes.CRD{Group: "nvidia.com", Version: APIVersionV1Beta1, Kind: "DynamoGraphDeployment", Plural: "dynamographdeployments"}
	crdV1Alpha1 = runtimes.CRD{Group: "nvidia.com", Version: APIVersionV1Alpha1, Kind: "DynamoGraphDeployment", Plural: "dynamographdeployments"}
)

// shared holds everything both API versions have in common: defaults, validation,
// endpoint, install, and reading back an object of either version.
type shared struct{}

// Runtime renders nvidia.com/v1beta1 (Dynamo 1.4); it is the registry's "dynamo" runtime.
type Runtime struct{ shared }

// V1Alpha1 renders nvidia.com/v1alpha1 for Dynamo 0.x clusters (dynamo.api_version = "v1alpha1").
type V1Alpha1 struct{ shared }

// New returns the Dynamo runtime (v1beta1 by default; see ForConfig).
func New() Runtime { return Runtime{} }

var (
	_ runtimes.Runtime        = Runtime{}
	_ runtimes.Runtime        = V1Alpha1{}
	_ runtimes.Versioned      = Runtime{}
	_ runtimes.VersionAdvisor = Runtime{}
)

func (Runtime) CRD() runtimes.CRD  { return crdV1Beta1 }
func (V1Alpha1) CRD() runtimes.CRD { return crdV1Alpha1 }

func (shared) ID() string               { return ID }
func (shared) DisplayName() string      { return "NVIDIA Dynamo" }
func (shared) DefaultNamespace() string { return "dynamo-system" }
func (shared) Description() string {
	return "NVIDIA Dynamo serves models with vLLM, SGLang or TensorRT-LLM workers behind a Dynamo frontend, aggregated or with disaggregated prefill and decode workers."
}

// ForConfig picks the renderer of the API version cfg asks for.
func (shared) ForConfig(cfg runtimes.DeploymentConfig) runtimes.Runtime {
	if apiVersion(cfg) == APIVersionV1Alpha1 {
		return V1Alpha1{}
	}
	return Runtime{}
}

// Versions lists both renderers, the default (v1beta1) first.
func (shared) Versions() []runtimes.Runtime { return []runtimes.Runtime{Runtime{}, V1Alpha1{}} }

// UnservedVersion names the attribute to set when the cluster's Dynamo CRD does not serve
// the version we render (detected at apply; plan stays offline).
func (shared) UnservedVersion(served []string) string {
	for _, v := range served {
		if v == APIVersionV1Beta1 {
			return "the cluster serves nvidia.com/v1beta1 DynamoGraphDeployments (Dynamo >= 1.2) but not nvidia.com/v1alpha1: " +
				"remove `dynamo = { api_version = \"v1alpha1\" }` (or set api_version = \"v1beta1\")"
		}
	}
	return fmt.Sprintf("the cluster's Dynamo CRD serves only %v (a Dynamo 0.x operator): set `dynamo = { api_version = \"v1alpha1\" }` "+
		"on this resource, or upgrade Dynamo to %s", served, Version)
}

// apiVersion is the API version a (possibly undefaulted) config selects.
func apiVersion(cfg runtimes.DeploymentConfig) string {
	if cfg.Dynamo != nil && cfg.Dynamo.APIVersion != "" {
		return cfg.Dynamo.APIVersion
	}
	return APIVersionV1Beta1
}

// Parse reads a DynamoGraphDeployment of either API version back into a config (import
// and drift detection); the object's apiVersion decides, so import detects the version.
func (shared) Parse(obj *unstructured.Unstructured) (runtimes.DeploymentConfig, error) {
	if obj == nil {
		return runtimes.DeploymentConfig{}, fmt.Errorf("no object")
	}
	switch obj.GetAPIVersion() {
	case crdV1Beta1.APIVersion():
		if err := runtimes.CheckKind(obj, crdV1Beta1); err != nil {
			return runtimes.DeploymentConfig{}, err
		}
		return parseV1Beta1(obj)
	default:
		if err := runtimes.CheckKind(obj, crdV1Alpha1); err != nil {
			return runtimes.DeploymentConfig{}, err
		}
		return parseV1Alpha1(obj)
	}
}

// Status maps the live object by its own API version.
func (shared) Status(obj *unstructured.Unstructured, pods []corev1.Pod, events []corev1.Event) runtimes.Status {
	if obj.GetAPIVersion() == crdV1Beta1.APIVersion() {
		return statusV1Beta1(obj, pods, events)
	}
	return statusV1Alpha1(obj, pods, events)
}

// Defaults fills the Dynamo defaults. Replicas and GPUs describe the single worker pool of
// aggregated mode; disaggregated mode sizes its pools in the Disaggregated block instead.
func (shared) Defaults(cfg *runtimes.DeploymentConfig) {
	// Disaggregation needs a router between the pools; round-robin is Dynamo's default.
	if cfg.Mode == runtimes.ModeDisaggregated && cfg.RouterMode == "" {
		cfg.RouterMode = runtimes.RouterRoundRobin
	}
	// KubeFoundry's UI serves the model under its own id (the served name defaults to it).
	basics.Defaults(cfg, ID)
	if cfg.Dynamo == nil {
		cfg.Dynamo = &runtimes.DynamoConfig{}
	}
	if cfg.Dynamo.APIVersion == "" {
		cfg.Dynamo.APIVersion = APIVersionV1Beta1
	}
	// vLLM defaults to eager mode (KubeFoundry's choice: faster start); other engines have no such flag.
	runtimes.SetDefault(&cfg.EnforceEager, cfg.Engine == runtimes.EngineVLLM)
	// Every Dynamo engine reuses cached prefixes unless told not to (flags.go flagsFor); the
	// default says so, and the KV router needs it.
	runtimes.SetDefault(&cfg.EnablePrefixCaching, true)
	basics.DefaultPools(cfg)
}

// Endpoint is the frontend Service the operator creates: "<name>-frontend" (both versions).
func (shared) Endpoint(cfg runtimes.DeploymentConfig) string {
	return fmt.Sprintf("%s-frontend.%s.svc.cluster.local:%d", cfg.Name, cfg.Namespace, FrontendPort)
}

// CheckInstallation looks for the Dynamo CRDs and a running operator pod.
func (r shared) CheckInstallation(ctx context.Context, c kubernetes.Interface, d dynamic.Interface) (runtimes.InstallationStatus, error) {
	return runtimes.CheckInstallation(ctx, c, d, r.DisplayName(), r.Install())
}

var _ runtimes.AttributeReplacer = Runtime{}

// ReplaceOnChange: the 1.4 validating webhook rejects a changed spec.backendFramework ("is
// immutable and cannot be changed after creation") and any added or removed component
// ("component topology is immutable"), i.e. engine changes (the worker names carry the
// engine) and aggregated <-> disaggregated (deploy/operator/internal/webhook/validation/
// dynamographdeployment.go validateDynamoGraphDeploymentSpecUpdate @ 1.4.0). The 0.x
// renderer (V1Alpha1) has no webhook at 0.7 and updates in place.
func (Runtime) ReplaceOnChange(runtimes.DeploymentConfig) []string { return []string{"engine", "mode"} }
