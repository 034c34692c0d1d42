package costplantest

import (
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/provider/sizing"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/perf"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/search"
)

// The sizing example (and the guide's worked example) plans as documented: the best
// configuration feeds the deployment, which prices its GPUs at plan.
func TestAccSizingExampleFromIntentToDeployment(t *testing.T) {
	example, err := os.ReadFile("../../../../examples/data-sources/kubefoundry_sizing/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	arch, _ := perf.LookupArch("Qwen/Qwen3-32B")
	gpu, err := perf.LookupGPU("h100_sxm")
	if err != nil {
		t.Fatal(err)
	}
	perGPU := price(t, "aws", "h100")
	best, err := search.Run(search.Request{Arch: arch, GPU: gpu, Backends: sizing.Backends, ISL: 2048, OSL: 512,
		Concurrency: 64, TTFTms: 1000, TPOTms: 25, MaxGPUs: 16, GPUHourlyPrice: perGPU})
	if err != nil {
		t.Fatal(err)
	}
	c := best[0]
	mode := "aggregated"
	if c.Disaggregated {
		mode = "disaggregated"
	}
	const addr = "kubefoundry_model_deployment.qwen"
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:             "provider \"kubefoundry\" {}\n" + string(example),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("engine"), knownvalue.StringExact(c.Backend)),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("mode"), knownvalue.StringExact(mode)),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("estimated_hourly_cost"), knownvalue.Float64Exact(round4(float64(c.GPUs)*perGPU))),
			}},
		}},
	})
}
