package resilience_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster/faultproxy"
)

const addr = "kubefoundry_model_deployment.m"

// through starts a fault proxy in front of the shared cluster and returns it with a
// provider block that reaches the cluster only through it.
func through(t *testing.T, extra string) (*faultproxy.Proxy, string) {
	t.Helper()
	c := testcluster.Get(t)
	p, err := faultproxy.Start(c.RESTConfig)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	kc, err := p.WriteKubeconfig(t.TempDir(), c.Token)
	if err != nil {
		t.Fatal(err)
	}
	return p, fmt.Sprintf("provider \"kubefoundry\" {\n  config_path = %q\n%s\n}\n", kc, extra)
}

func deployment(provider, ns, name, extra string) string {
	return provider + fmt.Sprintf(`resource "kubefoundry_model_deployment" "m" {
  name      = %q
  namespace = %q
  runtime   = "dynamo"
  model     = "Qwen/Qwen3-0.6B"
  %s
}
`, name, ns, extra)
}

func exact(attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New(attr), v)
}

// inCluster checks the live object: it exists, once, with the wanted generation.
func inCluster(t *testing.T, ns, name string, generation int64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		list, err := testcluster.Get(t).Dynamic.Resource(testcluster.DynamoGVR).Namespace(ns).List(context.Background(), metav1.ListOptions{})
		if err != nil {
			return err
		}
		if len(list.Items) != 1 || list.Items[0].GetName() != name {
			return fmt.Errorf("want exactly %s in %s, have %d objects", name, ns, len(list.Items))
		}
		if g := list.Items[0].GetGeneration(); g != generation {
			return fmt.Errorf("%s generation %d, want %d", name, g, generation)
		}
		return nil
	}
}

func goneFromCluster(t *testing.T, ns string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		list, err := testcluster.Get(t).Dynamic.Resource(testcluster.DynamoGVR).Namespace(ns).List(context.Background(), metav1.ListOptions{})
		if err != nil {
			return err
		}
		if len(list.Items) != 0 {
			return fmt.Errorf("%d deployments left behind in %s", len(list.Items), ns)
		}
		return nil
	}
}

// fired asserts that the fault rule really hit requests in the step, so a test cannot pass
// because the proxy was bypassed.
func fired(p *faultproxy.Proxy, rule string, before *int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		n := p.Fired(rule)
		if n <= *before {
			return fmt.Errorf("fault %q never fired in this step (%d requests through the proxy)", rule, p.Requests())
		}
		*before = n
		return nil
	}
}

// reads matches the DynamoGraphDeployment API paths (get, list, watch, apply, delete).
var reads = regexp.MustCompile(`^/apis/nvidia\.com/`)

// faultKinds are the faults of issue 13, each as a rule on the deployment's own API paths.
// Every other matching request fails (deterministic, so each step surely meets the fault);
// 429 uses the proxy's seeded random source at p=0.5 instead.
var faultKinds = []struct {
	name string
	rule func() *faultproxy.Rule
}{
	{"throttled-429", func() *faultproxy.Rule {
		return &faultproxy.Rule{Name: "throttled-429", Path: reads, Watch: faultproxy.IsWatch(false), Probability: 0.5, Status: http.StatusTooManyRequests, RetryAfter: time.Second}
	}},
	{"internal-500", func() *faultproxy.Rule {
		return &faultproxy.Rule{Name: "internal-500", Path: reads, Watch: faultproxy.IsWatch(false), Every: 2, Status: http.StatusInternalServerError}
	}},
	{"unavailable-503", func() *faultproxy.Rule {
		return &faultproxy.Rule{Name: "unavailable-503", Path: reads, Watch: faultproxy.IsWatch(false), Every: 2, Status: http.StatusServiceUnavailable}
	}},
	{"connection-reset", func() *faultproxy.Rule {
		return &faultproxy.Rule{Name: "connection-reset", Path: reads, Every: 2, Reset: true}
	}},
	{"latency", func() *faultproxy.Rule {
		return &faultproxy.Rule{Name: "latency", Latency: 300 * time.Millisecond}
	}},
	{"watch-cut", func() *faultproxy.Rule {
		return &faultproxy.Rule{Name: "watch-cut", Path: reads, Watch: faultproxy.IsWatch(true), CutAfter: 200 * time.Millisecond}
	}},
}

// TestAccFaults runs create, update, refresh and destroy with each fault kind active in
// every step; each step must finish, record the truth in state, leave exactly the wanted
// object in the cluster, and converge (plugin-testing plans again after each apply and
// fails on a non-empty plan).
func TestAccFaults(t *testing.T) {
	for _, fk := range faultKinds {
		t.Run(fk.name, func(t *testing.T) {
			ns := testcluster.Get(t).Namespace(t)
			p, provider := through(t, "")
			var n int
			arm := func() { p.SetRules(fk.rule()) }
			cfg := func(extra string) string { return deployment(provider, ns, "qwen", extra) }
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             goneFromCluster(t, ns),
				Steps: []resource.TestStep{
					{ // create, waiting for Running
						PreConfig: arm,
						Config:    cfg(""),
						ConfigStateChecks: []statecheck.StateCheck{
							exact("phase", knownvalue.StringExact("Running")),
							exact("replicas", knownvalue.Int64Exact(1)),
						},
						Check: resource.ComposeTestCheckFunc(inCluster(t, ns, "qwen", 1), fired(p, fk.rule().Name, &n)),
					},
					{ // update in place, waiting for generation 2 to run
						PreConfig: arm,
						Config:    cfg("replicas = 2"),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							exact("phase", knownvalue.StringExact("Running")),
							exact("replicas", knownvalue.Int64Exact(2)),
						},
						Check: resource.ComposeTestCheckFunc(inCluster(t, ns, "qwen", 2), fired(p, fk.rule().Name, &n)),
					},
					{ // refresh: a plan with no changes
						PreConfig:          arm,
						Config:             cfg("replicas = 2"),
						PlanOnly:           true,
						ExpectNonEmptyPlan: false,
						Check:              fired(p, fk.rule().Name, &n),
					},
					{ // destroy, waiting until the object is gone
						PreConfig: arm,
						Config:    cfg("replicas = 2"),
						Destroy:   true,
						Check:     resource.ComposeTestCheckFunc(goneFromCluster(t, ns), fired(p, fk.rule().Name, &n)),
					},
				},
			})
		})
	}
}

// TestAccFaultWithoutRetriesIsAClearError: with retries off, an API server that answers
// 503 to the apply fails the create with the server's message, records nothing that does
// not exist, and the next apply (faults gone) converges.
func TestAccFaultWithoutRetriesIsAClearError(t *testing.T) {
	ns := testcluster.Get(t).Namespace(t)
	p, provider := through(t, "  api_max_retries = 0")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             goneFromCluster(t, ns),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					p.SetRules(&faultproxy.Rule{Name: "apply-503", Method: http.MethodPatch, Path: reads, Status: http.StatusServiceUnavailable})
				},
				Config:      deployment(provider, ns, "qwen", ""),
				ExpectError: regexp.MustCompile(`(?s)Creating the model deployment failed.*faultproxy: injected 503`),
				Check:       goneFromCluster(t, ns),
			},
			{
				PreConfig: func() { p.SetRules() },
				Config:    deployment(provider, ns, "qwen", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					exact("phase", knownvalue.StringExact("Running")),
				},
				Check: inCluster(t, ns, "qwen", 1),
			},
		},
	})
}
