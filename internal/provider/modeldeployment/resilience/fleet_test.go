package resilience_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster/faultproxy"
)

// TestAccFleetUnderRandomFaults is issue 13's outside measurement turned into a test: ten
// deployments applied, refreshed and destroyed while 20% of the API requests are answered
// 503 without Retry-After and another 20% of the rest are reset (before this round the
// apply failed). Each step must finish with all ten Running, exactly ten objects, and
// nothing left after destroy.
func TestAccFleetUnderRandomFaults(t *testing.T) {
	ns := testcluster.Get(t).Namespace(t)
	p, provider := through(t, "")
	arm := func() {
		p.SetRules(
			&faultproxy.Rule{Name: "503", Watch: faultproxy.IsWatch(false), Probability: 0.2, Status: http.StatusServiceUnavailable},
			&faultproxy.Rule{Name: "reset", Probability: 0.2, Reset: true},
		)
	}
	cfg := provider + fmt.Sprintf(`resource "kubefoundry_model_deployment" "fleet" {
  count     = 10
  name      = "fleet-${count.index}"
  namespace = %q
  runtime   = "dynamo"
  model     = "Qwen/Qwen3-0.6B"
}
`, ns)
	count := func(want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			list, err := testcluster.Get(t).Dynamic.Resource(testcluster.DynamoGVR).Namespace(ns).List(context.Background(), metav1.ListOptions{})
			if err != nil {
				return err
			}
			if len(list.Items) != want {
				return fmt.Errorf("%d deployments in %s, want %d", len(list.Items), ns, want)
			}
			return nil
		}
	}
	running := make([]resource.TestCheckFunc, 0, 11)
	for i := range 10 {
		running = append(running, resource.TestCheckResourceAttr(fmt.Sprintf("kubefoundry_model_deployment.fleet.%d", i), "phase", "Running"))
	}
	var n503, nReset int
	running = append(running, count(10), fired(p, "503", &n503), fired(p, "reset", &nReset))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             goneFromCluster(t, ns),
		Steps: []resource.TestStep{
			{PreConfig: arm, Config: cfg, Check: resource.ComposeTestCheckFunc(running...)},
			{PreConfig: arm, Config: cfg, PlanOnly: true},
			{PreConfig: arm, Config: cfg, Destroy: true, Check: count(0)},
		},
	})
}
