package search

import (
	"fmt"
	"testing"
)

func TestTmpPrint(t *testing.T) {
	r := request(t, "Qwen/Qwen3-32B", "h100_sxm")
	r.Backends = []string{"vllm", "sglang", "trtllm"}
	r.ISL, r.OSL, r.Concurrency, r.TTFTms, r.TPOTms, r.MaxGPUs, r.GPUHourlyPrice = 2048, 512, 64, 1000, 25, 16, 3
	got, err := Run(r)
	fmt.Println(err)
	for _, c := range got[:min(5, len(got))] {
		fmt.Println(Describe(c), c.Estimate.TokensPerSecondPerGPU, c.HourlyCost, c.CostPerMillionTokens)
	}
}
