package epptest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/llmd"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// prefillHeader names the prefill pod the routing sidecar on the chosen decode pod sends the
// prompt to first (routing.PrefillEndpointHeader, pkg/common/routing/common.go @ llm-d-router
// v0.10.0), set by the disagg-profile-handler.
const prefillHeader = "x-prefiller-host-port"

// P/D disaggregation with the picker configuration the provider renders for it: the real
// picker loads it, routes every request to the decode pod (through its routing sidecar on the
// pool's port), and, for a prompt with more uncached tokens than the prefix-based decider's
// threshold, names the prefill pod in x-prefiller-host-port; a short prompt is decoded
// without a prefill hop.
func TestAccEndpointPickerSplitsPrefillAndDecode(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t, "kube-scheduler", "kwok")
	ns := c.ShortNamespace(t, "epp-pd")
	c.KwokGPUNodes(t, ns, 2, 1, map[string]string{"pool": ns})
	config := acctest.Config(t, acctest.Deployment("pd", fmt.Sprintf(`name      = "pd"
namespace = %q
runtime   = "llmd"
model     = %q
mode      = "disaggregated"
disaggregated = {
  prefill_replicas = 1
  prefill_gpus     = 1
  decode_replicas  = 1
  decode_gpus      = 1
}
`, ns, model)))
	run := &pickerRun{t: t, c: c, ns: ns, engines: newEngineStandIns(t, llmd.ServePort, model)}
	resource.Test(t, acctest.TestCase(t, acctest.NothingLeft(c, []string{ns}, gateway.PoolGVR),
		resource.TestStep{
			Config:            config,
			ConfigStateChecks: []statecheck.StateCheck{acctest.Attr("kubefoundry_model_deployment.pd", "ready", knownvalue.Int64Exact(2))},
			Check: func(*terraform.State) error {
				decode, err := podsOfRole(c, ns, "pd", "decode", 1)
				if err != nil {
					return err
				}
				prefill, err := podsOfRole(c, ns, "pd", "prefill", 1)
				if err != nil {
					return err
				}
				for _, p := range append(decode, prefill...) {
					run.engines.serve(p.Status.PodIP)
				}
				if err := run.start("pd"); err != nil {
					return err
				}
				long := strings.Repeat("Summarise the history of the printing press in Europe, century by century. ", 8)
				for i, prompt := range []string{long, "Hi"} {
					h, err := run.envoy.route(context.Background(), model, prompt)
					if err != nil {
						return err
					}
					t.Logf("prompt %d (%d bytes): destination %s, prefill %q", i, len(prompt), h[destinationHeader], h[prefillHeader])
					if h[destinationHeader] != endpoint(decode[0]) {
						return fmt.Errorf("prompt %d routed to %s, want the decode pod %s (prefill pod %s)", i, h[destinationHeader], endpoint(decode[0]), endpoint(prefill[0]))
					}
					wantPrefill := ""
					if prompt == long {
						wantPrefill = endpoint(prefill[0])
					}
					if h[prefillHeader] != wantPrefill {
						return fmt.Errorf("prompt %d: %s = %q, want %q", i, prefillHeader, h[prefillHeader], wantPrefill)
					}
				}
				return nil
			},
		},
	))
}
