package deploymentrequest

import (
	"context"
	"fmt"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo/dgdr"
)

// model is the resource's state.
type model struct {
	ID                     types.String   `tfsdk:"id"`
	Name                   types.String   `tfsdk:"name"`
	Namespace              types.String   `tfsdk:"namespace"`
	Model                  types.String   `tfsdk:"model"`
	Backend                types.String   `tfsdk:"backend"`
	SearchStrategy         types.String   `tfsdk:"search_strategy"`
	AutoApply              types.Bool     `tfsdk:"auto_apply"`
	Image                  types.String   `tfsdk:"image"`
	RuntimeVersionOverride types.String   `tfsdk:"runtime_version_override"`
	Workload               *workloadModel `tfsdk:"workload"`
	SLA                    *slaModel      `tfsdk:"sla"`
	Hardware               types.Object   `tfsdk:"hardware"`
	ModelCache             *cacheModel    `tfsdk:"model_cache"`
	Mocker                 types.Bool     `tfsdk:"mocker"`
	GraphOverride          types.String   `tfsdk:"graph_override"`
	Wait                   types.Bool     `tfsdk:"wait"`
	KeepGraphOnDestroy     types.Bool     `tfsdk:"keep_graph_on_destroy"`
	Phase                  types.String   `tfsdk:"phase"`
	ProfilingPhase         types.String   `tfsdk:"profiling_phase"`
	Message                types.String   `tfsdk:"message"`
	ProfilingJobName       types.String   `tfsdk:"profiling_job_name"`
	GraphName              types.String   `tfsdk:"graph_name"`
	GraphYAML              types.String   `tfsdk:"graph_yaml"`
	Graph                  types.Object   `tfsdk:"graph"`
	Replicas               types.Int64    `tfsdk:"replicas"`
	AvailableReplicas      types.Int64    `tfsdk:"available_replicas"`
	Timeouts               timeouts.Value `tfsdk:"timeouts"`
}

type workloadModel struct {
	ISL         types.Int64   `tfsdk:"isl"`
	OSL         types.Int64   `tfsdk:"osl"`
	Concurrency types.Float64 `tfsdk:"concurrency"`
	RequestRate types.Float64 `tfsdk:"request_rate"`
}

type slaModel struct {
	TTFT             types.Float64 `tfsdk:"ttft_ms"`
	ITL              types.Float64 `tfsdk:"itl_ms"`
	E2ELatency       types.Float64 `tfsdk:"e2e_latency_ms"`
	OptimizationType types.String  `tfsdk:"optimization_type"`
}

type hardwareModel struct {
	GPUSKU       types.String  `tfsdk:"gpu_sku"`
	VRAMMiB      types.Float64 `tfsdk:"vram_mib"`
	TotalGPUs    types.Int64   `tfsdk:"total_gpus"`
	GPUsPerNode  types.Int64   `tfsdk:"gpus_per_node"`
	Interconnect types.String  `tfsdk:"interconnect"`
	RDMA         types.Bool    `tfsdk:"rdma"`
}

type cacheModel struct {
	PVCName      types.String `tfsdk:"pvc_name"`
	PVCModelPath types.String `tfsdk:"pvc_model_path"`
	PVCMountPath types.String `tfsdk:"pvc_mount_path"`
}

// Known-value helpers: unknown and null both leave a field out.
func str(v types.String) string {
	if v.IsNull() || v.IsUnknown() {
		return ""
	}
	return v.ValueString()
}

func i64(v types.Int64) *int64 {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	x := v.ValueInt64()
	return &x
}

func f64(v types.Float64) *float64 {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	x := v.ValueFloat64()
	return &x
}

func boolp(v types.Bool) *bool {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	x := v.ValueBool()
	return &x
}

// request converts the planned (or configured) values; unknown values are left out, so
// it also serves plan-time validation. A graph_override that is not a YAML mapping is
// reported on the attribute.
func (m model) request(ctx context.Context, diags *diag.Diagnostics) dgdr.Request {
	r := dgdr.Request{
		Name: str(m.Name), Namespace: str(m.Namespace), Model: str(m.Model), Backend: str(m.Backend),
		Image: str(m.Image), RuntimeVersionOverride: str(m.RuntimeVersionOverride), SearchStrategy: str(m.SearchStrategy),
		AutoApply: boolp(m.AutoApply), Mocker: !m.Mocker.IsNull() && !m.Mocker.IsUnknown() && m.Mocker.ValueBool(),
	}
	if w := m.Workload; w != nil {
		r.Workload = &dgdr.Workload{ISL: i64(w.ISL), OSL: i64(w.OSL), Concurrency: f64(w.Concurrency), RequestRate: f64(w.RequestRate)}
	}
	if s := m.SLA; s != nil {
		r.SLA = &dgdr.SLA{TTFT: f64(s.TTFT), ITL: f64(s.ITL), E2ELatency: f64(s.E2ELatency), OptimizationType: str(s.OptimizationType)}
	}
	if !m.Hardware.IsNull() && !m.Hardware.IsUnknown() {
		var h hardwareModel
		diags.Append(m.Hardware.As(ctx, &h, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})...)
		r.Hardware = &dgdr.Hardware{GPUSKU: str(h.GPUSKU), VRAMMiB: f64(h.VRAMMiB), TotalGPUs: i64(h.TotalGPUs),
			GPUsPerNode: i64(h.GPUsPerNode), Interconnect: str(h.Interconnect), RDMA: boolp(h.RDMA)}
	}
	if c := m.ModelCache; c != nil {
		r.ModelCache = &dgdr.ModelCache{PVCName: str(c.PVCName), PVCModelPath: str(c.PVCModelPath), PVCMountPath: str(c.PVCMountPath)}
	}
	if o := str(m.GraphOverride); o != "" {
		var obj map[string]any
		if err := yaml.Unmarshal([]byte(o), &obj); err != nil || obj == nil {
			diags.AddAttributeError(pathOf("graph_override"), "Invalid graph_override",
				fmt.Sprintf("graph_override must be a YAML or JSON mapping (a partial DynamoGraphDeployment): %v", err))
		} else {
			r.GraphOverride = obj
		}
	}
	return r
}

// spec is the part of a live request's spec that the resource reads back.
type spec struct {
	Model                  string             `json:"model"`
	Backend                string             `json:"backend"`
	Image                  string             `json:"image"`
	RuntimeVersionOverride string             `json:"runtimeVersionOverride"`
	SearchStrategy         string             `json:"searchStrategy"`
	AutoApply              *bool              `json:"autoApply"`
	Workload               *specWorkload      `json:"workload"`
	SLA                    *specSLA           `json:"sla"`
	Hardware               *specHardware      `json:"hardware"`
	ModelCache             *dgdr.ModelCache   `json:"modelCache"`
	Features               *specFeatures      `json:"features"`
	Overrides              *struct{ DGD any } `json:"overrides"`
}

type specWorkload struct {
	ISL         *int64   `json:"isl"`
	OSL         *int64   `json:"osl"`
	Concurrency *float64 `json:"concurrency"`
	RequestRate *float64 `json:"requestRate"`
}

type specSLA struct {
	TTFT             *float64 `json:"ttft"`
	ITL              *float64 `json:"itl"`
	E2ELatency       *float64 `json:"e2eLatency"`
	OptimizationType string   `json:"optimizationType"`
}

type specHardware struct {
	GPUSKU       string   `json:"gpuSku"`
	VRAMMb       *float64 `json:"vramMb"`
	TotalGPUs    *int64   `json:"totalGpus"`
	GPUsPerNode  *int64   `json:"numGpusPerNode"`
	Interconnect string   `json:"interconnect"`
	RDMA         *bool    `json:"rdma"`
}

type specFeatures struct {
	Mocker *struct {
		Enabled bool `json:"enabled"`
	} `json:"mocker"`
}

func optStr(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// setFromObject refreshes the inputs from the live spec (drift, import) and the computed
// attributes from its status.
func (m *model) setFromObject(ctx context.Context, obj *unstructured.Unstructured, diags *diag.Diagnostics) {
	m.ID = types.StringValue(obj.GetNamespace() + "/" + obj.GetName())
	m.Name, m.Namespace = types.StringValue(obj.GetName()), types.StringValue(obj.GetNamespace())
	var s spec
	if err := runtimes.FromMap(obj.Object["spec"], &s); err != nil {
		diags.AddError("Reading the DynamoGraphDeploymentRequest failed", err.Error())
		return
	}
	m.Model = types.StringValue(s.Model)
	m.Backend = types.StringValue(orDefault(s.Backend, dgdr.DefaultBackend))
	m.SearchStrategy = types.StringValue(orDefault(s.SearchStrategy, dgdr.DefaultSearchStrategy))
	m.AutoApply = types.BoolValue(s.AutoApply == nil || *s.AutoApply)
	m.Image = optStr(s.Image)
	m.RuntimeVersionOverride = optStr(s.RuntimeVersionOverride)
	m.Workload = nil
	if w := s.Workload; w != nil {
		m.Workload = &workloadModel{ISL: types.Int64PointerValue(w.ISL), OSL: types.Int64PointerValue(w.OSL),
			Concurrency: types.Float64PointerValue(w.Concurrency), RequestRate: types.Float64PointerValue(w.RequestRate)}
	}
	m.SLA = nil
	if l := s.SLA; l != nil {
		m.SLA = &slaModel{TTFT: types.Float64PointerValue(l.TTFT), ITL: types.Float64PointerValue(l.ITL),
			E2ELatency: types.Float64PointerValue(l.E2ELatency), OptimizationType: optStr(l.OptimizationType)}
	}
	m.Hardware = types.ObjectNull(hardwareType.AttrTypes)
	if h := s.Hardware; h != nil {
		v, d := types.ObjectValueFrom(ctx, hardwareType.AttrTypes, hardwareModel{
			GPUSKU: optStr(h.GPUSKU), VRAMMiB: types.Float64PointerValue(h.VRAMMb), TotalGPUs: types.Int64PointerValue(h.TotalGPUs),
			GPUsPerNode: types.Int64PointerValue(h.GPUsPerNode), Interconnect: optStr(h.Interconnect), RDMA: types.BoolPointerValue(h.RDMA)})
		diags.Append(d...)
		m.Hardware = v
	}
	m.ModelCache = nil
	if c := s.ModelCache; c != nil {
		m.ModelCache = &cacheModel{PVCName: types.StringValue(c.PVCName), PVCModelPath: optStr(c.PVCModelPath), PVCMountPath: optStr(c.PVCMountPath)}
	}
	m.Mocker = types.BoolValue(s.Features != nil && s.Features.Mocker != nil && s.Features.Mocker.Enabled)
	m.GraphOverride = liveOverride(m.GraphOverride, s.Overrides)
	st, err := dgdr.ReadStatus(obj)
	if err != nil {
		diags.AddError("Reading the DynamoGraphDeploymentRequest status failed", err.Error())
		return
	}
	m.setStatus(st, diags)
}

// liveOverride keeps the configured text while it means the live override (YAML and JSON
// spell one object many ways), else shows the live one as YAML.
func liveOverride(prior types.String, o *struct{ DGD any }) types.String {
	if o == nil || o.DGD == nil {
		return types.StringNull()
	}
	if p := str(prior); p != "" {
		var obj any
		if yaml.Unmarshal([]byte(p), &obj) == nil && reflect.DeepEqual(normalize(obj), normalize(o.DGD)) {
			return prior
		}
	}
	b, err := yaml.Marshal(o.DGD)
	if err != nil {
		return types.StringNull()
	}
	return types.StringValue(string(b))
}

// normalize round-trips through JSON so numbers and maps compare alike.
func normalize(v any) any {
	b, err := yaml.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if yaml.Unmarshal(b, &out) != nil {
		return v
	}
	return out
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

func (m *model) setStatus(st dgdr.Status, diags *diag.Diagnostics) {
	m.Phase, m.ProfilingPhase, m.Message = types.StringValue(st.Phase), types.StringValue(st.ProfilingPhase), types.StringValue(st.Message)
	m.ProfilingJobName, m.GraphName, m.GraphYAML = types.StringValue(st.ProfilingJobName), types.StringValue(st.GraphName), types.StringValue(st.GraphYAML)
	m.Replicas, m.AvailableReplicas = types.Int64PointerValue(st.Replicas), types.Int64PointerValue(st.AvailableReplicas)
	m.Graph = types.ObjectNull(graphType.AttrTypes)
	if g := st.Graph; g != nil {
		comps := make([]attr.Value, 0, len(g.Components))
		for _, c := range g.Components {
			v, d := types.ObjectValue(componentType.AttrTypes, map[string]attr.Value{
				"name": types.StringValue(c.Name), "type": types.StringValue(c.Type),
				"replicas": types.Int64Value(c.Replicas), "gpus": types.Int64Value(c.GPUs),
			})
			diags.Append(d...)
			comps = append(comps, v)
		}
		list, d := types.ListValue(componentType, comps)
		diags.Append(d...)
		v, d := types.ObjectValue(graphType.AttrTypes, map[string]attr.Value{
			"backend_framework": types.StringValue(g.BackendFramework), "gpus": types.Int64Value(g.GPUs), "components": list,
		})
		diags.Append(d...)
		m.Graph = v
	}
}

// unknownStatus marks what the operator will report as unknown in a plan.
func (m *model) unknownStatus() {
	for _, s := range []*types.String{&m.Phase, &m.ProfilingPhase, &m.Message, &m.ProfilingJobName, &m.GraphName, &m.GraphYAML} {
		*s = types.StringUnknown()
	}
	m.Replicas, m.AvailableReplicas = types.Int64Unknown(), types.Int64Unknown()
	m.Graph = types.ObjectUnknown(graphType.AttrTypes)
}
