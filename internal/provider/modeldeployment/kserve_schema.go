package modeldeployment

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// kserveModel is the kserve block (runtime "kserve": a KServe LLMInferenceService).
type kserveModel struct {
	APIVersion        types.String `tfsdk:"api_version"`
	TensorParallel    types.Int64  `tfsdk:"tensor_parallel"`
	PipelineParallel  types.Int64  `tfsdk:"pipeline_parallel"`
	DataParallel      types.Int64  `tfsdk:"data_parallel"`
	DataLocalParallel types.Int64  `tfsdk:"data_local_parallel"`
	ExpertParallel    types.Bool   `tfsdk:"expert_parallel"`
	Scheduler         types.Bool   `tfsdk:"scheduler"`
}

var kserveTypes = map[string]attr.Type{
	"api_version": types.StringType, "tensor_parallel": types.Int64Type, "pipeline_parallel": types.Int64Type,
	"data_parallel": types.Int64Type, "data_local_parallel": types.Int64Type, "expert_parallel": types.BoolType,
	"scheduler": types.BoolType,
}

func kserveAttribute() schema.Attribute {
	return schema.SingleNestedAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "KServe `LLMInferenceService` settings; only with `runtime = \"kserve\"` (KServe 0.19). The model is served from " +
			"`hf://<model>` by KServe's vLLM presets; `mode = \"disaggregated\"` adds a prefill pool (`spec.prefill`), and the `gateway` block " +
			"a managed HTTPRoute on the named Gateways. See the [KServe guide](../guides/kserve.md).",
		Attributes: map[string]schema.Attribute{
			"api_version": optString("`LLMInferenceService` API version: `v1alpha2` (default; KServe 0.19 and later) or `v1alpha1` for clusters "+
				"that serve only that. Checked against the cluster at apply.", stringvalidator.OneOf("v1alpha2", "v1alpha1")),
			"tensor_parallel": optInt("`spec.parallelism.tensor` (`--tensor-parallel-size`) of the main (decode) pods. `tensor_parallel` x " +
				"`pipeline_parallel` x `data_local_parallel` must equal the GPUs of a pod. Default: every GPU of the pod. The prefill pool " +
				"uses all of its `disaggregated.prefill_gpus`."),
			"pipeline_parallel": optInt("`spec.parallelism.pipeline` on one node. Cannot be combined with data parallelism. A change replaces the deployment " +
				"(KServe's webhook keeps the parallelism size immutable)."),
			"data_parallel": optInt("`spec.parallelism.data`: data-parallel ranks of one replica in all. With `data_local_parallel` ranks per pod, " +
				"`data_parallel` / `data_local_parallel` > 1 spans pods: KServe renders `spec.worker` and runs a LeaderWorkerSet of that many pods " +
				"(install LWS with `kubefoundry_runtime_install` and `runtime = \"vllm\"`). A change of that ratio replaces the deployment."),
			"data_local_parallel": optInt("`spec.parallelism.dataLocal`: data-parallel ranks per pod. Set together with `data_parallel`."),
			"expert_parallel":     optBool("`spec.parallelism.expert` (`--enable-expert-parallel`, mixture-of-experts models). Default false."),
			"scheduler": optBool("`spec.router.scheduler`: KServe runs llm-d's inference scheduler (endpoint picker) with an InferencePool, and " +
				"the managed route targets the pool. Required for `mode = \"disaggregated\"`. Default: true when the `gateway` block routes through an " +
				"inference pool, false otherwise."),
		},
	}
}

// kserveConfig reads the kserve block.
func (m model) kserveConfig(ctx context.Context, diags *diag.Diagnostics) *rt.KServeConfig {
	k := objectAs[kserveModel](ctx, m.KServe, diags)
	if k == nil {
		return nil
	}
	return &rt.KServeConfig{APIVersion: strOf(k.APIVersion), TensorParallel: intPtr(k.TensorParallel), PipelineParallel: intPtr(k.PipelineParallel),
		DataParallel: intPtr(k.DataParallel), DataLocalParallel: intPtr(k.DataLocalParallel), ExpertParallel: boolPtr(k.ExpertParallel),
		Scheduler: boolPtr(k.Scheduler)}
}

// setKServe writes the kserve block (null for other runtimes).
func (m *model) setKServe(cfg rt.DeploymentConfig) {
	m.KServe = types.ObjectNull(kserveTypes)
	if k := cfg.KServe; k != nil {
		m.KServe = types.ObjectValueMust(kserveTypes, map[string]attr.Value{
			"api_version": optStr(k.APIVersion), "tensor_parallel": optInt64(k.TensorParallel), "pipeline_parallel": optInt64(k.PipelineParallel),
			"data_parallel": optInt64(k.DataParallel), "data_local_parallel": optInt64(k.DataLocalParallel),
			"expert_parallel": optBoolValue(k.ExpertParallel), "scheduler": optBoolValue(k.Scheduler),
		})
	}
}
