package functions_test

import (
	"math"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/cost"
)

func TestAccCostFunctions(t *testing.T) {
	perGPU := func(cloud, gpu string) float64 {
		p, ok := cost.Lookup(cloud, gpu)
		if !ok {
			t.Fatalf("table lacks %s/%s", cloud, gpu)
		}
		return math.Round(p.PerGPUHour()*1e4) / 1e4
	}
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
output "h100_aws"   { value = provider::kubefoundry::gpu_hourly_cost("NVIDIA-H100-80GB-HBM3", "aws") }
output "l4_gcp"     { value = provider::kubefoundry::gpu_hourly_cost("nvidia-l4", "gke") }
output "a100_azure" { value = provider::kubefoundry::gpu_hourly_cost("a100-80gb", "azure") }
output "per_m"      { value = provider::kubefoundry::cost_per_million_tokens(55.04, 8000) }
output "chained"    { value = provider::kubefoundry::cost_per_million_tokens(8 * provider::kubefoundry::gpu_hourly_cost("h100", "aws"), 8000) }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("h100_aws", knownvalue.Float64Exact(perGPU("aws", "h100"))),
				statecheck.ExpectKnownOutputValue("l4_gcp", knownvalue.Float64Exact(perGPU("gcp", "l4"))),
				statecheck.ExpectKnownOutputValue("a100_azure", knownvalue.Float64Exact(perGPU("azure", "a100-80gb"))),
				statecheck.ExpectKnownOutputValue("per_m", knownvalue.Float64Exact(1.9111)),
				statecheck.ExpectKnownOutputValue("chained", knownvalue.Float64Exact(math.Round(8*perGPU("aws", "h100")/(8000*3600)*1e6*1e4)/1e4)),
			},
		}, {
			Config:      `output "bad" { value = provider::kubefoundry::gpu_hourly_cost("NVIDIA-L40S", "azure") }`,
			ExpectError: regexp.MustCompile(`(?s)no\s+on-demand\s+"azure"\s+price\s+for\s+"NVIDIA-L40S"`),
		}, {
			Config:      `output "bad" { value = provider::kubefoundry::gpu_hourly_cost("tpu", "gcp") }`,
			ExpectError: regexp.MustCompile(`(?s)unknown\s+GPU\s+"tpu"`),
		}, {
			Config:      `output "bad" { value = provider::kubefoundry::cost_per_million_tokens(10, 0) }`,
			ExpectError: regexp.MustCompile(`tokens_per_second must be a\s+finite\s+number > 0`),
		}},
	})
}
