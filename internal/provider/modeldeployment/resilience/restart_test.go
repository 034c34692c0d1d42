package resilience_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// TestAccAPIServerRestartWhileWaiting restarts kube-apiserver (same etcd, same port) while
// the create waits for readiness, and flips the deployment to Running while the server is
// down for the provider's watch: the wait must re-establish its watch and notice it.
func TestAccAPIServerRestartWhileWaiting(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	const name = "hold-restart"
	provider := acctest.ProviderBlock(t, "")
	restarted := make(chan error, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             goneFromCluster(t, ns),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				go func() { restarted <- restartOnceCreated(ctx, c, ns, name) }()
			},
			Config: deployment(provider, ns, name, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				exact("phase", knownvalue.StringExact("Running")),
			},
			Check: resource.ComposeTestCheckFunc(inCluster(t, ns, name, 1), func(*terraform.State) error {
				select {
				case err := <-restarted:
					return err
				default:
					return fmt.Errorf("the apply finished before the API server restart completed")
				}
			}),
		}},
	})
}

// restartOnceCreated waits until the provider created the object (it is then waiting),
// restarts the API server, and writes Running once the server is back, before the
// provider's watch had a chance to be re-established.
func restartOnceCreated(ctx context.Context, c *testcluster.Cluster, ns, name string) error {
	for {
		if _, err := c.Dynamic.Resource(testcluster.DynamoGVR).Namespace(ns).Get(ctx, name, metav1.GetOptions{}); err == nil {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	time.Sleep(time.Second) // the provider is inside its watch now
	if err := c.RestartAPIServer(ctx, 2*time.Second); err != nil {
		return fmt.Errorf("restarting the API server: %w", err)
	}
	return testcluster.SetStatus(ctx, c.Dynamic, testcluster.DynamoGVR, ns, name, func(gen int64) map[string]any {
		return testcluster.StatusFor("dynamo", "Running", "", gen, 1)
	})
}
