package modeldeployment

import (
	"strings"
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/capacity"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

func TestFitProblems(t *testing.T) {
	cluster := capacity.Summary{Total: 10, Available: 5, MaxContiguousAvailable: 4, GPUMemoryGB: 24,
		Nodes: []capacity.Node{{Name: "a"}, {Name: "b"}}}
	for _, tc := range []struct {
		name string
		cfg  rt.DeploymentConfig
		want []string // substrings, one per expected problem
	}{
		{"fits", rt.DeploymentConfig{Model: "Qwen/Qwen3-0.6B", Replicas: rt.Int64(2), GPUs: rt.Int64(2)}, nil},
		{"too many in total", rt.DeploymentConfig{Model: "Qwen/Qwen3-0.6B", Replicas: rt.Int64(3), GPUs: rt.Int64(2)},
			[]string{"needs 6 GPUs in total but only 5 are free"}},
		{"worker too wide", rt.DeploymentConfig{Model: "Qwen/Qwen3-0.6B", Replicas: rt.Int64(1), GPUs: rt.Int64(5)},
			[]string{"one worker needs 5 GPUs on a single node but at most 4"}},
		{"model too big for the worker", rt.DeploymentConfig{Model: "meta-llama/Llama-3.1-70B-Instruct", Replicas: rt.Int64(1), GPUs: rt.Int64(2)},
			[]string{"needs about 157 GB of GPU memory", "2 GPU(s) × 24 GB"}},
		{"disaggregated sums pools", rt.DeploymentConfig{Model: "Qwen/Qwen3-0.6B", Mode: rt.ModeDisaggregated,
			Disaggregated: &rt.DisaggregatedConfig{PrefillReplicas: rt.Int64(2), PrefillGPUs: rt.Int64(2), DecodeReplicas: rt.Int64(1), DecodeGPUs: rt.Int64(2)}},
			[]string{"needs 6 GPUs in total"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(fitProblems(demandOf(tc.cfg), cluster), "\n")
			if len(tc.want) == 0 && got != "" {
				t.Fatalf("unexpected problems: %s", got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("problems %q lack %q", got, w)
				}
			}
		})
	}
}
