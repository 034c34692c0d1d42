package dgdr_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo/dgdr"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func ptr[T any](v T) *T { return &v }

func full() dgdr.Request {
	return dgdr.Request{
		Name: "qwen", Namespace: "ml", Model: "Qwen/Qwen3-0.6B", Backend: "vllm", Image: "nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.4.0",
		RuntimeVersionOverride: "1.4.0", SearchStrategy: "thorough", AutoApply: ptr(false),
		Workload:   &dgdr.Workload{ISL: ptr[int64](2000), OSL: ptr[int64](200), RequestRate: ptr(5.0)},
		SLA:        &dgdr.SLA{TTFT: ptr(500.0), ITL: ptr(20.0), E2ELatency: ptr(9000.0), OptimizationType: "throughput"},
		Hardware:   &dgdr.Hardware{GPUSKU: "h100_sxm", VRAMMiB: ptr(81559.0), TotalGPUs: ptr[int64](16), GPUsPerNode: ptr[int64](8), Interconnect: "nvlink", RDMA: ptr(true)},
		ModelCache: &dgdr.ModelCache{PVCName: "weights", PVCModelPath: "qwen", PVCMountPath: "/models"},
		Mocker:     true,
		GraphOverride: map[string]any{"apiVersion": "nvidia.com/v1beta1", "kind": "DynamoGraphDeployment",
			"metadata": map[string]any{"name": "served"}},
	}
}

// crdSchema reads the 1.4.0 CRD's v1beta1 schema from ../shared/crds (KUBEFOUNDRY_CRD_DIR).
func crdSchema(t *testing.T) map[string]any {
	t.Helper()
	dir, err := testcluster.CRDDir()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "dynamo-1.4.0", dgdr.CRDName+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var crd struct {
		Spec struct {
			Versions []struct {
				Name   string
				Schema struct {
					OpenAPIV3Schema map[string]any `json:"openAPIV3Schema"`
				}
			}
		}
	}
	if err := yaml.Unmarshal(raw, &crd); err != nil {
		t.Fatal(err)
	}
	for _, v := range crd.Spec.Versions {
		if v.Name == dgdr.Version {
			return v.Schema.OpenAPIV3Schema
		}
	}
	t.Fatalf("CRD has no %s", dgdr.Version)
	return nil
}

// enumOf is a property's enum, given directly or (as controller-gen writes a typed enum
// field with its own marker) in each allOf entry.
func enumOf(s map[string]any) []any {
	if e, ok := s["enum"].([]any); ok {
		return e
	}
	all, _ := s["allOf"].([]any)
	for _, a := range all {
		if m, ok := a.(map[string]any); ok {
			if e, ok := m["enum"].([]any); ok {
				return e
			}
		}
	}
	return nil
}

func child(schema map[string]any, key string) map[string]any {
	props, _ := schema["properties"].(map[string]any)
	c, _ := props[key].(map[string]any)
	return c
}

// Every field the renderer writes is one the 1.4.0 CRD declares, with a value of the
// declared type and, for enums, a declared value; so the API server prunes nothing.
func TestManifestFieldsAreTheCRDs(t *testing.T) {
	root := crdSchema(t)
	obj := dgdr.Manifest(full())
	if obj.GetAPIVersion() != "nvidia.com/v1beta1" || obj.GetKind() != "DynamoGraphDeploymentRequest" || obj.GetName() != "qwen" || obj.GetNamespace() != "ml" {
		t.Fatalf("identity: %v", obj.Object["metadata"])
	}
	var walk func(path string, v any, s map[string]any)
	walk = func(path string, v any, s map[string]any) {
		if s == nil {
			t.Errorf("%s: not in the CRD schema", path)
			return
		}
		if s["x-kubernetes-preserve-unknown-fields"] == true || s["x-kubernetes-embedded-resource"] == true {
			return
		}
		if enum := enumOf(s); enum != nil && !slices.Contains(enum, v) {
			t.Errorf("%s = %v, not in the CRD's enum %v", path, v, enum)
		}
		switch x := v.(type) {
		case map[string]any:
			for k, sub := range x {
				walk(path+"."+k, sub, child(s, k))
			}
		case string:
			if s["type"] != "string" {
				t.Errorf("%s is a string, CRD type %v", path, s["type"])
			}
		case bool:
			if s["type"] != "boolean" {
				t.Errorf("%s is a bool, CRD type %v", path, s["type"])
			}
		case int64:
			if s["type"] != "integer" {
				t.Errorf("%s is an integer, CRD type %v", path, s["type"])
			}
		case float64:
			if s["type"] != "number" {
				t.Errorf("%s is a number, CRD type %v", path, s["type"])
			}
		}
	}
	walk("spec", obj.Object["spec"], child(root, "spec"))
	spec := obj.Object["spec"].(map[string]any)
	for _, k := range []string{"model", "backend", "image", "runtimeVersionOverride", "searchStrategy", "autoApply", "workload", "sla", "hardware", "modelCache", "features", "overrides"} {
		if _, ok := spec[k]; !ok {
			t.Errorf("spec.%s not rendered", k)
		}
	}
	if hw := spec["hardware"].(map[string]any); hw["numGpusPerNode"] != int64(8) || hw["vramMb"] != 81559.0 || hw["rdma"] != true {
		t.Errorf("hardware rendered as %v", hw)
	}
}

// The enumerations offered at plan time are the CRD's, in its order.
func TestEnumsAreTheCRDs(t *testing.T) {
	spec := child(crdSchema(t), "spec")
	for _, c := range []struct {
		path []string
		got  []string
	}{
		{[]string{"backend"}, dgdr.Backends},
		{[]string{"searchStrategy"}, dgdr.SearchStrategies},
		{[]string{"sla", "optimizationType"}, dgdr.OptimizationTypes},
		{[]string{"hardware", "gpuSku"}, dgdr.GPUSKUs},
	} {
		s := spec
		for _, p := range c.path {
			s = child(s, p)
		}
		var want []string
		for _, v := range enumOf(s) {
			want = append(want, v.(string))
		}
		if !slices.Equal(c.got, want) {
			t.Errorf("%s: offered %v, CRD %v", strings.Join(c.path, "."), c.got, want)
		}
	}
}

// Only what is set is rendered, so the CRD's and the operator's defaults apply.
func TestManifestLeavesDefaultsToTheOperator(t *testing.T) {
	obj := dgdr.Manifest(dgdr.Request{Name: "q", Namespace: "ml", Model: "Qwen/Qwen3-0.6B"})
	spec := obj.Object["spec"].(map[string]any)
	if len(spec) != 1 || spec["model"] != "Qwen/Qwen3-0.6B" {
		t.Errorf("minimal spec = %v", spec)
	}
	obj = dgdr.Manifest(dgdr.Request{Name: "q", Model: "m", Hardware: &dgdr.Hardware{}, Workload: &dgdr.Workload{}})
	if _, ok := obj.Object["spec"].(map[string]any)["hardware"]; ok {
		t.Errorf("an empty hardware block is rendered: %v", obj.Object["spec"])
	}
}

func TestValidate(t *testing.T) {
	if ps := dgdr.Validate(full()); len(ps) != 0 {
		t.Fatalf("a valid request: %v", ps)
	}
	for _, c := range []struct {
		name   string
		change func(*dgdr.Request)
		path   string
	}{
		// internal/webhook/validation/dynamographdeploymentrequest.go @ 1.4.0
		{"thorough with auto", func(r *dgdr.Request) { r.Backend = "auto" }, "search_strategy"},
		{"thorough with the default backend", func(r *dgdr.Request) { r.Backend = "" }, "search_strategy"},
		{"image without a version tag", func(r *dgdr.Request) { r.Image = "nvcr.io/x/planner:latest"; r.RuntimeVersionOverride = "" }, "image"},
		{"image without a tag", func(r *dgdr.Request) { r.Image = "registry:5000/planner"; r.RuntimeVersionOverride = "" }, "image"},
		{"runtime version not x.y.z", func(r *dgdr.Request) { r.RuntimeVersionOverride = "1.4" }, "runtime_version_override"},
		// The types file: concurrency and requestRate are mutually exclusive.
		{"both rate and concurrency", func(r *dgdr.Request) { r.Workload.Concurrency = ptr(8.0) }, "workload.request_rate"},
		{"zero isl", func(r *dgdr.Request) { r.Workload.ISL = ptr[int64](0) }, "workload.isl"},
		{"negative ttft", func(r *dgdr.Request) { r.SLA.TTFT = ptr(-1.0) }, "sla.ttft_ms"},
		{"unknown GPU", func(r *dgdr.Request) { r.Hardware.GPUSKU = "rtx4090" }, "hardware.gpu_sku"},
		{"no model", func(r *dgdr.Request) { r.Model = " " }, "model"},
		{"override without kind", func(r *dgdr.Request) { delete(r.GraphOverride, "kind") }, "graph_override"},
	} {
		r := full()
		c.change(&r)
		ps := dgdr.Validate(r)
		if len(ps) != 1 || ps[0].Path != c.path {
			t.Errorf("%s: got %v, want one problem at %s", c.name, ps, c.path)
		}
	}
	r := full()
	r.Image, r.RuntimeVersionOverride = "nvcr.io/x/planner@sha256:abc", "1.4.0"
	if ps := dgdr.Validate(r); len(ps) != 0 {
		t.Errorf("a digest image with runtime_version_override: %v", ps)
	}
}
