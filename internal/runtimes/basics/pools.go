package basics

import "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"

// DefaultPools sizes unset pools at one replica of one GPU: replicas and gpus describe the
// one worker pool of aggregated mode; disaggregated mode sizes its prefill and decode pools
// in the disaggregated block instead.
func DefaultPools(cfg *runtimes.DeploymentConfig) {
	if cfg.Mode != runtimes.ModeDisaggregated {
		runtimes.SetDefault(&cfg.Replicas, 1)
		runtimes.SetDefault(&cfg.GPUs, 1)
		return
	}
	if cfg.Disaggregated == nil {
		cfg.Disaggregated = &runtimes.DisaggregatedConfig{}
	}
	d := cfg.Disaggregated
	runtimes.SetDefault(&d.PrefillReplicas, 1)
	runtimes.SetDefault(&d.DecodeReplicas, 1)
	runtimes.SetDefault(&d.PrefillGPUs, 1)
	runtimes.SetDefault(&d.DecodeGPUs, 1)
}

// CheckAggregated checks the one worker pool of aggregated mode: replicas and gpus set (at
// least one GPU) and no disaggregated block. gpusOf names what one gpus count equips, in
// the runtime's words ("worker", "pod", "model server").
func CheckAggregated(ps *runtimes.Problems, cfg runtimes.DeploymentConfig, gpusOf string) {
	if cfg.Disaggregated != nil {
		ps.Add("disaggregated", "only valid with mode = \"disaggregated\": remove the block or change the mode")
	}
	if cfg.Replicas == nil {
		ps.Add("replicas", "must be set (between %d and %d)", runtimes.MinReplicas, runtimes.MaxReplicas)
	}
	if cfg.GPUs == nil {
		ps.Add("gpus", "must be set to the number of GPUs per %s (at least 1)", gpusOf)
	}
	runtimes.CheckAtLeast(ps, "gpus", cfg.GPUs, 1)
}

// CheckDisaggregated checks the prefill and decode pools of disaggregated mode: the
// disaggregated block with every pool's replicas (within the replica bounds) and GPUs (at
// least 1), and no replicas or gpus, which size only the aggregated pool.
func CheckDisaggregated(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	if cfg.Replicas != nil {
		ps.Add("replicas", "not used in disaggregated mode: set disaggregated.prefill_replicas and disaggregated.decode_replicas instead")
	}
	if cfg.GPUs != nil {
		ps.Add("gpus", "not used in disaggregated mode: set disaggregated.prefill_gpus and disaggregated.decode_gpus instead")
	}
	d := cfg.Disaggregated
	if d == nil {
		ps.Add("disaggregated", "must be set in disaggregated mode (prefill and decode replicas and GPUs)")
		return
	}
	for _, f := range []struct {
		path  string
		v     *int64
		isGPU bool
	}{
		{"disaggregated.prefill_replicas", d.PrefillReplicas, false},
		{"disaggregated.decode_replicas", d.DecodeReplicas, false},
		{"disaggregated.prefill_gpus", d.PrefillGPUs, true},
		{"disaggregated.decode_gpus", d.DecodeGPUs, true},
	} {
		switch {
		case f.v == nil:
			ps.Add(f.path, "must be set")
		case f.isGPU:
			runtimes.CheckAtLeast(ps, f.path, f.v, 1)
		default:
			runtimes.CheckRange(ps, f.path, f.v, runtimes.MinReplicas, runtimes.MaxReplicas)
		}
	}
}
