package modeldeployment_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// TestAccExampleServedModelModulePlansOffline plans examples/modules/served-model as a root
// module without a cluster: the epp component and direct-mode sidecars are in the graph,
// the route to "<name>-pool" in companion_manifests, and url waits for the apply.
func TestAccExampleServedModelModulePlansOffline(t *testing.T) {
	root, err := testcluster.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "examples", "modules", "served-model")
	var body strings.Builder
	for _, f := range []string{"variables.tf", "main.tf", "outputs.tf"} { // versions.tf pins the registry source
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		body.Write(b)
		body.WriteString("\n")
	}
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "none"))
	const res = "kubefoundry_model_deployment.this"
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:             "provider \"kubefoundry\" {}\n" + body.String(),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate),
				plancheck.ExpectKnownValue(res, tfjsonpath.New("manifest"), knownvalue.StringRegexp(regexp.MustCompile(
					`(?s)frontendSidecar: sidecar-frontend.*- direct.*name: Epp.*type: epp`))),
				plancheck.ExpectKnownValue(res, tfjsonpath.New("companion_manifests"), knownvalue.StringRegexp(regexp.MustCompile(
					`(?s)kind: HTTPRoute.*hostnames:\s+- models.example.com.*name: qwen3-pool.*X-Gateway-Model-Name.*value: Qwen/Qwen3-0.6B`))),
				plancheck.ExpectUnknownValue(res, tfjsonpath.New("url")),
			}},
		}},
	})
}

// TestAccManifestDataSourceGateway: kubefoundry_manifest shows the gateway's objects (here
// KubeRay's pool and picker) and names the attribute of bad input, without a cluster.
func TestAccManifestDataSourceGateway(t *testing.T) {
	const ds = "data.kubefoundry_manifest.m"
	body := func(gw string) string {
		return `provider "kubefoundry" {}
data "kubefoundry_manifest" "m" {
  name    = "qwen"
  runtime = "kuberay"
  model   = "Qwen/Qwen3-0.6B"
  gateway = ` + gw + `
}
`
	}
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "none"))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: body(`{ parent_refs = [{ name = "gw" }] }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("manifests"), knownvalue.StringRegexp(regexp.MustCompile(
						`(?s)kind: RayService.*kubefoundry.io/serve-pool: qwen.*kind: HTTPRoute.*kind: InferencePool.*`+
							`kind: ConfigMap.*kind: ServiceAccount.*kind: Role\n.*kind: RoleBinding.*image: ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0.*kind: Service`))),
				},
			},
			{
				Config:      body(`{ parent_refs = [{ name = "gw" }], request_timeout = "five minutes" }`),
				ExpectError: regexp.MustCompile(`(?s)gateway.request_timeout.*Gateway API duration`),
			},
		},
	})
}
