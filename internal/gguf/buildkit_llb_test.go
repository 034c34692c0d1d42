package gguf

import (
	"strings"
	"testing"

	"github.com/moby/buildkit/client/llb"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

func TestModelLLBKeepsTokenOut(t *testing.T) {
	spec := &Spec{Source: Source{Model: "org/gated", File: "m-Q4_K_M.gguf", Token: "hf_super_secret"}}
	info := &ModelInfo{URL: "https://huggingface.co/org/gated/resolve/main/m-Q4_K_M.gguf", SHA256: strings.Repeat("ab", 32)}
	p := ocispecs.Platform{OS: "linux", Architecture: "amd64"}
	def, err := modelLLB(spec, info, "registry.example/base@sha256:"+strings.Repeat("cd", 32), p).Marshal(t.Context(), llb.Platform(p))
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, b := range def.Def {
		all.Write(b)
	}
	graph := all.String()
	if strings.Contains(graph, spec.Source.Token) {
		t.Fatal("the Hub token is in the LLB")
	}
	for _, want := range []string{hfSecretID, "sha256:" + info.SHA256, info.URL, "/models/m-Q4_K_M.gguf"} {
		if !strings.Contains(graph, want) {
			t.Errorf("LLB lacks %q", want)
		}
	}
}
