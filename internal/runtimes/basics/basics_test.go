package basics

import (
	"strings"
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

func TestCheckAggregatedNamesEachUnsetOrWrongField(t *testing.T) {
	var ps runtimes.Problems
	CheckAggregated(&ps, runtimes.DeploymentConfig{Disaggregated: &runtimes.DisaggregatedConfig{}}, "pod")
	for _, want := range []string{
		`disaggregated: only valid with mode = "disaggregated"`,
		"replicas: must be set (between 1 and 10)",
		"gpus: must be set to the number of GPUs per pod (at least 1)",
	} {
		if !strings.Contains(ps.Error(), want) {
			t.Errorf("missing %q in:\n%s", want, ps.Error())
		}
	}
	ps = nil
	CheckAggregated(&ps, runtimes.DeploymentConfig{Replicas: runtimes.Int64(1), GPUs: runtimes.Int64(0)}, "pod")
	if len(ps) != 1 || !ps.Has("gpus") {
		t.Errorf("zero GPUs: %v", ps)
	}
}

func TestCheckDisaggregatedChecksEveryPool(t *testing.T) {
	var ps runtimes.Problems
	CheckDisaggregated(&ps, runtimes.DeploymentConfig{Replicas: runtimes.Int64(1), GPUs: runtimes.Int64(1)})
	for _, path := range []string{"replicas", "gpus", "disaggregated"} {
		if !ps.Has(path) {
			t.Errorf("no problem at %s: %v", path, ps)
		}
	}
	ps = nil
	CheckDisaggregated(&ps, runtimes.DeploymentConfig{Disaggregated: &runtimes.DisaggregatedConfig{
		PrefillReplicas: runtimes.Int64(11), PrefillGPUs: runtimes.Int64(0), DecodeGPUs: runtimes.Int64(2)}})
	want := []string{
		"disaggregated.prefill_replicas: must be between 1 and 10, got 11",
		"disaggregated.decode_replicas: must be set",
		"disaggregated.prefill_gpus: must be at least 1, got 0",
	}
	if len(ps) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(ps), len(want), ps.Error())
	}
	for i, w := range want {
		if ps[i].String() != w {
			t.Errorf("problem %d: got %q, want %q", i, ps[i].String(), w)
		}
	}
}

func TestVLLMOptionFlags(t *testing.T) {
	got := strings.Join(VLLMOptionFlags(runtimes.DeploymentConfig{}), " ")
	if got != "--no-enable-prefix-caching" {
		t.Errorf("unset options: %q", got)
	}
	got = strings.Join(VLLMOptionFlags(runtimes.DeploymentConfig{ContextLength: runtimes.Int64(8192), EnforceEager: runtimes.Bool(true),
		EnablePrefixCaching: runtimes.Bool(true), TrustRemoteCode: true}), " ")
	if want := "--max-model-len 8192 --enforce-eager --enable-prefix-caching --trust-remote-code"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestParseVLLMFlagReadsBackTheOptionFlags(t *testing.T) {
	in := runtimes.DeploymentConfig{ContextLength: runtimes.Int64(4096), EnforceEager: runtimes.Bool(true),
		EnablePrefixCaching: runtimes.Bool(false), TrustRemoteCode: true}
	var out runtimes.DeploymentConfig
	flags := append(VLLMOptionFlags(in), "--max-num-seqs", "64")
	for i := 0; i < len(flags); i++ {
		name, value := strings.TrimPrefix(flags[i], "--"), "true"
		if i+1 < len(flags) && !strings.HasPrefix(flags[i+1], "--") {
			value = flags[i+1]
			i++
		}
		if err := ParseVLLMFlag(&out, name, value); err != nil {
			t.Fatal(err)
		}
	}
	if *out.ContextLength != 4096 || !*out.EnforceEager || *out.EnablePrefixCaching || !out.TrustRemoteCode || out.EngineArgs["max-num-seqs"] != "64" {
		t.Errorf("read back %+v from %q", out, flags)
	}
	if err := ParseVLLMFlag(&out, "max-model-len", "lots"); err == nil || !strings.Contains(err.Error(), `--max-model-len "lots" is not a number`) {
		t.Errorf("bad number: %v", err)
	}
}

func TestRefuseOtherBlocksNamesOnlyTheListedSetBlocks(t *testing.T) {
	var ps runtimes.Problems
	cfg := runtimes.DeploymentConfig{KubeRay: &runtimes.KubeRayConfig{}, VLLM: &runtimes.VLLMConfig{}, KServe: &runtimes.KServeConfig{}}
	RefuseOtherBlocks(&ps, cfg, "kaito", "vllm", "kuberay")
	want := []string{`vllm: the vllm block only applies to runtime "vllm": remove it`, `kuberay: the kuberay block only applies to runtime "kuberay": remove it`}
	if len(ps) != len(want) || ps[0].String() != want[0] || ps[1].String() != want[1] {
		t.Errorf("got:\n%s\nwant:\n%s", ps.Error(), strings.Join(want, "\n"))
	}
}
