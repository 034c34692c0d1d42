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
