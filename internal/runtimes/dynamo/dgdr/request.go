// Package dgdr renders and reads NVIDIA Dynamo's DynamoGraphDeploymentRequest (v1beta1):
// deploy by SLA, where the operator runs a profiling Job (AIConfigurator or online sweeps),
// turns its output into a DynamoGraphDeployment and, with autoApply, creates that graph.
//
// The field names and rules follow ai-dynamo/dynamo deploy/operator
// api/v1beta1/dynamographdeploymentrequest_types.go, internal/controller/
// dynamographdeploymentrequest_controller.go and internal/webhook/validation/
// dynamographdeploymentrequest.go at release 1.4.0.
package dgdr

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// The custom resource.
const (
	Group      = "nvidia.com"
	Version    = "v1beta1"
	Kind       = "DynamoGraphDeploymentRequest"
	Resource   = "dynamographdeploymentrequests"
	APIVersion = Group + "/" + Version
	// CRDName is the CRD that serves the kind.
	CRDName = Resource + "." + Group
)

// GVR is the request's resource.
var GVR = schema.GroupVersionResource{Group: Group, Version: Version, Resource: Resource}

// GraphGVR is the DynamoGraphDeployment resource the operator creates on auto-apply.
var GraphGVR = schema.GroupVersionResource{Group: Group, Version: Version, Resource: "dynamographdeployments"}

// Enumerations of the v1beta1 API (kubebuilder enums of the types file).
var (
	Backends          = []string{"auto", "sglang", "trtllm", "vllm"}
	SearchStrategies  = []string{"rapid", "thorough"}
	OptimizationTypes = []string{"latency", "throughput"}
	GPUSKUs           = []string{"gb200_sxm", "gb10", "b200_sxm", "h200_sxm", "h100_sxm", "h100_pcie", "a100_sxm", "a100_pcie",
		"a30", "l40s", "l40", "l4", "v100_sxm", "v100_pcie", "t4", "mi200", "mi300"}
)

// Defaults the CRD schema applies (+kubebuilder:default).
const (
	DefaultBackend        = "auto"
	DefaultSearchStrategy = "rapid"
	DefaultISL            = 4000
	DefaultOSL            = 1000
)

// Names and labels the 1.4 controller uses.
const (
	// LabelName and LabelNamespace mark what the operator made for a request: the graph it
	// creates on auto-apply (which has no owner reference, so it outlives the request) and
	// the profiling output ConfigMap.
	LabelName      = "dgdr.nvidia.com/name"
	LabelNamespace = "dgdr.nvidia.com/namespace"
	LabelManagedBy = "nvidia.com/managed-by"
	// ManagedByOperator is the managed-by value of those objects.
	ManagedByOperator = "dynamo-operator"
	// OutputFile is the ConfigMap key holding the profiler's generated graph.
	OutputFile = "final_config.yaml"
)

// ProfilingJobName is the Job the operator runs the profiler in (getProfilingJobName).
func ProfilingJobName(request string) string { return "profile-" + request }

// OutputConfigMapName is where the Job's output-copier sidecar writes progress and the
// generated graph (getOutputConfigMapName).
func OutputConfigMapName(request string) string { return "dgdr-output-" + request }

// DefaultGraphName is the graph's name unless overrides.dgd names it (computeDGDName).
func DefaultGraphName(request string) string { return request + "-dgd" }

// Request is the desired state of one DynamoGraphDeploymentRequest. Nil pointers and empty
// strings are left out, so the operator's and the CRD's defaults apply.
type Request struct {
	Name, Namespace string
	Model           string
	Backend         string
	// Image is the profiler (dynamo-planner) image; the operator's defaulting webhook sets
	// nvcr.io/nvidia/ai-dynamo/dynamo-planner:<operator version> when empty.
	Image                  string
	RuntimeVersionOverride string
	SearchStrategy         string
	AutoApply              *bool
	Workload               *Workload
	SLA                    *SLA
	Hardware               *Hardware
	ModelCache             *ModelCache
	// Mocker deploys Dynamo's simulated workers instead of engines (features.mocker).
	Mocker bool
	// GraphOverride is a partial DynamoGraphDeployment merged into the generated one
	// (overrides.dgd); its metadata.name names the graph.
	GraphOverride map[string]any
	Labels        map[string]string
}

// Workload is the traffic the profiler sizes for.
type Workload struct {
	ISL, OSL                 *int64
	Concurrency, RequestRate *float64
}

// SLA holds the latency targets, in milliseconds.
type SLA struct {
	TTFT, ITL, E2ELatency *float64
	OptimizationType      string
}

// Hardware restricts and describes the GPUs; what is left out the operator discovers from
// the nodes' GPU Feature Discovery labels (or DCGM) and writes back into the spec.
type Hardware struct {
	GPUSKU       string
	VRAMMiB      *float64
	TotalGPUs    *int64
	GPUsPerNode  *int64
	Interconnect string
	RDMA         *bool
}

// ModelCache names a PVC with the weights already downloaded.
type ModelCache struct {
	PVCName, PVCModelPath, PVCMountPath string
}

// Manifest renders the request as the object to server-side apply.
func Manifest(r Request) *unstructured.Unstructured {
	spec := map[string]any{"model": r.Model}
	setStr(spec, "backend", r.Backend)
	setStr(spec, "image", r.Image)
	setStr(spec, "runtimeVersionOverride", r.RuntimeVersionOverride)
	setStr(spec, "searchStrategy", r.SearchStrategy)
	if r.AutoApply != nil {
		spec["autoApply"] = *r.AutoApply
	}
	if w := r.Workload; w != nil {
		m := map[string]any{}
		setInt(m, "isl", w.ISL)
		setInt(m, "osl", w.OSL)
		setFloat(m, "concurrency", w.Concurrency)
		setFloat(m, "requestRate", w.RequestRate)
		setMap(spec, "workload", m)
	}
	if s := r.SLA; s != nil {
		m := map[string]any{}
		setFloat(m, "ttft", s.TTFT)
		setFloat(m, "itl", s.ITL)
		setFloat(m, "e2eLatency", s.E2ELatency)
		setStr(m, "optimizationType", s.OptimizationType)
		setMap(spec, "sla", m)
	}
	if h := r.Hardware; h != nil {
		m := map[string]any{}
		setStr(m, "gpuSku", h.GPUSKU)
		setFloat(m, "vramMb", h.VRAMMiB)
		setInt(m, "totalGpus", h.TotalGPUs)
		setInt(m, "numGpusPerNode", h.GPUsPerNode)
		setStr(m, "interconnect", h.Interconnect)
		if h.RDMA != nil {
			m["rdma"] = *h.RDMA
		}
		setMap(spec, "hardware", m)
	}
	if c := r.ModelCache; c != nil {
		m := map[string]any{}
		setStr(m, "pvcName", c.PVCName)
		setStr(m, "pvcModelPath", c.PVCModelPath)
		setStr(m, "pvcMountPath", c.PVCMountPath)
		setMap(spec, "modelCache", m)
	}
	if r.Mocker {
		spec["features"] = map[string]any{"mocker": map[string]any{"enabled": true}}
	}
	if len(r.GraphOverride) > 0 {
		spec["overrides"] = map[string]any{"dgd": r.GraphOverride}
	}
	meta := map[string]any{"name": r.Name, "namespace": r.Namespace}
	if len(r.Labels) > 0 {
		labels := map[string]any{}
		for k, v := range r.Labels {
			labels[k] = v
		}
		meta["labels"] = labels
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": APIVersion, "kind": Kind, "metadata": meta, "spec": spec,
	}}
}

func setStr(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}

func setInt(m map[string]any, k string, v *int64) {
	if v != nil {
		m[k] = *v
	}
}

func setFloat(m map[string]any, k string, v *float64) {
	if v != nil {
		m[k] = *v
	}
}

func setMap(m map[string]any, k string, v map[string]any) {
	if len(v) > 0 {
		m[k] = v
	}
}
