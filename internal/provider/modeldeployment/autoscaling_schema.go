package modeldeployment

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/autoscaling"
)

// autoscalingInputs are the autoscaling attributes a user sets.
var autoscalingInputs = []string{"autoscaling"}

// autoscalingAttributes is the `autoscaling` attribute of kubefoundry_model_deployment. It is
// plain Optional: what it renders (the adapter opt-in, Ray's bounds) is in `manifest`, and the
// HPAs / ScaledObjects are in `companion_manifests`, both drift-checked.
func autoscalingAttributes() map[string]schema.Attribute {
	role := func(which string) schema.SingleNestedAttribute {
		return schema.SingleNestedAttribute{
			Optional:            true,
			MarkdownDescription: which,
			Attributes: map[string]schema.Attribute{
				"min_replicas": schema.Int64Attribute{Required: true, MarkdownDescription: "Fewest worker replicas (at least 1)."},
				"max_replicas": schema.Int64Attribute{Required: true, MarkdownDescription: "Most worker replicas (at least `min_replicas`)."},
				"cpu_utilization": schema.Int64Attribute{Optional: true, MarkdownDescription: "Dynamo: HPA target, average CPU use as a percent " +
					"of the pods' CPU request (the role needs `resources.cpu`)."},
				"memory_utilization": schema.Int64Attribute{Optional: true, MarkdownDescription: "Dynamo: HPA target, average memory use as a " +
					"percent of the pods' memory request (needs `memory`)."},
				"prometheus": schema.SingleNestedAttribute{
					Optional: true,
					MarkdownDescription: "Dynamo: scale on an engine metric through a KEDA ScaledObject with the Prometheus scaler (KEDA must be " +
						"installed), e.g. vLLM's waiting requests. Not together with `cpu_utilization`/`memory_utilization`.",
					Attributes: map[string]schema.Attribute{
						"server_address": schema.StringAttribute{Required: true, MarkdownDescription: "Prometheus URL, e.g. `http://prometheus.monitoring:9090`."},
						"query":          schema.StringAttribute{Required: true, MarkdownDescription: "PromQL query returning one number for the pool."},
						"threshold": schema.StringAttribute{Required: true, MarkdownDescription: "Target value of the query per replica, e.g. `5`: " +
							"KEDA scales to ceil(value / threshold) replicas."},
						"activation_threshold": schema.StringAttribute{Optional: true, MarkdownDescription: "Below this value the scaler counts as inactive. Default 0."},
					},
				},
				"scale_down_stabilization_seconds": schema.Int64Attribute{Optional: true, MarkdownDescription: "Dynamo: how long the " +
					"autoscaler waits, after load drops, before removing replicas (the HPA's `behavior.scaleDown.stabilizationWindowSeconds`, " +
					"0 to 3600). Default: the HPA's 300 seconds."},
				"target_ongoing_requests": schema.Float64Attribute{Optional: true, MarkdownDescription: "KubeRay: Ray Serve's target of " +
					"ongoing requests per replica (`autoscaling_config.target_ongoing_requests`). Default: Ray Serve's."},
			},
		}
	}
	return map[string]schema.Attribute{
		"autoscaling": schema.SingleNestedAttribute{
			Optional: true,
			MarkdownDescription: "Scale the workers with load, per worker pool. Dynamo (v1beta1): each pool's component gets its " +
				"DynamoGraphDeploymentScalingAdapter and an HPA (`autoscaling/v2`, CPU/memory utilization) or a KEDA ScaledObject (`prometheus`) " +
				"scaling it. KubeRay: the Ray autoscaler (`enableInTreeAutoscaling`) sizes each worker group between the bounds, Ray Serve " +
				"sizes the application. KAITO: not supported. While autoscaled, `replicas` is the starting size and the autoscaler's changes " +
				"are not drift; enabling it on a running deployment keeps its current size. Removing the block returns the pools to `replicas`.",
			Attributes: map[string]schema.Attribute{
				"worker":  role("The worker pool in aggregated mode."),
				"prefill": role("The prefill pool in disaggregated mode."),
				"decode":  role("The decode pool in disaggregated mode."),
			},
		},
	}
}

type autoscalingModel struct {
	Worker  types.Object `tfsdk:"worker"`
	Prefill types.Object `tfsdk:"prefill"`
	Decode  types.Object `tfsdk:"decode"`
}

type autoscalingRoleModel struct {
	MinReplicas            types.Int64   `tfsdk:"min_replicas"`
	MaxReplicas            types.Int64   `tfsdk:"max_replicas"`
	CPUUtilization         types.Int64   `tfsdk:"cpu_utilization"`
	MemoryUtilization      types.Int64   `tfsdk:"memory_utilization"`
	Prometheus             types.Object  `tfsdk:"prometheus"`
	TargetOngoingRequests  types.Float64 `tfsdk:"target_ongoing_requests"`
	ScaleDownStabilization types.Int64   `tfsdk:"scale_down_stabilization_seconds"`
}

type prometheusModel struct {
	ServerAddress       types.String `tfsdk:"server_address"`
	Query               types.String `tfsdk:"query"`
	Threshold           types.String `tfsdk:"threshold"`
	ActivationThreshold types.String `tfsdk:"activation_threshold"`
}

// autoscalingSpec converts the attribute; nil when unset, so the manifests stay as before.
func (m model) autoscalingSpec(ctx context.Context, diags *diag.Diagnostics) *autoscaling.Spec {
	a := objectAs[autoscalingModel](ctx, m.Autoscaling, diags)
	if a == nil {
		return nil
	}
	role := func(o types.Object) *autoscaling.Role {
		r := objectAs[autoscalingRoleModel](ctx, o, diags)
		if r == nil {
			return nil
		}
		out := &autoscaling.Role{MinReplicas: r.MinReplicas.ValueInt64(), MaxReplicas: r.MaxReplicas.ValueInt64(),
			CPUUtilization: intPtr(r.CPUUtilization), MemoryUtilization: intPtr(r.MemoryUtilization),
			TargetOngoingRequests: floatPtr(r.TargetOngoingRequests), ScaleDownStabilizationSeconds: intPtr(r.ScaleDownStabilization)}
		if p := objectAs[prometheusModel](ctx, r.Prometheus, diags); p != nil {
			out.Prometheus = &autoscaling.Prometheus{ServerAddress: strOf(p.ServerAddress), Query: strOf(p.Query),
				Threshold: strOf(p.Threshold), ActivationThreshold: strOf(p.ActivationThreshold)}
		}
		return out
	}
	return &autoscaling.Spec{Worker: role(a.Worker), Prefill: role(a.Prefill), Decode: role(a.Decode)}
}
