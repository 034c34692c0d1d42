package deploymentrequest_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
)

func TestMain(m *testing.M) { acctest.MainNoCluster(m) }

// Each bad input fails at plan, without a cluster, naming the attribute and the fix.
// The rules are the Dynamo 1.4.0 operator's (CRD enums, admission webhook, controller
// validateSpec), so they fail here instead of after a profiling run.
func TestAccDeploymentRequestInvalidConfigs(t *testing.T) {
	base := `name = "qwen"` + "\n" + `namespace = "ml"` + "\n" + `model = "Qwen/Qwen3-0.6B"` + "\n"
	for _, c := range []struct{ name, body, attr, msg string }{
		{"thorough with auto backend", `search_strategy = "thorough"`, "search_strategy", `needs a specific backend`},
		{"rate and concurrency", `workload = { request_rate = 5, concurrency = 8 }`, "workload", `cannot be specified when|not both`},
		{"zero isl", `workload = { isl = 0 }`, "workload", `at least 1`},
		{"negative ttft", `sla = { ttft_ms = -5 }`, "sla", `at least`},
		{"unknown optimization", `sla = { optimization_type = "cost" }`, "sla", `value must be one of`},
		{"unknown gpu", `hardware = { gpu_sku = "rtx4090" }`, "hardware", `value must be one of`},
		{"unknown backend", `backend = "tgi"`, "backend", `value must be one of`},
		{"image without version", `image = "nvcr.io/nvidia/ai-dynamo/dynamo-planner:latest"`, "image", `runtime_version_override`},
		{"bad runtime version", `runtime_version_override = "1.4"`, "runtime_version_override", `version such as`},
		{"override not a mapping", `graph_override = "- a"`, "graph_override", `mapping`},
		{"override without kind", `graph_override = "apiVersion: nvidia.com/v1beta1"`, "graph_override", `kind: DynamoGraphDeployment`},
		{"uppercase name", `name = "Qwen"`, "name", `DNS-1123`},
		{"namespace and graph too long", `namespace = "` + strings.Repeat("n", 40) + `"` + "\n" + `name = "` + strings.Repeat("q", 20) + `"`, "name", `at most 18`},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := base
			for _, k := range []string{"name", "namespace"} { // the case's own value wins
				if strings.Contains(c.body, k+" = ") {
					body = regexp.MustCompile(`(?m)^`+k+` = .*\n`).ReplaceAllString(body, "")
				}
			}
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      "provider \"kubefoundry\" {}\nresource \"kubefoundry_deployment_request\" \"r\" {\n" + body + c.body + "\n}\n",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?s)` + regexp.QuoteMeta(c.attr) + `.*(` + strings.ReplaceAll(c.msg, " ", `\s+`) + `)`),
				}},
			})
		})
	}
}

// A valid request plans without a cluster: defaults filled in, what the operator reports
// unknown.
func TestAccDeploymentRequestPlansOffline(t *testing.T) {
	const addr = "kubefoundry_deployment_request.r"
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `provider "kubefoundry" {}
resource "kubefoundry_deployment_request" "r" {
  name      = "qwen"
  namespace = "ml"
  model     = "Qwen/Qwen3-0.6B"
  workload  = { request_rate = 5 }
  sla       = { ttft_ms = 300, itl_ms = 15 }
}
`,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("ml/qwen")),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("backend"), knownvalue.StringExact("auto")),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("search_strategy"), knownvalue.StringExact("rapid")),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("auto_apply"), knownvalue.Bool(true)),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("workload").AtMapKey("isl"), knownvalue.Int64Exact(4000)),
				plancheck.ExpectUnknownValue(addr, tfjsonpath.New("graph_yaml")),
				plancheck.ExpectUnknownValue(addr, tfjsonpath.New("hardware")),
			}},
		}},
	})
}
