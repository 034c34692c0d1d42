package modeldeployment_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// TestAccModelDeploymentRuntimeModes creates, updates and destroys one deployment per runtime
// and mode; each apply waits for the (played) operator's Running. KAITO changes are
// replacements (its webhook makes resource.count immutable, kaito.ReplaceReasons).
func TestAccModelDeploymentRuntimeModes(t *testing.T) {
	for _, tc := range []struct {
		name, body, update string
		action             plancheck.ResourceActionType
	}{
		{"dynamo-vllm-disaggregated", `runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"
mode = "disaggregated"`, `disaggregated = { decode_replicas = 2 }`, plancheck.ResourceActionUpdate},
		{"dynamo-trtllm", `runtime = "dynamo"
model = "Qwen/Qwen2.5-1.5B-Instruct"
engine = "trtllm"`, `replicas = 2`, plancheck.ResourceActionUpdate},
		{"kuberay-aggregated", `runtime = "kuberay"
model = "Qwen/Qwen3-0.6B"`, `kuberay = { max_num_seqs = 16 }`, plancheck.ResourceActionUpdate},
		{"kaito-gguf-direct", `runtime = "kaito"
model = "Qwen/Qwen2.5-1.5B-Instruct-GGUF"
kaito = { gguf_file = "qwen2.5-1.5b-instruct-q4_k_m.gguf" }`, `replicas = 2`, plancheck.ResourceActionReplace},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ns := testcluster.Get(t).Namespace(t)
			base := fmt.Sprintf("name = %q\nnamespace = %q\n%s", tc.name, ns, tc.body)
			resource.Test(t, steps(t,
				resource.TestStep{
					Config:            config(t, base),
					ConfigStateChecks: []statecheck.StateCheck{exact("phase", knownvalue.StringExact("Running"))},
				},
				resource.TestStep{
					Config: config(t, base+"\n"+tc.update),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, tc.action),
					}},
					ConfigStateChecks: []statecheck.StateCheck{exact("phase", knownvalue.StringExact("Running"))},
				},
			))
		})
	}
}
