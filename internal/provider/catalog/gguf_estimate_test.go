package catalog

import (
	"context"
	"strings"
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface/hubtest"
)

func TestEstimateGGUFReadsHeaderOnly(t *testing.T) {
	s := hubtest.New(t)
	c := &huggingface.Client{Endpoint: s.URL, Cache: huggingface.NewCache(0)}
	defer func(n int) { ggufReadBuffer = n }(ggufReadBuffer)
	ggufReadBuffer = 16 << 10 // smaller than the 172 KiB test file
	file := "Llama-3.2-1B-Instruct-Q4_K_M.gguf"
	est, err := estimateGGUF(context.Background(), c, hubtest.GGUFModel, "main", file, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := ggufEstimate{Architecture: "llama", FileType: "Q4_K_M", ParameterCount: 86336, ContextLength: 2048, BlockCount: 2,
		FileSizeBytes: 175712, ModelSizeBytes: 173312, VRAMBytes: 22715648, RAMBytes: 15754848, GPUMemoryGB: 1}
	if *est != want {
		t.Errorf("estimate = %+v\nwant       %+v", *est, want)
	}
	if served := s.BytesServed(hubtest.GGUFModel, file); served >= want.FileSizeBytes {
		t.Errorf("served %d of %d bytes: the whole file was downloaded", served, want.FileSizeBytes)
	}
	est, err = estimateGGUF(context.Background(), c, hubtest.GGUFModel, "main", file, 512)
	if err != nil || est.ContextLength != 512 || est.VRAMBytes >= want.VRAMBytes {
		t.Errorf("context_size 512: %+v %v", est, err)
	}
}

func TestEstimateGGUFGatedErrorHidesToken(t *testing.T) {
	s := hubtest.New(t, hubtest.WithToken("hf_right"))
	s.AddFile("acme/Gated-GGUF", "m-Q8_0.gguf", hubtest.BuildGGUF(hubtest.DefaultGGUFSpec))
	s.SetGated("acme/Gated-GGUF", "auto")
	c := &huggingface.Client{Endpoint: s.URL, Token: "hf_right"}
	if _, err := estimateGGUF(context.Background(), c, "acme/Gated-GGUF", "main", "m-Q8_0.gguf", 512); err != nil {
		t.Fatalf("with token: %v", err)
	}
	c.Token = "hf_wrong_secret"
	_, err := estimateGGUF(context.Background(), c, "acme/Gated-GGUF", "main", "m-Q8_0.gguf", 0)
	if err == nil || strings.Contains(err.Error(), "hf_wrong_secret") {
		t.Fatalf("err = %v", err)
	}
}
