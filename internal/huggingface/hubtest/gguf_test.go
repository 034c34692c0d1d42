package hubtest_test

import (
	"context"
	"testing"

	gguf "github.com/gpustack/gguf-parser-go"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface/hubtest"
)

// The generated files must be real GGUF that gguf-parser-go reads over HTTP
// range requests without downloading the tensor data.
func TestGeneratedGGUFParsesRemotely(t *testing.T) {
	s := hubtest.New(t)
	c := huggingface.New(s.URL, "")
	name := "Llama-3.2-1B-Instruct-Q4_K_M.gguf"
	f, err := gguf.ParseGGUFFileRemote(context.Background(), c.FileURL(hubtest.GGUFModel, "main", name), gguf.SkipCache(), gguf.UseBufferSize(16<<10))
	if err != nil {
		t.Fatal(err)
	}
	md := f.Metadata()
	if md.Architecture != "llama" || md.FileType != gguf.GGUFFileTypeMostlyQ4_K_M {
		t.Errorf("metadata = %+v", md)
	}
	a := f.Architecture()
	if a.BlockCount != 2 || a.MaximumContextLength != 2048 || a.EmbeddingLength != 64 || a.AttentionHeadCount != 4 {
		t.Errorf("architecture = %+v", a)
	}
	if f.Header.TensorCount != 21 {
		t.Errorf("tensors = %d", f.Header.TensorCount)
	}
	if size := int64(f.Size); s.BytesServed(hubtest.GGUFModel, name) >= size {
		t.Errorf("served %d bytes of %d: full download", s.BytesServed(hubtest.GGUFModel, name), size)
	}
}
