package dgdr

import (
	"regexp"
	"slices"
	"strings"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// semverTag is the runtime-version rule of the 1.4 webhook for spec.image
// (internal/runtimeversion/runtimeversion.go imageTagPattern @ 1.4.0).
var semverTag = regexp.MustCompile(`^[vV]?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$`)

// runtimeVersion is the CRD pattern of spec.runtimeVersionOverride.
var runtimeVersion = regexp.MustCompile(`^(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})$`)

// Validate checks what the CRD schema, the admission webhook and the controller's
// validateSpec would refuse, so a plan fails before anything reaches the cluster. Paths
// are the Terraform attribute names.
func Validate(r Request) runtimes.Problems {
	var ps runtimes.Problems
	if strings.TrimSpace(r.Model) == "" {
		ps.Add("model", "must name a model, e.g. a Hugging Face ID such as \"Qwen/Qwen3-0.6B\"")
	}
	if r.Backend != "" && !slices.Contains(Backends, r.Backend) {
		ps.Add("backend", "%q is not one of %s", r.Backend, strings.Join(Backends, ", "))
	}
	if r.SearchStrategy != "" && !slices.Contains(SearchStrategies, r.SearchStrategy) {
		ps.Add("search_strategy", "%q is not one of %s", r.SearchStrategy, strings.Join(SearchStrategies, ", "))
	}
	// The webhook and validateSpec: a thorough search needs a concrete backend.
	if r.SearchStrategy == "thorough" && (r.Backend == "" || r.Backend == "auto") {
		ps.Add("search_strategy", "\"thorough\" needs a specific backend: set backend to \"sglang\", \"trtllm\" or \"vllm\" (the operator refuses thorough with backend \"auto\")")
	}
	if r.Image != "" && r.RuntimeVersionOverride == "" && !semverTag.MatchString(imageTag(r.Image)) {
		ps.Add("image", "%q has no semantic-version tag (such as :1.4.0), so the operator cannot tell the Dynamo runtime version: "+
			"use a versioned tag or set runtime_version_override", r.Image)
	}
	if v := r.RuntimeVersionOverride; v != "" && !runtimeVersion.MatchString(v) {
		ps.Add("runtime_version_override", "%q must be a version such as \"1.4.0\"", v)
	}
	if w := r.Workload; w != nil {
		positiveInt(&ps, "workload.isl", w.ISL)
		positiveInt(&ps, "workload.osl", w.OSL)
		positive(&ps, "workload.concurrency", w.Concurrency)
		positive(&ps, "workload.request_rate", w.RequestRate)
		if w.Concurrency != nil && w.RequestRate != nil {
			ps.Add("workload.request_rate", "set either concurrency or request_rate, not both (the profiler sizes for one of them)")
		}
	}
	if s := r.SLA; s != nil {
		positive(&ps, "sla.ttft_ms", s.TTFT)
		positive(&ps, "sla.itl_ms", s.ITL)
		positive(&ps, "sla.e2e_latency_ms", s.E2ELatency)
		if s.OptimizationType != "" && !slices.Contains(OptimizationTypes, s.OptimizationType) {
			ps.Add("sla.optimization_type", "%q is not one of %s", s.OptimizationType, strings.Join(OptimizationTypes, ", "))
		}
	}
	if h := r.Hardware; h != nil {
		if h.GPUSKU != "" && !slices.Contains(GPUSKUs, h.GPUSKU) {
			ps.Add("hardware.gpu_sku", "%q is not a GPU type the profiler knows; use one of %s", h.GPUSKU, strings.Join(GPUSKUs, ", "))
		}
		positive(&ps, "hardware.vram_mib", h.VRAMMiB)
		positiveInt(&ps, "hardware.total_gpus", h.TotalGPUs)
		positiveInt(&ps, "hardware.gpus_per_node", h.GPUsPerNode)
	}
	if c := r.ModelCache; c != nil && c.PVCName == "" {
		ps.Add("model_cache.pvc_name", "must name the PersistentVolumeClaim holding the weights")
	}
	if o := r.GraphOverride; o != nil {
		if o["apiVersion"] != "nvidia.com/v1beta1" && o["apiVersion"] != "nvidia.com/v1alpha1" {
			ps.Add("graph_override", "must set apiVersion: nvidia.com/v1beta1 (or nvidia.com/v1alpha1)")
		}
		if o["kind"] != "DynamoGraphDeployment" {
			ps.Add("graph_override", "must set kind: DynamoGraphDeployment")
		}
	}
	return ps
}

func positive(ps *runtimes.Problems, path string, v *float64) {
	if v != nil && *v <= 0 {
		ps.Add(path, "must be greater than 0, got %g", *v)
	}
}

func positiveInt(ps *runtimes.Problems, path string, v *int64) {
	if v != nil && *v <= 0 {
		ps.Add(path, "must be greater than 0, got %d", *v)
	}
}

// imageTag is the tag of an image reference, "" when it has none.
func imageTag(image string) string {
	ref := strings.TrimSpace(image)
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	slash, colon := strings.LastIndex(ref, "/"), strings.LastIndex(ref, ":")
	if colon <= slash {
		return ""
	}
	return ref[colon+1:]
}
