package basics

import (
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

func TestDefaultsFillsOnlyUnsetFields(t *testing.T) {
	var empty runtimes.DeploymentConfig
	empty.Model = "Qwen/Qwen3-0.6B"
	Defaults(&empty, "vllm")
	if empty.Runtime != "vllm" || empty.Engine != runtimes.EngineVLLM || empty.Mode != runtimes.ModeAggregated ||
		empty.RouterMode != runtimes.RouterNone || empty.ServedModelName != "Qwen/Qwen3-0.6B" {
		t.Errorf("defaults of an empty config: %+v", empty)
	}
	set := runtimes.DeploymentConfig{Runtime: "dynamo", Model: "m", Engine: runtimes.EngineSGLang, Mode: runtimes.ModeDisaggregated,
		RouterMode: runtimes.RouterKV, ServedModelName: "chat"}
	want := set
	Defaults(&set, "vllm")
	if set.Runtime != want.Runtime || set.Engine != want.Engine || set.Mode != want.Mode || set.RouterMode != want.RouterMode ||
		set.ServedModelName != want.ServedModelName {
		t.Errorf("Defaults overwrote set fields: got %+v, want %+v", set, want)
	}
}

func TestDefaultPoolsSizesTheModesPools(t *testing.T) {
	agg := runtimes.DeploymentConfig{Mode: runtimes.ModeAggregated}
	DefaultPools(&agg)
	if runtimes.Deref(agg.Replicas) != 1 || runtimes.Deref(agg.GPUs) != 1 || agg.Disaggregated != nil {
		t.Errorf("aggregated: replicas %v gpus %v disaggregated %+v", agg.Replicas, agg.GPUs, agg.Disaggregated)
	}
	three := int64(3)
	pd := runtimes.DeploymentConfig{Mode: runtimes.ModeDisaggregated, Disaggregated: &runtimes.DisaggregatedConfig{DecodeGPUs: &three}}
	DefaultPools(&pd)
	d := pd.Disaggregated
	if pd.Replicas != nil || pd.GPUs != nil {
		t.Errorf("disaggregated mode set replicas or gpus: %v %v", pd.Replicas, pd.GPUs)
	}
	if *d.PrefillReplicas != 1 || *d.DecodeReplicas != 1 || *d.PrefillGPUs != 1 || *d.DecodeGPUs != 3 {
		t.Errorf("disaggregated pools: %d %d %d %d", *d.PrefillReplicas, *d.DecodeReplicas, *d.PrefillGPUs, *d.DecodeGPUs)
	}
}
