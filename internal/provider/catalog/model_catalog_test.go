package catalog_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface/hubtest"
)

func strs(s ...string) knownvalue.Check {
	c := make([]knownvalue.Check, len(s))
	for i, v := range s {
		c[i] = knownvalue.StringExact(v)
	}
	return knownvalue.ListExact(c)
}

func attr(name string, p ...any) tfjsonpath.Path {
	out := tfjsonpath.New(name)
	for _, s := range p {
		switch v := s.(type) {
		case int:
			out = out.AtSliceIndex(v)
		case string:
			out = out.AtMapKey(v)
		}
	}
	return out
}

func TestAccModelCatalogCurated(t *testing.T) {
	s := newHub(t)
	all := "data.kubefoundry_model_catalog.all"
	kaito := "data.kubefoundry_model_catalog.kaito"
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: hubProvider(s) + `
data "kubefoundry_model_catalog" "all" {}

data "kubefoundry_model_catalog" "kuberay" {
  runtime = "kuberay"
}

data "kubefoundry_model_catalog" "kaito" {
  engine        = "llamacpp"
  gpu_memory_gb = 24
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(all, attr("models"), knownvalue.ListSizeExact(18)),
				statecheck.ExpectKnownValue(all, attr("models", 0), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":                      knownvalue.StringExact("Qwen/Qwen3-0.6B"),
					"name":                    knownvalue.StringExact("Qwen3 0.6B"),
					"task":                    knownvalue.StringExact("text-generation"),
					"parameter_count":         knownvalue.Int64Exact(600000000),
					"size_label":              knownvalue.StringExact("0.6B"),
					"context_length":          knownvalue.Int64Exact(32768),
					"gated":                   knownvalue.Bool(false),
					"license":                 knownvalue.StringExact("apache-2.0"),
					"architecture":            knownvalue.StringExact("Qwen3ForCausalLM"),
					"engines":                 strs("vllm", "sglang", "trtllm"),
					"runtimes":                strs("dynamo", "kuberay", "kaito", "vllm", "llmd", "kserve"),
					"estimated_gpu_memory_gb": knownvalue.Int64Exact(2),
					"recommended_gpus":        knownvalue.Int64Exact(1),
					"gpu_fit":                 knownvalue.Null(),
					"min_gpus":                knownvalue.Int64Exact(1),
					"compatible":              knownvalue.Bool(true),
					"incompatible_reason":     knownvalue.Null(),
					"source":                  knownvalue.StringExact("curated"),
					"premade_id":              knownvalue.Null(),
					"premade_image":           knownvalue.Null(),
					"gguf_files":              knownvalue.Null(),
				})),
				statecheck.ExpectKnownValue(all, attr("models", 3, "gated"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.kubefoundry_model_catalog.kuberay", attr("models"), knownvalue.ListSizeExact(8)),
				statecheck.ExpectKnownValue(kaito, attr("models"), knownvalue.ListSizeExact(10)),
				statecheck.ExpectKnownValue(kaito, attr("models", 3, "id"), knownvalue.StringExact("kaito/llama3.3-70b")),
				statecheck.ExpectKnownValue(kaito, attr("models", 3, "estimated_gpu_memory_gb"), knownvalue.Int64Exact(157)),
				statecheck.ExpectKnownValue(kaito, attr("models", 3, "recommended_gpus"), knownvalue.Int64Exact(7)),
				statecheck.ExpectKnownValue(kaito, attr("models", 3, "gpu_fit"), knownvalue.StringExact("exceeds")),
				statecheck.ExpectKnownValue(kaito, attr("models", 9, "premade_id"), knownvalue.StringExact("gpt-oss:20b")),
				statecheck.ExpectKnownValue(kaito, attr("models", 9, "premade_image"), knownvalue.StringExact("ghcr.io/kaito-project/aikit/gpt-oss:20b")),
				statecheck.ExpectKnownValue(kaito, attr("models", 9, "runtimes"), strs("kaito")),
				statecheck.ExpectKnownValue(kaito, attr("models", 9, "min_gpus"), knownvalue.Int64Exact(0)),
			},
		}},
	})
	if n := s.TotalRequests(); n != 0 {
		t.Errorf("curated catalog made %d Hub requests, want 0", n)
	}
}

func TestAccModelCatalogSearch(t *testing.T) {
	s := newHub(t, hubtest.WithPageSize(2))
	llama := "data.kubefoundry_model_catalog.llama"
	acme := "data.kubefoundry_model_catalog.acme"
	gguf := func(name string, size int64, quant string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"name":         knownvalue.StringExact(name),
			"size_bytes":   knownvalue.Int64Exact(size),
			"quantization": knownvalue.StringExact(quant),
			"sha256":       knownvalue.StringExact(s.FileSHA256(hubtest.GGUFModel, name)),
		})
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: hubProvider(s) + `
data "kubefoundry_model_catalog" "llama" {
  include_curated = false
  search {
    query = "llama"
  }
}

data "kubefoundry_model_catalog" "acme" {
  include_curated      = false
  include_incompatible = true
  gpu_memory_gb        = 16
  search {
    query = "a"
    limit = 10
  }
}
`,
			ExpectError: regexp.MustCompile(`at least 2`),
		}, {
			Config: hubProvider(s) + `
data "kubefoundry_model_catalog" "llama" {
  include_curated = false
  search {
    query = "llama"
  }
}

data "kubefoundry_model_catalog" "acme" {
  include_curated      = false
  include_incompatible = true
  gpu_memory_gb        = 16
  search {
    query = "acme"
    limit = 10
  }
}

data "kubefoundry_model_catalog" "minilm" {
  include_curated      = false
  include_incompatible = true
  search {
    query = "MiniLM"
  }
}

data "kubefoundry_model_catalog" "vllm" {
  engine = "vllm"
  search {
    query = "qwen"
  }
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(llama, attr("models"), knownvalue.ListSizeExact(2)),
				statecheck.ExpectKnownValue(llama, attr("models", 0), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":                      knownvalue.StringExact(hubtest.GatedModel),
					"name":                    knownvalue.StringExact("Llama-3.2-1B-Instruct"),
					"task":                    knownvalue.StringExact("text-generation"),
					"parameter_count":         knownvalue.Int64Exact(1235814400),
					"size_label":              knownvalue.StringExact("1.2B"),
					"context_length":          knownvalue.Null(),
					"gated":                   knownvalue.Bool(true),
					"license":                 knownvalue.StringExact("llama3.2"),
					"architecture":            knownvalue.StringExact("LlamaForCausalLM"),
					"engines":                 strs("vllm", "sglang", "trtllm"),
					"runtimes":                strs("dynamo", "kuberay", "kaito", "vllm", "llmd", "kserve"),
					"estimated_gpu_memory_gb": knownvalue.Int64Exact(3),
					"recommended_gpus":        knownvalue.Int64Exact(1),
					"gpu_fit":                 knownvalue.Null(),
					"min_gpus":                knownvalue.Int64Exact(1),
					"compatible":              knownvalue.Bool(true),
					"incompatible_reason":     knownvalue.Null(),
					"source":                  knownvalue.StringExact("huggingface"),
					"premade_id":              knownvalue.Null(),
					"premade_image":           knownvalue.Null(),
					"gguf_files":              knownvalue.Null(),
				})),
				statecheck.ExpectKnownValue(llama, attr("models", 1, "id"), knownvalue.StringExact(hubtest.GGUFModel)),
				statecheck.ExpectKnownValue(llama, attr("models", 1, "engines"), strs("llamacpp")),
				statecheck.ExpectKnownValue(llama, attr("models", 1, "runtimes"), strs("kaito")),
				statecheck.ExpectKnownValue(llama, attr("models", 1, "context_length"), knownvalue.Int64Exact(131072)),
				statecheck.ExpectKnownValue(llama, attr("models", 1, "parameter_count"), knownvalue.Int64Exact(1235814432)),
				statecheck.ExpectKnownValue(llama, attr("models", 1, "gguf_files"), knownvalue.ListExact([]knownvalue.Check{
					gguf("Llama-3.2-1B-Instruct-Q4_K_M.gguf", 175712, "Q4_K_M"),
					gguf("Llama-3.2-1B-Instruct-Q8_0.gguf", 175712, "Q8_0"),
					gguf("Llama-3.2-1B-Instruct-f16.gguf", 175712, "F16"),
				})),

				// The private model stays hidden without a token.
				statecheck.ExpectKnownValue(acme, attr("models"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue(acme, attr("models", 0, "id"), knownvalue.StringExact(hubtest.ExoticModel)),
				statecheck.ExpectKnownValue(acme, attr("models", 0, "compatible"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(acme, attr("models", 0, "engines"), strs()),
				statecheck.ExpectKnownValue(acme, attr("models", 0, "runtimes"), strs()),
				statecheck.ExpectKnownValue(acme, attr("models", 0, "parameter_count"), knownvalue.Int64Exact(7000000000)),
				statecheck.ExpectKnownValue(acme, attr("models", 0, "estimated_gpu_memory_gb"), knownvalue.Int64Exact(16)),
				statecheck.ExpectKnownValue(acme, attr("models", 0, "gpu_fit"), knownvalue.StringExact("warning")),
				statecheck.ExpectKnownValue(acme, attr("models", 0, "recommended_gpus"), knownvalue.Int64Exact(1)),
				statecheck.ExpectKnownValue(acme, attr("models", 0, "incompatible_reason"),
					knownvalue.StringExact(`Architecture "ExoticForCausalLM" is not supported by any engine`)),
				statecheck.ExpectKnownValue("data.kubefoundry_model_catalog.minilm", attr("models", 0, "incompatible_reason"),
					knownvalue.StringExact(`Pipeline tag "sentence-similarity" is not supported for inference`)),
				statecheck.ExpectKnownValue("data.kubefoundry_model_catalog.minilm", attr("models", 0, "parameter_count"), knownvalue.Int64Exact(22713728)),

				// Curated first; the Hub's Qwen3-0.6B duplicates a curated entry and is dropped.
				statecheck.ExpectKnownValue("data.kubefoundry_model_catalog.vllm", attr("models"), knownvalue.ListSizeExact(8)),
			},
		}},
	})
}

func TestAccModelCatalogRetriesRateLimit(t *testing.T) {
	s := newHub(t)
	s.FailNext("/api/models", 1, 429, "0")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: hubProvider(s) + `
data "kubefoundry_model_catalog" "x" {
  include_curated = false
  search {
    query = "exotic"
  }
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.kubefoundry_model_catalog.x", attr("models"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
}
