// Package llmd renders and reads llm-d's "well-lit paths" at a pinned llm-d release: vLLM
// model servers in apps/v1 Deployments labelled as the llm-d guides label them, an
// InferencePool over them and the llm-d router's endpoint picker (EPP) scoring by queue
// depth, KV-cache use and prefix-cache hits.
//
//   - mode "aggregated" is the optimized baseline (llm-d/llm-d guides/optimized-baseline,
//     modelserver/gpu/vllm/base/patch-vllm.yaml @ 05b03f75739f966c129498ad620aca5f18a30c99):
//     one decode Deployment serving everything.
//   - mode "disaggregated" is prefill/decode disaggregation with NIXL (guides/pd-disaggregation,
//     modelserver/gpu/vllm/base/patch-{prefill,decode}.yaml @ f679742f89b87320052176cf716d8f3dd01d8ab7,
//     guides/recipes/modelserver/base/single-host/pd/vllm/patch-sidecar.yaml @
//     9829045ebe35b45a72d406676b53919008d7f7ad): prefill and decode Deployments whose vLLM
//     servers exchange KV caches through vLLM's NixlConnector, the llm-d routing sidecar in
//     front of each decode server, and an EPP configured with the P/D profile handler
//     (llm-d-router v0.10.0 deploy/config/pd-epp-config.yaml).
//
// The primary object is the decode Deployment "<name>"; the prefill Deployment, the API
// Service, the pool, the EPP and the optional HTTPRoute are companions. The vLLM pods, their
// arguments and their parsing are the vllm runtime's (internal/runtimes/vllm); the pool, EPP
// and route are internal/gateway's.
package llmd

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/basics"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/vllm"
)

// ID is the runtime identifier (also the kubefoundry.io/provider label value).
const ID = "llmd"

// RouterVersion is the llm-d router release whose endpoint picker, routing sidecar and
// configurations are rendered (llm-d/llm-d-router tag v0.10.0 =
// 71f4f0999f95b96c49a9d0c4afbd18dfdb943c26, ../shared/operators/llm-d-router-0.10.0.tar.gz).
const RouterVersion = "v0.10.0"

// SidecarImage is the routing sidecar (cmd/pd-sidecar) of that release; its Makefile names the
// image llm-d-router-disagg-sidecar (SIDECAR_IMAGE_NAME) under ghcr.io/llm-d.
const SidecarImage = "ghcr.io/llm-d/llm-d-router-disagg-sidecar:" + RouterVersion

// Ports: the pool targets 8000 on every model-server pod. A decode pod of the P/D path serves
// 8000 through the routing sidecar and runs vLLM on 8200 (the sidecar's --vllm-port default,
// pkg/sidecar/proxy/options.go); every other pod runs vLLM on 8000.
const (
	ServePort   = 8000
	DecodeVLLM  = 8200
	prefillName = "-prefill"
)

// Name limit: the EPP objects are "<name>-epp" and the prefill Deployment "<name>-prefill",
// whose ReplicaSets are "<deployment>-<pod-template-hash of up to 10>" and label their pods
// with that hash; the pool "<name>-pool". 63 - len("-prefill") - 1 - 10 = 44 keeps every
// derived name a valid DNS-1035 label.
const MaxNameLength = 44

var crdDeployment = runtimes.CRD{Group: "apps", Version: "v1", Kind: "Deployment", Plural: "deployments"}

// Runtime is the llm-d runtime.
type Runtime struct{}

// New returns the llm-d runtime.
func New() Runtime { return Runtime{} }

var (
	_ runtimes.Runtime  = Runtime{}
	_ runtimes.PodOwner = Runtime{}
	_ runtimes.Claimer  = Runtime{}
)

func (Runtime) ID() string               { return ID }
func (Runtime) DisplayName() string      { return "llm-d" }
func (Runtime) DefaultNamespace() string { return "default" }
func (Runtime) CRD() runtimes.CRD        { return crdDeployment }
func (Runtime) Description() string {
	return "llm-d's well-lit paths: vLLM model servers behind an InferencePool and the llm-d router's endpoint picker (prefix-cache aware), aggregated or prefill/decode disaggregated with NIXL."
}

// Defaults fills the llm-d defaults: one decode replica of one GPU (aggregated), or one
// prefill and one decode replica of one GPU each; vLLM settings as the vllm runtime's, but
// tensor parallelism in disaggregated mode follows each role's GPUs.
func (Runtime) Defaults(cfg *runtimes.DeploymentConfig) {
	basics.Defaults(cfg, ID)
	runtimes.SetDefault(&cfg.EnablePrefixCaching, true)
	runtimes.SetDefault(&cfg.EnforceEager, false)
	v := vllm.DefaultBlock(cfg)
	basics.DefaultPools(cfg)
	if cfg.Mode == runtimes.ModeDisaggregated {
		return
	}
	if v.TensorParallel == nil && *v.PipelineParallel > 0 && *cfg.GPUs%*v.PipelineParallel == 0 {
		tp := *cfg.GPUs / *v.PipelineParallel
		v.TensorParallel = &tp
	}
}

// Endpoint is the API Service "<name>-api" over the decode pods (port 8000). It reaches a
// model server directly; the llm-d scheduling path is a Gateway's route to the InferencePool.
func (Runtime) Endpoint(cfg runtimes.DeploymentConfig) string {
	return fmt.Sprintf("%s.%s.svc.cluster.local:%d", serviceName(cfg.Name), cfg.Namespace, ServePort)
}

func serviceName(name string) string { return name + "-api" }

// PrefillName is the prefill Deployment of a disaggregated deployment.
func PrefillName(name string) string { return name + prefillName }

// OwnsPod: the model-server pods (instance and provider labels) and the endpoint picker's
// pods (instance label and the picker's component), so a wait sees all three kinds.
func (Runtime) OwnsPod(obj *unstructured.Unstructured, pod corev1.Pod) bool {
	l := pod.Labels
	if l[runtimes.LabelInstance] != obj.GetName() {
		return false
	}
	return l[runtimes.LabelProvider] == ID || l[runtimes.LabelComponent] == componentEPP
}

// Claims: only a Deployment carrying this runtime's provider label.
func (Runtime) Claims(obj *unstructured.Unstructured) bool {
	return obj.GetLabels()[runtimes.LabelProvider] == ID
}

// CheckInstallation: llm-d needs no operator (the model servers and the endpoint picker are
// Deployments rendered per deployment), only the InferencePool CRD the pool is written as.
func (r Runtime) CheckInstallation(ctx context.Context, _ kubernetes.Interface, d dynamic.Interface) (runtimes.InstallationStatus, error) {
	var st runtimes.InstallationStatus
	_, err := d.Resource(crdGVR).Get(ctx, gateway.PoolCRD, metav1.GetOptions{})
	switch {
	case err == nil:
		st.CRDFound, st.OperatorRunning, st.Installed = true, true, true
		st.Version = RouterVersion
		st.Message = "llm-d: the InferencePool CRD is served (no operator is needed)"
	case apierrors.IsNotFound(err):
		st.Message = fmt.Sprintf("llm-d: CRD %s not found; install the Gateway API Inference Extension CRDs (kubectl apply -f https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/%s/manifests.yaml)", gateway.PoolCRD, gateway.InferenceExtensionVersion)
	default:
		return st, fmt.Errorf("looking up CRD %s: %w", gateway.PoolCRD, err)
	}
	return st, nil
}

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
