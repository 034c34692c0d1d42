// Package basics holds the defaults and checks the runtimes that serve vLLM-style
// deployments share (dynamo, kserve, kuberay, llmd, vllm): the basic fields of a config and
// the pod pools of aggregated and disaggregated mode, so each runtime package states only
// the rules that are its own. It imports internal/runtimes and nothing below it.
package basics

import "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"

// Defaults fills the fields every such runtime defaults alike when they are unset: the
// runtime id, engine vLLM, aggregated mode, no router, and the model id as served name
// (explicit, so Parse round-trips it).
func Defaults(cfg *runtimes.DeploymentConfig, runtimeID string) {
	if cfg.Runtime == "" {
		cfg.Runtime = runtimeID
	}
	if cfg.Engine == "" {
		cfg.Engine = runtimes.EngineVLLM
	}
	if cfg.Mode == "" {
		cfg.Mode = runtimes.ModeAggregated
	}
	if cfg.RouterMode == "" {
		cfg.RouterMode = runtimes.RouterNone
	}
	if cfg.ServedModelName == "" {
		cfg.ServedModelName = cfg.Model
	}
}
