// Package kserve renders and reads KServe LLMInferenceServices (serving.kserve.io, KServe
// v0.19.0, github.com/kserve/kserve pkg/apis/serving/v1alpha2): the model URI, replicas,
// parallelism, a multi-node worker, a prefill pool for prefill/decode disaggregation and the
// router (managed HTTPRoute, Gateway refs, the llm-d scheduler and its InferencePool). The
// KServe controller merges the spec onto its preset LLMInferenceServiceConfigs
// (kserve-config-llm-*) and creates the Deployments or LeaderWorkerSets, Services, route and
// pool. v1alpha2 (the storage version) and v1alpha1 are two renderers behind
// runtimes.Runtime (runtimes.Versioned).
package kserve

import (
	"context"
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/basics"
)

// ID is the runtime identifier (also the kubefoundry.io/provider label value).
const ID = "kserve"

// Version is the KServe release this runtime renders for and installs (Go module
// github.com/kserve/kserve v0.19.0: CRDs, controller and charts).
const Version = "v0.19.0"

// API versions of LLMInferenceService. KServe v0.19.0 serves both; v1alpha2 is stored
// (config/crd/full/llmisvc/serving.kserve.io_llminferenceservices.yaml).
const (
	APIVersionV1Alpha2 = "v1alpha2"
	APIVersionV1Alpha1 = "v1alpha1"
)

// ServePort is where the preset's vLLM listens and the workload Service's port
// (config/llmisvcconfig/config-llm-template.yaml; pkg/controller/v1alpha2/llmisvc/workload.go).
const ServePort = 8000

// Name limits. The controller names its children with knative's kmeta.ChildName, which
// hashes names over 63 characters, so one node per pod only needs a DNS-1035 label. A
// multi-node workload is a LeaderWorkerSet "<name>-kserve-mn" ("-kserve-mn-prefill" for the
// prefill pool; workload_multi_node.go mainLWSName/prefillLWSName), whose worker
// StatefulSets' controller-revision-hash label must fit in 63 characters: the LeaderWorkerSet
// name at most 50 (see internal/runtimes/vllm MaxMultiNodeNameLength).
const (
	MaxNameLength            = 63
	MaxMultiNodeNameLength   = 50 - len("-kserve-mn")
	MaxMultiNodePDNameLength = 50 - len("-kserve-mn-prefill")
)

func crdFor(version string) runtimes.CRD {
	return runtimes.CRD{Group: "serving.kserve.io", Version: version, Kind: "LLMInferenceService", Plural: "llminferenceservices"}
}

// shared holds what both API versions have in common.
type shared struct{}

// Runtime renders serving.kserve.io/v1alpha2 (the default); it is the registry's "kserve".
type Runtime struct{ shared }

// V1Alpha1 renders serving.kserve.io/v1alpha1, for clusters that serve only that version.
type V1Alpha1 struct{ shared }

// New returns the KServe runtime.
func New() Runtime { return Runtime{} }

var (
	_ runtimes.Runtime        = Runtime{}
	_ runtimes.Runtime        = V1Alpha1{}
	_ runtimes.Versioned      = Runtime{}
	_ runtimes.VersionAdvisor = Runtime{}
	_ runtimes.Replacer       = Runtime{}
	_ runtimes.PodOwner       = Runtime{}
)

func (Runtime) CRD() runtimes.CRD  { return crdFor(APIVersionV1Alpha2) }
func (V1Alpha1) CRD() runtimes.CRD { return crdFor(APIVersionV1Alpha1) }

func (shared) ID() string               { return ID }
func (shared) DisplayName() string      { return "KServe" }
func (shared) DefaultNamespace() string { return "default" }
func (shared) Description() string {
	return "KServe LLMInferenceService (llm-d based): vLLM from KServe's presets, one node or several (LeaderWorkerSet), prefill/decode disaggregation, and a managed Gateway API route with the llm-d scheduler."
}

// ForConfig picks the renderer of kserve.api_version.
func (shared) ForConfig(cfg runtimes.DeploymentConfig) runtimes.Runtime {
	if cfg.KServe != nil && cfg.KServe.APIVersion == APIVersionV1Alpha1 {
		return V1Alpha1{}
	}
	return Runtime{}
}

// Versions lists both renderers, v1alpha2 first.
func (shared) Versions() []runtimes.Runtime { return []runtimes.Runtime{Runtime{}, V1Alpha1{}} }

// UnservedVersion tells the user which kserve.api_version the cluster serves.
func (shared) UnservedVersion(served []string) string {
	if slices.Contains(served, APIVersionV1Alpha1) && !slices.Contains(served, APIVersionV1Alpha2) {
		return "the cluster serves LLMInferenceService only at v1alpha1 (KServe before 0.19): set kserve.api_version = \"v1alpha1\""
	}
	return fmt.Sprintf("the cluster serves LLMInferenceService at %v: upgrade KServe to %s or set kserve.api_version", served, Version)
}

// Defaults fills the KServe defaults: one replica of one GPU, tensor parallel over every
// GPU of a pod (data_local ranks of tensor_parallel GPUs each when data parallel), the
// scheduler when the gateway routes through a pool, and vLLM's own defaults otherwise.
func (shared) Defaults(cfg *runtimes.DeploymentConfig) {
	basics.Defaults(cfg, ID)
	runtimes.SetDefault(&cfg.EnablePrefixCaching, true) // vLLM V1 caches prefixes unless told not to
	runtimes.SetDefault(&cfg.EnforceEager, false)
	// Replicas and GPUs size the one pool of aggregated mode; disaggregated mode sizes the
	// prefill and decode (main) pools in the Disaggregated block, as with Dynamo.
	basics.DefaultPools(cfg)
	if cfg.KServe == nil {
		cfg.KServe = &runtimes.KServeConfig{}
	}
	k := cfg.KServe
	if k.APIVersion == "" {
		k.APIVersion = APIVersionV1Alpha2
	}
	runtimes.SetDefault(&k.ExpertParallel, false)
	if k.TensorParallel == nil {
		gpus := decodeGPUs(*cfg)
		tp := gpus
		switch {
		case runtimes.Deref(k.DataLocalParallel) > 0 && gpus%*k.DataLocalParallel == 0:
			tp = gpus / *k.DataLocalParallel
		case runtimes.Deref(k.PipelineParallel) > 0 && gpus%*k.PipelineParallel == 0:
			tp = gpus / *k.PipelineParallel
		}
		k.TensorParallel = &tp
	}
	runtimes.SetDefault(&k.Scheduler, cfg.Gateway.PoolEnabled())
}

// decodeGPUs is the GPU count of one main (decode) pod.
func decodeGPUs(cfg runtimes.DeploymentConfig) int64 {
	if cfg.Mode == runtimes.ModeDisaggregated && cfg.Disaggregated != nil && cfg.Disaggregated.DecodeGPUs != nil {
		return *cfg.Disaggregated.DecodeGPUs
	}
	return runtimes.Deref(cfg.GPUs)
}

// multiNode reports whether the main workload spans pods: data parallel with more ranks
// than one pod holds renders spec.worker, and the controller a LeaderWorkerSet of
// data / data_local pods (ParallelismSpec.GetSize).
func multiNode(cfg runtimes.DeploymentConfig) bool {
	return podsPerReplica(cfg) > 1
}

// podsPerReplica is data / data_local, or 1.
func podsPerReplica(cfg runtimes.DeploymentConfig) int64 {
	k := cfg.KServe
	if k == nil || runtimes.Deref(k.DataParallel) < 1 || runtimes.Deref(k.DataLocalParallel) < 1 {
		return 1
	}
	return max(*k.DataParallel / *k.DataLocalParallel, 1)
}

// WorkloadServiceName is the Service the controller creates in front of the main workload
// (pkg/controller/v1alpha2/llmisvc/workload.go workloadServiceName; kmeta.ChildName keeps
// it within 63 characters).
func WorkloadServiceName(name string) string { return childName(name, "-kserve-workload-svc") }

// Endpoint is the workload Service on port 8000 (HTTPS when KServe's TLS is on, its default).
func (shared) Endpoint(cfg runtimes.DeploymentConfig) string {
	return fmt.Sprintf("%s.%s.svc.cluster.local:%d", WorkloadServiceName(cfg.Name), cfg.Namespace, ServePort)
}

// Parse reads an LLMInferenceService of either served version back into a config.
func (shared) Parse(obj *unstructured.Unstructured) (runtimes.DeploymentConfig, error) {
	if obj == nil {
		return runtimes.DeploymentConfig{}, fmt.Errorf("no object")
	}
	version := APIVersionV1Alpha2
	if obj.GroupVersionKind().Version == APIVersionV1Alpha1 {
		version = APIVersionV1Alpha1
	}
	if err := runtimes.CheckKind(obj, crdFor(version)); err != nil {
		return runtimes.DeploymentConfig{}, err
	}
	return parse(obj, version)
}

// OwnsPod: the controller labels every workload pod app.kubernetes.io/name = <name> and
// app.kubernetes.io/part-of = llminferenceservice (workload.go GetWorkloadLabelSelector).
func (shared) OwnsPod(obj *unstructured.Unstructured, pod corev1.Pod) bool {
	return pod.Labels["app.kubernetes.io/part-of"] == "llminferenceservice" && pod.Labels[runtimes.LabelName] == obj.GetName()
}

// ReplaceReasons: KServe's validating webhook makes the total parallelism size (pipeline,
// or data / data_local) immutable (pkg/apis/serving/v1alpha2/llm_inference_service_validation.go
// validateImmutableParallelism), and moving between one node and several, or adding or
// removing the prefill pool, changes the kind of the controller's objects.
func (shared) ReplaceReasons(prior, planned *unstructured.Unstructured) []string {
	var out []string
	for _, p := range [][]string{{"spec"}, {"spec", "prefill"}} {
		before, after := parallelismSize(prior, p...), parallelismSize(planned, p...)
		if before != after {
			where := "kserve.pipeline_parallel or kserve.data_parallel / kserve.data_local_parallel"
			out = append(out, fmt.Sprintf("%s changes the %s parallelism size from %d to %d, which KServe's webhook refuses in place",
				where, map[bool]string{true: "prefill", false: "main"}[len(p) > 1], before, after))
		}
	}
	return out
}

// CheckInstallation: the LLMInferenceService CRD and a running llmisvc controller.
func (r shared) CheckInstallation(ctx context.Context, c kubernetes.Interface, d dynamic.Interface) (runtimes.InstallationStatus, error) {
	return runtimes.CheckInstallation(ctx, c, d, r.DisplayName(), r.Install())
}
