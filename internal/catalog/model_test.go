package catalog_test

import (
	"context"
	"slices"
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/catalog"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface/hubtest"
)

func TestFromHubFixtures(t *testing.T) {
	s := hubtest.New(t)
	c := &huggingface.Client{Endpoint: s.URL, Cache: huggingface.NewCache(0)}
	ctx := context.Background()
	describe := func(id string) catalog.Model {
		info, err := c.ModelInfo(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		tree, err := c.Tree(ctx, id, "")
		if err != nil {
			t.Fatal(err)
		}
		return catalog.FromHub(info, tree)
	}

	g := describe(hubtest.GatedModel)
	if !g.Gated || g.Architecture != "LlamaForCausalLM" || !g.Compatible || g.EstimatedGPUMemoryGB != 3 || g.License != "llama3.2" {
		t.Errorf("gated = %+v", g)
	}
	f := describe(hubtest.GGUFModel)
	if !f.GGUF || len(f.GGUFFiles) != 3 || f.ContextLength != 131072 || !slices.Equal(f.Runtimes, []string{"kaito"}) {
		t.Fatalf("gguf = %+v", f)
	}
	if q := f.GGUFFiles[0]; q.Quantization != "Q4_K_M" || q.SizeBytes != 175712 || len(q.SHA256) != 64 {
		t.Errorf("file = %+v", q)
	}
	if p := catalog.PreferredGGUFFile(f.GGUFFiles); p != "Llama-3.2-1B-Instruct-Q4_K_M.gguf" {
		t.Errorf("preferred = %s", p)
	}
	e := describe(hubtest.EmbedModel)
	if e.Compatible || e.ParameterCount != 22713728 || e.SizeLabel != "22.7M" {
		t.Errorf("embed = %+v", e)
	}
	// Without a tree, GGUF files come from siblings, sizes unknown.
	info, _ := c.ModelInfo(ctx, hubtest.GGUFModel)
	if m := catalog.FromHub(info, nil); len(m.GGUFFiles) != 3 || m.GGUFFiles[0].SizeBytes != 0 {
		t.Errorf("siblings files = %+v", m.GGUFFiles)
	}
}
