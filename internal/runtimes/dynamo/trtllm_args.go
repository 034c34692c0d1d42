package dynamo

import (
	"sort"
	"strings"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/engineflags"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// checkTRTLLMArgTable checks a trtllm.<path> entry against TensorRT-LLM's LLM arguments:
// dynamo.trtllm deep-merges the flags into the keyword arguments of tensorrt_llm.LLM
// (trtllm/workers/llm_worker.py, backend "pytorch"), whose TorchLlmArgs forbids unknown
// keys, so a misspelt path stops the worker at start. The table is the nearest to the
// 1.3.0rc23 the image runs (engineflags.EnginePins), so only the structure is checked.
func checkTRTLLMArgTable(ps *runtimes.Problems, cfg runtimes.DeploymentConfig, key, value string) {
	if autoDeploy(cfg) {
		return
	}
	if msg := engineflags.DynamoTRTLLMArgs().Check(strings.TrimPrefix(key, trtllmDynamicPrefix), value); msg != "" {
		ps.AddKey("engine_args", key, "%s", msg)
	}
}

// autoDeploy: trtllm.backend = "_autodeploy" makes dynamo.trtllm build AutoDeploy's LLM
// instead (trtllm/engine.py Backend), whose arguments no table here describes.
func autoDeploy(cfg runtimes.DeploymentConfig) bool {
	return cfg.EngineArgs[trtllmDynamicPrefix+"backend"] == "_autodeploy"
}

// RenderedTRTLLMArgs lists every TensorRT-LLM LLM argument the 1.4 renderer sets or
// reserves: the --trtllm.<path> flags it writes, and the LLM arguments of the dynamo.trtllm
// flags it renders or maps (llm_worker.py arg_map). Each must be a path of the TensorRT-LLM
// table (engineflags tests), or the renderer writes something the engine refuses.
func RenderedTRTLLMArgs() []string {
	cfg := runtimes.DeploymentConfig{Engine: runtimes.EngineTRTLLM, Mode: runtimes.ModeDisaggregated}
	seen := map[string]bool{}
	for k := range reservedArgs(cfg) {
		if p, ok := strings.CutPrefix(k, trtllmDynamicPrefix); ok {
			seen[p] = true
		}
	}
	for _, p := range trtllmFlagSettings {
		seen[p] = true
	}
	for _, role := range []string{rolePrefill, roleDecode} {
		for _, kv := range trtllmRoleSettings(role) {
			seen[kv[0]] = true
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
