// Package basics holds the defaults and checks several runtimes share, so each runtime
// package states only the rules that are its own: the basic fields of a config and the pod
// pools of aggregated and disaggregated mode (dynamo, kserve, kuberay, llmd, vllm), other
// runtimes' blocks, and the vLLM option flags (also kaito's vLLM workspaces). It imports
// internal/runtimes and nothing below it.
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

// RefuseOtherBlocks reports each of the named runtime blocks ("kuberay", "kaito", "vllm",
// "kserve") that is set: it configures another runtime, which this one would ignore.
func RefuseOtherBlocks(ps *runtimes.Problems, cfg runtimes.DeploymentConfig, blocks ...string) {
	set := map[string]bool{"kuberay": cfg.KubeRay != nil, "kaito": cfg.KAITO != nil, "vllm": cfg.VLLM != nil, "kserve": cfg.KServe != nil}
	for _, b := range blocks {
		if set[b] {
			ps.Add(b, "the %s block only applies to runtime %q: remove it", b, b)
		}
	}
}
