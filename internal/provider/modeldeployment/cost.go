package modeldeployment

import (
	"context"
	"math"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/capacity"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/cost"
)

// Node labels that name a GPU (and sometimes the cloud), in the order they are trusted.
const (
	labelInstanceType       = "node.kubernetes.io/instance-type"
	labelInstanceTypeBeta   = "beta.kubernetes.io/instance-type"
	labelGKEAccelerator     = "cloud.google.com/gke-accelerator"
	labelKarpenterGPUName   = "karpenter.k8s.aws/instance-gpu-name"
	labelKarpenterGPUMemory = "karpenter.k8s.aws/instance-gpu-memory"
)

// gpuPool is the GPUs one group of workers holds and the node labels they are placed by.
type gpuPool struct {
	gpus     int64
	selector map[string]string
	// accelerator is a Ray accelerator type (KubeRay's accelerator_type), e.g. "A10G".
	accelerator string
}

// gpuPools splits a deployment's GPUs by the role whose node selector places them.
func gpuPools(cfg rt.DeploymentConfig) []gpuPool {
	selector := func(role string) map[string]string {
		if cfg.KAITO != nil && len(cfg.KAITO.LabelSelector) > 0 {
			return cfg.KAITO.LabelSelector
		}
		return cfg.Workload.For(role).NodeSelector
	}
	accel := ""
	if cfg.KubeRay != nil {
		accel = cfg.KubeRay.AcceleratorType
	}
	d := demandOf(cfg)
	if cfg.Mode == rt.ModeDisaggregated && cfg.Disaggregated != nil {
		dis := cfg.Disaggregated
		return []gpuPool{
			{gpus: rt.Deref(dis.PrefillReplicas) * rt.Deref(dis.PrefillGPUs), selector: selector(rt.RolePrefill), accelerator: accel},
			{gpus: rt.Deref(dis.DecodeReplicas) * rt.Deref(dis.DecodeGPUs), selector: selector(rt.RoleDecode), accelerator: accel},
		}
	}
	return []gpuPool{{gpus: d.total, selector: selector(rt.RoleWorker), accelerator: accel}}
}

// gpuFromSelector names the GPU (and the cloud, when the label says) the selector pins.
func gpuFromSelector(sel map[string]string, accelerator string) (gpu, cloud string) {
	for _, l := range []string{labelInstanceType, labelInstanceTypeBeta} {
		if c, g, ok := cost.Instance(sel[l]); ok && g != "" {
			return g, c
		}
	}
	if g, ok := cost.GPUKey(sel[capacity.LabelGPUProduct]); ok {
		return g, ""
	}
	if g, ok := cost.GPUKey(sel[labelGKEAccelerator]); ok {
		return g, "gcp"
	}
	if name := sel[labelKarpenterGPUName]; name != "" {
		// Karpenter names the chip only ("a100"); its memory label (MiB) tells the A100 sizes apart.
		if mib, err := strconv.Atoi(sel[labelKarpenterGPUMemory]); err == nil && strings.EqualFold(name, "a100") {
			name = map[bool]string{true: "a100-80gb", false: "a100-40gb"}[mib > 60*1024]
		}
		if g, ok := cost.GPUKey(name); ok {
			return g, "aws"
		}
	}
	if g, ok := cost.GPUKey(accelerator); ok {
		return g, ""
	}
	return "", ""
}

// clusterGPU is the product of the cluster's GPU nodes when they are all one product.
func (r *deploymentResource) clusterGPU(ctx context.Context) string {
	if r.data == nil || r.data.Kube == nil {
		return ""
	}
	client, err := r.data.Kube.Client(ctx)
	if err != nil {
		return ""
	}
	sum, err := clusterCapacity(ctx, client)
	if err != nil {
		tflog.Debug(ctx, "GPU type for estimated_hourly_cost not read from the cluster", map[string]any{"error": err.Error()})
		return ""
	}
	product := ""
	for _, n := range sum.Nodes {
		if n.Product == "" || product != "" && n.Product != product {
			return ""
		}
		product = n.Product
	}
	return product
}

// estimatedHourlyCost prices the GPUs a deployment holds: null when a pool's GPU type or its
// price is not known, 0 for a deployment without GPUs.
func (r *deploymentResource) estimatedHourlyCost(ctx context.Context, cfg rt.DeploymentConfig) types.Float64 {
	pricing := cost.Pricing{}
	if r.data != nil {
		pricing = r.data.Pricing
	}
	total, fromCluster := 0.0, ""
	for _, p := range gpuPools(cfg) {
		if p.gpus <= 0 {
			continue
		}
		gpu, cloud := gpuFromSelector(p.selector, p.accelerator)
		if gpu == "" {
			if fromCluster == "" {
				fromCluster = r.clusterGPU(ctx)
			}
			gpu = fromCluster
		}
		if gpu == "" {
			return types.Float64Null()
		}
		q, err := pricing.Quote(gpu, cloud)
		if err != nil {
			tflog.Debug(ctx, "no price for estimated_hourly_cost", map[string]any{"gpu": gpu, "error": err.Error()})
			return types.Float64Null()
		}
		total += cost.Hourly(q.PerGPUHour, int(p.gpus))
	}
	return types.Float64Value(math.Round(total*1e4) / 1e4)
}
