package catalog_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface/hubtest"
)

func TestAccModel(t *testing.T) {
	s := newHub(t)
	gguf := "data.kubefoundry_model.gguf"
	qwen := "data.kubefoundry_model.qwen"
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: hubProvider(s) + `
data "kubefoundry_model" "gguf" {
  id            = "bartowski/Llama-3.2-1B-Instruct-GGUF"
  gguf_file     = "Llama-3.2-1B-Instruct-Q4_K_M.gguf"
  gpu_memory_gb = 24
}

data "kubefoundry_model" "qwen" {
  id = "Qwen/Qwen3-0.6B"
}

data "kubefoundry_model" "exotic" {
  id = "acme-labs/Exotic-7B"
}

data "kubefoundry_model" "premade" {
  id = "kaito/gpt-oss-20b"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(gguf, attr("gguf_estimate"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"architecture":            knownvalue.StringExact("llama"),
					"file_type":               knownvalue.StringExact("Q4_K_M"),
					"quantization":            knownvalue.StringExact("Q4_K_M"),
					"parameter_count":         knownvalue.Int64Exact(86336),
					"context_length":          knownvalue.Int64Exact(2048),
					"block_count":             knownvalue.Int64Exact(2),
					"file_size_bytes":         knownvalue.Int64Exact(175712),
					"model_size_bytes":        knownvalue.Int64Exact(173312),
					"vram_bytes":              knownvalue.Int64Exact(22715648),
					"ram_bytes":               knownvalue.Int64Exact(15754848),
					"estimated_gpu_memory_gb": knownvalue.Int64Exact(1),
				})),
				statecheck.ExpectKnownValue(gguf, attr("engines"), strs("llamacpp")),
				statecheck.ExpectKnownValue(gguf, attr("gguf_files"), knownvalue.ListSizeExact(3)),
				statecheck.ExpectKnownValue(gguf, attr("gguf_files", 1, "quantization"), knownvalue.StringExact("Q8_0")),
				statecheck.ExpectKnownValue(gguf, attr("context_length"), knownvalue.Int64Exact(131072)),
				statecheck.ExpectKnownValue(gguf, attr("estimated_gpu_memory_gb"), knownvalue.Int64Exact(3)),
				statecheck.ExpectKnownValue(gguf, attr("gpu_fit"), knownvalue.StringExact("fits")),
				statecheck.ExpectKnownValue(gguf, attr("downloads"), knownvalue.Int64Exact(234567)),
				statecheck.ExpectKnownValue(gguf, attr("source"), knownvalue.StringExact("huggingface")),

				// Curated Hub model: live parameter count, curated name/engines/context.
				statecheck.ExpectKnownValue(qwen, attr("name"), knownvalue.StringExact("Qwen3 0.6B")),
				statecheck.ExpectKnownValue(qwen, attr("parameter_count"), knownvalue.Int64Exact(751632384)),
				statecheck.ExpectKnownValue(qwen, attr("engines"), strs("vllm", "sglang", "trtllm")),
				statecheck.ExpectKnownValue(qwen, attr("context_length"), knownvalue.Int64Exact(32768)),
				statecheck.ExpectKnownValue(qwen, attr("source"), knownvalue.StringExact("curated")),
				statecheck.ExpectKnownValue(qwen, attr("gguf_estimate"), knownvalue.Null()),

				statecheck.ExpectKnownValue("data.kubefoundry_model.exotic", attr("compatible"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.kubefoundry_model.exotic", attr("context_length"), knownvalue.Null()),

				statecheck.ExpectKnownValue("data.kubefoundry_model.premade", attr("premade_id"), knownvalue.StringExact("gpt-oss:20b")),
				statecheck.ExpectKnownValue("data.kubefoundry_model.premade", attr("downloads"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.kubefoundry_model.premade", attr("estimated_gpu_memory_gb"), knownvalue.Int64Exact(45)),
			},
		}},
	})
}

func TestAccModelErrors(t *testing.T) {
	s := newHub(t, hubtest.WithToken("hf_test_token"))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: hubProvider(s) + `
data "kubefoundry_model" "private" {
  id = "acme-labs/Private-3B"
}
`,
			ExpectError: regexp.MustCompile(`accept the license on the\s+Hub and set a token`),
		}, {
			Config: hubProvider(s) + `
data "kubefoundry_model" "missing_file" {
  id        = "bartowski/Llama-3.2-1B-Instruct-GGUF"
  gguf_file = "nope-Q2_K.gguf"
}
`,
			ExpectError: regexp.MustCompile(`Unknown GGUF file`),
		}, {
			Config: `
provider "kubefoundry" {
  huggingface {
    endpoint = "` + s.URL + `"
    token    = "hf_test_token"
  }
}

data "kubefoundry_model" "private" {
  id = "acme-labs/Private-3B"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.kubefoundry_model.private", attr("parameter_count"), knownvalue.Int64Exact(3212749824)),
				statecheck.ExpectKnownValue("data.kubefoundry_model.private", attr("engines"), strs("vllm", "sglang", "trtllm")),
			},
		}},
	})
}
