package modeldeployment

import (
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/cost"
)

// costAttributes are the read-only cost attributes of a deployment.
func costAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"estimated_hourly_cost": schema.Float64Attribute{Computed: true,
			MarkdownDescription: "USD per hour for the GPUs the workers hold (replicas x GPUs, per role when disaggregated), known at plan. " +
				"The GPU type comes from the workers' node selector (`pod`/`roles` `node_selector`, KAITO `label_selector`): " +
				"`node.kubernetes.io/instance-type` (also names the cloud), `nvidia.com/gpu.product`, `cloud.google.com/gke-accelerator`, " +
				"`karpenter.k8s.aws/instance-gpu-name`, or KubeRay's `accelerator_type`; without one, the cluster's GPU nodes when they are " +
				"all one product. The price is the provider's `pricing.gpu_hourly_prices`, else the built-in on-demand list price (" +
				cost.PricesAsOf + ") of the cloud the instance type or label names, else of `pricing.cloud`. " +
				"Null when the GPU type or its price is unknown; 0 without GPUs. Multiply by 730 for a month."},
	}
}
