package llmdtest

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
)

// kubefoundry_manifest renders an llm-d P/D deployment offline: both Deployments, the routing
// sidecar, the pool and the picker with the P/D profile handler, and the endpoint.
func TestAccLLMDManifestDataSourceRendersThePDPath(t *testing.T) {
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "none"))
	config := `provider "kubefoundry" {}

data "kubefoundry_manifest" "m" {
  name    = "pd"
  runtime = "llmd"
  model   = "Qwen/Qwen3-0.6B"
  mode    = "disaggregated"
  disaggregated = {
    prefill_replicas = 2
    prefill_gpus     = 1
    decode_replicas  = 1
    decode_gpus      = 2
  }
}
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check: func(s *terraform.State) error {
				ds := s.RootModule().Resources["data.kubefoundry_manifest.m"].Primary.Attributes
				all := ds["manifests"]
				for _, want := range []string{"name: pd-prefill", "kind: InferencePool", "name: routing-proxy", "--kv-connector=nixlv2",
					"disagg-profile-handler", "llm-d.ai/role: prefill", "--tensor-parallel-size\n        - \"2\""} {
					if !strings.Contains(all, want) {
						return fmt.Errorf("manifests lack %q:\n%s", want, all)
					}
				}
				if ds["endpoint"] != "pd-api.default.svc.cluster.local:8000" {
					return fmt.Errorf("endpoint %q", ds["endpoint"])
				}
				return nil
			},
		}},
	})
}
