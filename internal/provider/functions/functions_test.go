package functions_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
)

func TestMain(m *testing.M) { acctest.MainNoCluster(m) }

func TestAccFunctions(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
output "mem_7b"       { value = provider::kubefoundry::estimate_gpu_memory(7e9) }
output "mem_70b"      { value = provider::kubefoundry::estimate_gpu_memory(70000000000) }
output "mem_0"        { value = provider::kubefoundry::estimate_gpu_memory(0) }
output "gpus"         { value = provider::kubefoundry::gpus_needed(157, 80) }
output "gpus_exact"   { value = provider::kubefoundry::gpus_needed(80, 80) }
output "gpus_chained" { value = provider::kubefoundry::gpus_needed(provider::kubefoundry::estimate_gpu_memory(8e9), 24) }
output "quant"        { value = provider::kubefoundry::gguf_quantization("Llama-3.2-1B-Instruct-Q4_K_M.gguf") }
output "quant_dot"    { value = provider::kubefoundry::gguf_quantization("llama-2-7b.q8_0.gguf") }
output "quant_iq"     { value = provider::kubefoundry::gguf_quantization("m-IQ4_XS-00001-of-00002.gguf") }
output "quant_none"   { value = provider::kubefoundry::gguf_quantization("model.gguf") }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("mem_7b", knownvalue.Int64Exact(16)),
				statecheck.ExpectKnownOutputValue("mem_70b", knownvalue.Int64Exact(157)),
				statecheck.ExpectKnownOutputValue("mem_0", knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownOutputValue("gpus", knownvalue.Int64Exact(2)),
				statecheck.ExpectKnownOutputValue("gpus_exact", knownvalue.Int64Exact(1)),
				statecheck.ExpectKnownOutputValue("gpus_chained", knownvalue.Int64Exact(1)),
				statecheck.ExpectKnownOutputValue("quant", knownvalue.StringExact("Q4_K_M")),
				statecheck.ExpectKnownOutputValue("quant_dot", knownvalue.StringExact("Q8_0")),
				statecheck.ExpectKnownOutputValue("quant_iq", knownvalue.StringExact("IQ4_XS")),
				statecheck.ExpectKnownOutputValue("quant_none", knownvalue.StringExact("")),
			},
		}, {
			Config:      `output "bad" { value = provider::kubefoundry::gpus_needed(10, 0) }`,
			ExpectError: regexp.MustCompile(`gpu_memory_gb must be a finite\s+number > 0`),
		}, {
			Config:      `output "bad" { value = provider::kubefoundry::estimate_gpu_memory(-1) }`,
			ExpectError: regexp.MustCompile(`parameter_count must be a\s+finite number`),
		}},
	})
}
