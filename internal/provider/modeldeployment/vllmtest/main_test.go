package vllmtest

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) {
	acctest.MainWithOptions(m, testcluster.Options{LWS: true}, nil)
}

var lwsGVR = schema.GroupVersionResource{Group: "leaderworkerset.x-k8s.io", Version: "v1", Resource: "leaderworkersets"}

const addr = "kubefoundry_model_deployment.m"

func attr(name string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New(name), v)
}

func gpus(c *corev1.Container) int64 {
	q := c.Resources.Limits["nvidia.com/gpu"]
	return q.Value()
}

func cfg(t *testing.T, body string) string {
	return acctest.Config(t, acctest.Deployment("m", body))
}

// nothingLeft checks that destroy removed the LeaderWorkerSets, Deployments, Services and pods.
func nothingLeft(c *testcluster.Cluster, ns string) func(*terraform.State) error {
	return acctest.NothingLeft(c, []string{ns}, lwsGVR)
}
