package testcluster

// LLMDRouterDir returns the directory scripts/llmd-router-build.sh fills from the llm-d router
// v0.10.0 archive in ../shared/operators: llmd-epp (the endpoint picker), crds/ (llm-d.ai
// InferenceObjective and InferenceModelRewrite) and charts/ (llm-d-router-standalone,
// llm-d-router-gateway, routerlib; chart versions are 0.0.0 placeholders in the source).
// $KUBEFOUNDRY_LLMD_ROUTER_DIR overrides it. chartsOnly skips the endpoint picker build.
func LLMDRouterDir(chartsOnly bool) (string, error) {
	var args []string
	if chartsOnly {
		args = []string{"charts"}
	}
	return scriptDir("KUBEFOUNDRY_LLMD_ROUTER_DIR", "the llm-d router", "llmd-router-build.sh", args...)
}
