package modeldeployment

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/capacity"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/catalog"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// gpuDemand is what a deployment asks of the cluster: GPUs in total and on one node, and
// the model's estimated weight memory (0 when the size is not known offline).
// perWorker is the widest worker (it must fit one node); narrowest the smallest one (it
// must still hold the model).
type gpuDemand struct{ total, perWorker, narrowest, modelGB int64 }

func demandOf(cfg rt.DeploymentConfig) gpuDemand {
	// The size comes from the model id (e.g. "…-8B-…"): no Hub request at plan.
	modelGB := catalog.EstimateGPUMemoryGB(float64(catalog.ParseParameterCount(cfg.Model)))
	gpus := rt.Deref(cfg.GPUs)
	if cfg.Mode == rt.ModeDisaggregated && cfg.Disaggregated != nil {
		d := cfg.Disaggregated
		pg, dg := rt.Deref(d.PrefillGPUs), rt.Deref(d.DecodeGPUs)
		return gpuDemand{total: rt.Deref(d.PrefillReplicas)*pg + rt.Deref(d.DecodeReplicas)*dg, perWorker: max(pg, dg), narrowest: min(pg, dg), modelGB: modelGB}
	}
	if cfg.VLLM != nil && rt.Deref(cfg.VLLM.Nodes) > 1 { // one replica spans nodes pods of gpus GPUs each
		perReplica := gpus * rt.Deref(cfg.VLLM.Nodes)
		return gpuDemand{total: rt.Deref(cfg.Replicas) * perReplica, perWorker: gpus, narrowest: perReplica, modelGB: modelGB}
	}
	if k := cfg.KServe; k != nil && rt.Deref(k.DataLocalParallel) > 0 && rt.Deref(k.DataParallel) > *k.DataLocalParallel {
		// KServe data parallel across pods: data / data_local pods of gpus GPUs per replica.
		perReplica := gpus * (*k.DataParallel / *k.DataLocalParallel)
		return gpuDemand{total: rt.Deref(cfg.Replicas) * perReplica, perWorker: gpus, narrowest: perReplica, modelGB: modelGB}
	}
	return gpuDemand{total: rt.Deref(cfg.Replicas) * gpus, perWorker: gpus, narrowest: gpus, modelGB: modelGB}
}

// fitProblems compares a demand with the cluster's free GPUs.
func fitProblems(d gpuDemand, s capacity.Summary) []string {
	var out []string
	if d.total > s.Available {
		out = append(out, fmt.Sprintf("the deployment needs %d GPUs in total but only %d are free (%d allocatable on %d GPU nodes)",
			d.total, s.Available, s.Total, len(s.Nodes)))
	}
	if d.perWorker > s.MaxContiguousAvailable {
		out = append(out, fmt.Sprintf("one worker needs %d GPUs on a single node but at most %d are free on any node",
			d.perWorker, s.MaxContiguousAvailable))
	}
	if d.modelGB > 0 && s.GPUMemoryGB > 0 && d.modelGB > d.narrowest*s.GPUMemoryGB {
		out = append(out, fmt.Sprintf("the model needs about %d GB of GPU memory for its weights, more than %d GPU(s) × %d GB per worker",
			d.modelGB, d.narrowest, s.GPUMemoryGB))
	}
	return out
}

// checkGPUFit warns (or errors) at plan when the workers cannot fit the cluster's free
// GPUs. It runs only when the cluster is configured and reachable; plans never need it.
func (r *deploymentResource) checkGPUFit(ctx context.Context, cfg rt.DeploymentConfig, mode string, diags *diag.Diagnostics) {
	d := demandOf(cfg)
	if mode == "off" || d.total == 0 || r.data == nil || r.data.Kube == nil {
		return
	}
	client, err := r.data.Kube.Client(ctx)
	if err != nil {
		return
	}
	sum, err := clusterCapacity(ctx, client)
	if err != nil {
		tflog.Debug(ctx, "GPU fit check skipped", map[string]any{"error": err.Error()})
		return
	}
	for _, p := range fitProblems(d, sum) {
		msg := p + ". Reduce `gpus`/`replicas`, add GPU nodes, or set `gpu_fit_check = \"off\"` if an autoscaler will add them."
		if mode == "error" {
			diags.AddAttributeError(path.Root("gpus"), "Model deployment does not fit the cluster's GPUs", msg)
		} else {
			diags.AddAttributeWarning(path.Root("gpus"), "Model deployment may not fit the cluster's GPUs", msg)
		}
	}
}

// capacityTTL bounds how long one capacity read serves the fit checks of a plan: a plan of
// many deployments reads nodes and pods once, not once per deployment.
const capacityTTL = 30 * time.Second

var capacityCache struct {
	sync.Mutex
	client *kube.Client
	at     time.Time
	sum    capacity.Summary
}

func clusterCapacity(ctx context.Context, client *kube.Client) (capacity.Summary, error) {
	capacityCache.Lock()
	defer capacityCache.Unlock()
	if capacityCache.client == client && time.Since(capacityCache.at) < capacityTTL {
		return capacityCache.sum, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	sum, err := capacity.Read(ctx, client.Typed, "")
	if err != nil {
		return sum, err
	}
	capacityCache.client, capacityCache.at, capacityCache.sum = client, time.Now(), sum
	return sum, nil
}
