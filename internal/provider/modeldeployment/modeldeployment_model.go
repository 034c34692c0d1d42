package modeldeployment

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

type model struct {
	ID                  types.String   `tfsdk:"id"`
	Name                types.String   `tfsdk:"name"`
	Namespace           types.String   `tfsdk:"namespace"`
	Runtime             types.String   `tfsdk:"runtime"`
	Model               types.String   `tfsdk:"model"`
	Engine              types.String   `tfsdk:"engine"`
	Mode                types.String   `tfsdk:"mode"`
	ServedModelName     types.String   `tfsdk:"served_model_name"`
	RouterMode          types.String   `tfsdk:"router_mode"`
	Replicas            types.Int64    `tfsdk:"replicas"`
	GPUs                types.Int64    `tfsdk:"gpus"`
	Memory              types.String   `tfsdk:"memory"`
	ContextLength       types.Int64    `tfsdk:"context_length"`
	EnforceEager        types.Bool     `tfsdk:"enforce_eager"`
	EnablePrefixCaching types.Bool     `tfsdk:"enable_prefix_caching"`
	TrustRemoteCode     types.Bool     `tfsdk:"trust_remote_code"`
	EngineArgs          types.Map      `tfsdk:"engine_args"`
	Disaggregated       types.Object   `tfsdk:"disaggregated"`
	KubeRay             types.Object   `tfsdk:"kuberay"`
	KAITO               types.Object   `tfsdk:"kaito"`
	Dynamo              types.Object   `tfsdk:"dynamo"`
	VLLM                types.Object   `tfsdk:"vllm"`
	KServe              types.Object   `tfsdk:"kserve"`
	HFTokenSecret       types.String   `tfsdk:"hf_token_secret"`
	HFTokenWO           types.String   `tfsdk:"hf_token_wo"`
	HFTokenWOVersion    types.Int64    `tfsdk:"hf_token_wo_version"`
	WaitForReady        types.Bool     `tfsdk:"wait_for_ready"`
	GPUFitCheck         types.String   `tfsdk:"gpu_fit_check"`
	Phase               types.String   `tfsdk:"phase"`
	StatusMessage       types.String   `tfsdk:"status_message"`
	Desired             types.Int64    `tfsdk:"desired"`
	Ready               types.Int64    `tfsdk:"ready"`
	Available           types.Int64    `tfsdk:"available"`
	Endpoint            types.String   `tfsdk:"endpoint"`
	Manifest            types.String   `tfsdk:"manifest"`
	Labels              types.Map      `tfsdk:"labels"`
	Annotations         types.Map      `tfsdk:"annotations"`
	Pod                 types.Object   `tfsdk:"pod"`
	Roles               types.Object   `tfsdk:"roles"`
	ModelCache          types.Object   `tfsdk:"model_cache"`
	HuggingFaceEndpoint types.String   `tfsdk:"huggingface_endpoint"`
	Overrides           types.String   `tfsdk:"overrides"`
	CompanionManifests  types.String   `tfsdk:"companion_manifests"`
	Gateway             types.Object   `tfsdk:"gateway"`
	URL                 types.String   `tfsdk:"url"`
	Autoscaling         types.Object   `tfsdk:"autoscaling"`
	EstimatedHourlyCost types.Float64  `tfsdk:"estimated_hourly_cost"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
}

type disaggregatedModel struct {
	PrefillReplicas types.Int64 `tfsdk:"prefill_replicas"`
	PrefillGPUs     types.Int64 `tfsdk:"prefill_gpus"`
	DecodeReplicas  types.Int64 `tfsdk:"decode_replicas"`
	DecodeGPUs      types.Int64 `tfsdk:"decode_gpus"`
}

type kubeRayModel struct {
	Image                types.String  `tfsdk:"image"`
	HeadCPU              types.String  `tfsdk:"head_cpu"`
	HeadMemory           types.String  `tfsdk:"head_memory"`
	WorkerCPU            types.String  `tfsdk:"worker_cpu"`
	WorkerMemory         types.String  `tfsdk:"worker_memory"`
	TensorParallel       types.Int64   `tfsdk:"tensor_parallel"`
	PipelineParallel     types.Int64   `tfsdk:"pipeline_parallel"`
	GPUMemoryUtilization types.Float64 `tfsdk:"gpu_memory_utilization"`
	MaxNumSeqs           types.Int64   `tfsdk:"max_num_seqs"`
	MinReplicas          types.Int64   `tfsdk:"min_replicas"`
	MaxReplicas          types.Int64   `tfsdk:"max_replicas"`
	EnableChunkedPrefill types.Bool    `tfsdk:"enable_chunked_prefill"`
	KVConnector          types.String  `tfsdk:"kv_connector"`
	AcceleratorType      types.String  `tfsdk:"accelerator_type"`
}

type vllmModel struct {
	Nodes            types.Int64  `tfsdk:"nodes"`
	TensorParallel   types.Int64  `tfsdk:"tensor_parallel"`
	PipelineParallel types.Int64  `tfsdk:"pipeline_parallel"`
	SharedMemory     types.String `tfsdk:"shared_memory"`
}

type dynamoModel struct {
	APIVersion types.String `tfsdk:"api_version"`
}

type kaitoModel struct {
	ModelSource   types.String `tfsdk:"model_source"`
	PremadeModel  types.String `tfsdk:"premade_model"`
	GGUFFile      types.String `tfsdk:"gguf_file"`
	RunMode       types.String `tfsdk:"run_mode"`
	ImageRef      types.String `tfsdk:"image_ref"`
	ComputeType   types.String `tfsdk:"compute_type"`
	LabelSelector types.Map    `tfsdk:"label_selector"`
	CPU           types.String `tfsdk:"cpu"`
	InferenceSet  types.Bool   `tfsdk:"inference_set"`
}

var (
	disaggregatedTypes = map[string]attr.Type{
		"prefill_replicas": types.Int64Type, "prefill_gpus": types.Int64Type,
		"decode_replicas": types.Int64Type, "decode_gpus": types.Int64Type,
	}
	kubeRayTypes = map[string]attr.Type{
		"image": types.StringType, "head_cpu": types.StringType, "head_memory": types.StringType,
		"worker_cpu": types.StringType, "worker_memory": types.StringType, "tensor_parallel": types.Int64Type,
		"pipeline_parallel": types.Int64Type, "gpu_memory_utilization": types.Float64Type, "max_num_seqs": types.Int64Type,
		"min_replicas": types.Int64Type, "max_replicas": types.Int64Type, "enable_chunked_prefill": types.BoolType,
		"kv_connector": types.StringType, "accelerator_type": types.StringType,
	}
	dynamoTypes = map[string]attr.Type{"api_version": types.StringType}
	vllmTypes   = map[string]attr.Type{
		"nodes": types.Int64Type, "tensor_parallel": types.Int64Type, "pipeline_parallel": types.Int64Type, "shared_memory": types.StringType,
	}
	kaitoTypes = map[string]attr.Type{
		"model_source": types.StringType, "premade_model": types.StringType, "gguf_file": types.StringType,
		"run_mode": types.StringType, "image_ref": types.StringType, "compute_type": types.StringType,
		"label_selector": types.MapType{ElemType: types.StringType}, "cpu": types.StringType, "inference_set": types.BoolType,
	}
)

// Known-value helpers: unknown and null both mean "not set by the user".
func strOf(v types.String) string { return v.ValueString() }

func intPtr(v types.Int64) *int64 {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	x := v.ValueInt64()
	return &x
}

func boolPtr(v types.Bool) *bool {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	x := v.ValueBool()
	return &x
}

func floatPtr(v types.Float64) *float64 {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	x := v.ValueFloat64()
	return &x
}

func stringMap(m types.Map) map[string]string {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	// Element by element: a value not known yet (a variable at validation) is skipped
	// instead of failing the decode.
	out := map[string]string{}
	for k, v := range m.Elements() {
		if s, ok := v.(types.String); ok && !s.IsUnknown() && !s.IsNull() {
			out[k] = s.ValueString()
		}
	}
	return out
}

func objectAs[T any](ctx context.Context, o types.Object, diags *diag.Diagnostics) *T {
	if o.IsNull() || o.IsUnknown() {
		return nil
	}
	var v T
	diags.Append(o.As(ctx, &v, basetypes.ObjectAsOptions{UnhandledNullAsEmpty: true, UnhandledUnknownAsEmpty: true})...)
	return &v
}

// toConfig turns the user's settings into a runtime config. Unset values stay unset so the
// runtime's Defaults can fill them. hfSecret is the Secret name to reference, if any.
func (m model) toConfig(ctx context.Context, hub string, diags *diag.Diagnostics) rt.DeploymentConfig {
	cfg := rt.DeploymentConfig{
		Name:                strOf(m.Name),
		Namespace:           strOf(m.Namespace),
		Runtime:             strOf(m.Runtime),
		Model:               strOf(m.Model),
		Engine:              rt.Engine(strOf(m.Engine)),
		Mode:                rt.Mode(strOf(m.Mode)),
		ServedModelName:     strOf(m.ServedModelName),
		RouterMode:          rt.RouterMode(strOf(m.RouterMode)),
		Replicas:            intPtr(m.Replicas),
		GPUs:                intPtr(m.GPUs),
		Memory:              strOf(m.Memory),
		ContextLength:       intPtr(m.ContextLength),
		EnforceEager:        boolPtr(m.EnforceEager),
		EnablePrefixCaching: boolPtr(m.EnablePrefixCaching),
		TrustRemoteCode:     m.TrustRemoteCode.ValueBool(),
		EngineArgs:          stringMap(m.EngineArgs),
		HFTokenSecret:       strOf(m.HFTokenSecret),
		Workload:            m.workload(ctx, hub, diags),
		Gateway:             m.gatewayConfig(ctx, diags),
		Autoscaling:         m.autoscalingSpec(ctx, diags),
	}
	if d := objectAs[disaggregatedModel](ctx, m.Disaggregated, diags); d != nil {
		cfg.Disaggregated = &rt.DisaggregatedConfig{PrefillReplicas: intPtr(d.PrefillReplicas), PrefillGPUs: intPtr(d.PrefillGPUs),
			DecodeReplicas: intPtr(d.DecodeReplicas), DecodeGPUs: intPtr(d.DecodeGPUs)}
	}
	if k := objectAs[kubeRayModel](ctx, m.KubeRay, diags); k != nil {
		cfg.KubeRay = &rt.KubeRayConfig{Image: strOf(k.Image), HeadCPU: strOf(k.HeadCPU), HeadMemory: strOf(k.HeadMemory),
			WorkerCPU: strOf(k.WorkerCPU), WorkerMemory: strOf(k.WorkerMemory), TensorParallel: intPtr(k.TensorParallel),
			PipelineParallel: intPtr(k.PipelineParallel), GPUMemoryUtilization: floatPtr(k.GPUMemoryUtilization),
			MaxNumSeqs: intPtr(k.MaxNumSeqs), MinReplicas: intPtr(k.MinReplicas), MaxReplicas: intPtr(k.MaxReplicas),
			EnableChunkedPrefill: boolPtr(k.EnableChunkedPrefill), KVConnector: strOf(k.KVConnector), AcceleratorType: strOf(k.AcceleratorType)}
	}
	if k := objectAs[kaitoModel](ctx, m.KAITO, diags); k != nil {
		cfg.KAITO = &rt.KaitoConfig{ModelSource: strOf(k.ModelSource), PremadeModel: strOf(k.PremadeModel), GGUFFile: strOf(k.GGUFFile),
			RunMode: strOf(k.RunMode), ImageRef: strOf(k.ImageRef), ComputeType: strOf(k.ComputeType),
			LabelSelector: stringMap(k.LabelSelector), CPU: strOf(k.CPU), InferenceSet: boolPtr(k.InferenceSet)}
	}
	if d := objectAs[dynamoModel](ctx, m.Dynamo, diags); d != nil {
		cfg.Dynamo = &rt.DynamoConfig{APIVersion: strOf(d.APIVersion)}
	}
	if v := objectAs[vllmModel](ctx, m.VLLM, diags); v != nil {
		cfg.VLLM = &rt.VLLMConfig{Nodes: intPtr(v.Nodes), TensorParallel: intPtr(v.TensorParallel),
			PipelineParallel: intPtr(v.PipelineParallel), SharedMemory: strOf(v.SharedMemory)}
	}
	cfg.KServe = m.kserveConfig(ctx, diags)
	return cfg
}

func optStr(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func optInt64(p *int64) types.Int64 {
	if p == nil {
		return types.Int64Null()
	}
	return types.Int64Value(*p)
}

func optBoolValue(p *bool) types.Bool {
	if p == nil {
		return types.BoolNull()
	}
	return types.BoolValue(*p)
}

func optFloat(p *float64) types.Float64 {
	if p == nil {
		return types.Float64Null()
	}
	return types.Float64Value(*p)
}

func mapValue(m map[string]string) types.Map {
	if len(m) == 0 {
		return types.MapNull(types.StringType)
	}
	vals := map[string]attr.Value{}
	for k, v := range m {
		vals[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, vals)
}

// setConfig writes a defaulted runtime config into the model's user-facing attributes.
func (m *model) setConfig(cfg rt.DeploymentConfig) {
	m.Name = types.StringValue(cfg.Name)
	m.Namespace = types.StringValue(cfg.Namespace)
	m.Runtime = types.StringValue(cfg.Runtime)
	m.Model = types.StringValue(cfg.Model)
	m.Engine = optStr(string(cfg.Engine))
	m.Mode = optStr(string(cfg.Mode))
	m.ServedModelName = optStr(cfg.ServedModelName)
	m.RouterMode = optStr(string(cfg.RouterMode))
	m.Replicas = optInt64(cfg.Replicas)
	m.GPUs = optInt64(cfg.GPUs)
	m.Memory = optStr(cfg.Memory)
	m.ContextLength = optInt64(cfg.ContextLength)
	m.EnforceEager = optBoolValue(cfg.EnforceEager)
	m.EnablePrefixCaching = optBoolValue(cfg.EnablePrefixCaching)
	m.TrustRemoteCode = types.BoolValue(cfg.TrustRemoteCode)
	m.EngineArgs = mapValue(cfg.EngineArgs)
	if m.HFTokenWOVersion.IsNull() {
		m.HFTokenSecret = optStr(cfg.HFTokenSecret)
	} else {
		m.HFTokenSecret = types.StringValue(cfg.HFTokenSecret)
	}

	m.Disaggregated = types.ObjectNull(disaggregatedTypes)
	if d := cfg.Disaggregated; d != nil {
		m.Disaggregated = types.ObjectValueMust(disaggregatedTypes, map[string]attr.Value{
			"prefill_replicas": optInt64(d.PrefillReplicas), "prefill_gpus": optInt64(d.PrefillGPUs),
			"decode_replicas": optInt64(d.DecodeReplicas), "decode_gpus": optInt64(d.DecodeGPUs),
		})
	}
	m.KubeRay = types.ObjectNull(kubeRayTypes)
	if k := cfg.KubeRay; k != nil {
		m.KubeRay = types.ObjectValueMust(kubeRayTypes, map[string]attr.Value{
			"image": optStr(k.Image), "head_cpu": optStr(k.HeadCPU), "head_memory": optStr(k.HeadMemory),
			"worker_cpu": optStr(k.WorkerCPU), "worker_memory": optStr(k.WorkerMemory),
			"tensor_parallel": optInt64(k.TensorParallel), "pipeline_parallel": optInt64(k.PipelineParallel),
			"gpu_memory_utilization": optFloat(k.GPUMemoryUtilization), "max_num_seqs": optInt64(k.MaxNumSeqs),
			"min_replicas": optInt64(k.MinReplicas), "max_replicas": optInt64(k.MaxReplicas),
			"enable_chunked_prefill": optBoolValue(k.EnableChunkedPrefill), "kv_connector": optStr(k.KVConnector),
			"accelerator_type": optStr(k.AcceleratorType),
		})
	}
	m.setDynamo(cfg)
	m.setVLLM(cfg)
	m.setKServe(cfg)
	m.setKAITO(cfg)
}

// setKAITO writes the kaito block (null for other runtimes).
func (m *model) setKAITO(cfg rt.DeploymentConfig) {
	m.KAITO = types.ObjectNull(kaitoTypes)
	if k := cfg.KAITO; k != nil {
		m.KAITO = types.ObjectValueMust(kaitoTypes, map[string]attr.Value{
			"model_source": optStr(k.ModelSource), "premade_model": optStr(k.PremadeModel), "gguf_file": optStr(k.GGUFFile),
			"run_mode": optStr(k.RunMode), "image_ref": optStr(k.ImageRef), "compute_type": optStr(k.ComputeType),
			"label_selector": mapValue(k.LabelSelector), "cpu": optStr(k.CPU), "inference_set": optBoolValue(k.InferenceSet),
		})
	}
}

// setDynamo writes the dynamo block (null for other runtimes).
func (m *model) setDynamo(cfg rt.DeploymentConfig) {
	m.Dynamo = types.ObjectNull(dynamoTypes)
	if d := cfg.Dynamo; d != nil {
		m.Dynamo = types.ObjectValueMust(dynamoTypes, map[string]attr.Value{"api_version": optStr(d.APIVersion)})
	}
}

// setVLLM writes the vllm block (null for other runtimes).
func (m *model) setVLLM(cfg rt.DeploymentConfig) {
	m.VLLM = types.ObjectNull(vllmTypes)
	if v := cfg.VLLM; v != nil {
		m.VLLM = types.ObjectValueMust(vllmTypes, map[string]attr.Value{
			"nodes": optInt64(v.Nodes), "tensor_parallel": optInt64(v.TensorParallel),
			"pipeline_parallel": optInt64(v.PipelineParallel), "shared_memory": optStr(v.SharedMemory),
		})
	}
}

// setStatus records the observed status.
func (m *model) setStatus(st rt.Status) {
	m.Phase = types.StringValue(string(st.Phase))
	m.StatusMessage = types.StringValue(st.Message)
	m.Desired = types.Int64Value(st.Desired)
	m.Ready = types.Int64Value(st.Ready)
	m.Available = types.Int64Value(st.Available)
}
