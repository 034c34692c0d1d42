package runtimes

import "github.com/kubefoundry/terraform-provider-kubefoundry/internal/autoscaling"

// validateAutoscaling checks the autoscaling block against the deployment it scales.
func validateAutoscaling(ps *Problems, cfg DeploymentConfig, runtimeID string) {
	if cfg.Autoscaling == nil {
		return
	}
	d := autoscaling.Deployment{
		Runtime:       runtimeID,
		Disaggregated: cfg.Mode == ModeDisaggregated,
		Replicas:      map[string]int64{},
		CPURequest:    func(role string) bool { return cfg.Workload.For(role).CPU != "" },
		MemoryRequest: func(string) bool { return cfg.Memory != "" },
	}
	if cfg.Dynamo != nil {
		d.APIVersion = cfg.Dynamo.APIVersion
	}
	if k := cfg.KAITO; k != nil {
		// KAITO sets the CPU request with kaito.cpu (the workload's pod.resources.cpu is refused).
		d.KAITOInferenceSet = Deref(k.InferenceSet)
		d.CPURequest = func(string) bool { return k.CPU != "" }
	}
	if cfg.Replicas != nil {
		d.Replicas[autoscaling.RoleWorker] = *cfg.Replicas
	}
	if g := cfg.Disaggregated; g != nil {
		if g.PrefillReplicas != nil {
			d.Replicas[autoscaling.RolePrefill] = *g.PrefillReplicas
		}
		if g.DecodeReplicas != nil {
			d.Replicas[autoscaling.RoleDecode] = *g.DecodeReplicas
		}
	}
	for _, is := range autoscaling.Validate(cfg.Autoscaling, d) {
		ps.Add(is.Path, "%s", is.Message)
	}
}
