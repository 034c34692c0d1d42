package modeldeployment

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/capacity"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// gpuDemand is what a deployment asks of the cluster: GPUs in total and on one node.
type gpuDemand struct{ total, perWorker int64 }

func demandOf(cfg rt.DeploymentConfig) gpuDemand {
	gpus := rt.Deref(cfg.GPUs)
	if cfg.Mode == rt.ModeDisaggregated && cfg.Disaggregated != nil {
		d := cfg.Disaggregated
		pg, dg := rt.Deref(d.PrefillGPUs), rt.Deref(d.DecodeGPUs)
		return gpuDemand{total: rt.Deref(d.PrefillReplicas)*pg + rt.Deref(d.DecodeReplicas)*dg, perWorker: max(pg, dg)}
	}
	return gpuDemand{total: rt.Deref(cfg.Replicas) * gpus, perWorker: gpus}
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
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	sum, _, err := capacity.Read(ctx, client.Typed, "")
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
