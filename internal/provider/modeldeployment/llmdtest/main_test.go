package llmdtest

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) {
	acctest.MainWithOptions(m, testcluster.Options{Kwok: true, GatewayAPI: true}, nil)
}

const addr = "kubefoundry_model_deployment.m"

func attr(name string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New(name), v)
}

func cfg(t *testing.T, body string) string {
	return acctest.Config(t, acctest.Deployment("m", body))
}

var (
	roleGVR        = schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "roles"}
	roleBindingGVR = schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "rolebindings"}
)

// nothingLeft: destroy removed the Deployments, Services, pods, the InferencePool, the
// HTTPRoute and the EPP's RBAC, and its ConfigMap and ServiceAccount (the namespace's own
// ConfigMap and ServiceAccount stay, so those two are checked by name).
func nothingLeft(c *testcluster.Cluster, ns, name string) func(*terraform.State) error {
	left := acctest.NothingLeft(c, []string{ns}, gateway.PoolGVR, gateway.HTTPRouteGVR, roleGVR, roleBindingGVR)
	return func(s *terraform.State) error {
		if err := left(s); err != nil {
			return err
		}
		ctx := context.Background()
		if _, err := c.Clientset.CoreV1().ConfigMaps(ns).Get(ctx, gateway.EPPName(name), metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			return fmt.Errorf("ConfigMap %s left after destroy (%v)", gateway.EPPName(name), err)
		}
		if _, err := c.Clientset.CoreV1().ServiceAccounts(ns).Get(ctx, gateway.EPPName(name), metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			return fmt.Errorf("ServiceAccount %s left after destroy (%v)", gateway.EPPName(name), err)
		}
		return nil
	}
}
