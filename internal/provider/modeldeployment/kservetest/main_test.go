package kservetest

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) {
	acctest.MainWithOptions(m, testcluster.Options{KServe: true, GatewayAPI: true, LWS: true}, nil)
}

var llmisvcGVR = schema.GroupVersionResource{Group: "serving.kserve.io", Version: "v1alpha2", Resource: "llminferenceservices"}

const addr = "kubefoundry_model_deployment.m"

func attr(name string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New(name), v)
}

func cfg(t *testing.T, body string) string {
	return acctest.Config(t, acctest.Deployment("m", body))
}

// nothingLeft checks that destroy removed the LLMInferenceServices and what the controller
// made for them (Deployments, Services, pods).
func nothingLeft(c *testcluster.Cluster, ns string) func(*terraform.State) error {
	return acctest.NothingLeft(c, []string{ns}, llmisvcGVR)
}
