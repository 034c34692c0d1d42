package operatorstest

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// A deployment whose pod.service_account_name names an account missing from the namespace
// never gets a pod on a real cluster: the ServiceAccount admission plugin refuses each pod
// the operator's controller tries to create (Dynamo: the ReplicaSet of a component
// Deployment; KubeRay: the RayCluster's head; KAITO: the Workspace's StatefulSet), and the
// controller reports FailedCreate (KubeRay: FailedToCreateHeadPod) with the API server's
// words. The apply must end with those words, naming the account, long before its 5-minute
// timeout.
func TestAccRealMissingServiceAccountFailsFastPerRuntime(t *testing.T) {
	c := testcluster.Get(t)
	for _, tc := range []struct{ runtime, body, controller string }{
		{"dynamo", `model = "Qwen/Qwen3-0.6B"`, "replicaset"},
		{"kuberay", `model = "Qwen/Qwen3-0.6B"
kuberay = {
  head_cpu      = "1"
  head_memory   = "2Gi"
  worker_cpu    = "2"
  worker_memory = "8Gi"
}`, "raycluster"},
		{"kaito", `model = "Qwen/Qwen3-0.6B"
kaito = {
  model_source   = "vllm"
  label_selector = { pool = "%[1]s" }
}`, "statefulset"},
	} {
		t.Run(tc.runtime, func(t *testing.T) {
			t.Parallel()
			c.LogOnFailure(t)
			ns := c.ShortNamespace(t, "nosa")
			gpuNodes(t, c, ns, 1, 1)
			body := acctest.Deployment("m", fmt.Sprintf(`name = "nosa"
namespace = "%[1]s"
runtime = %[2]q
`+tc.body+`
pod = {
  service_account_name = "missing-sa"
}
timeouts {
  create = "5m"
}`, ns, tc.runtime))
			resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns),
				acctest.FailsFast(t, acctest.Config(t, body), regexp.MustCompile(`(?s)deployment\s+failed.*pods\s+cannot\s+be\s+created.*`+tc.controller+
					`.*serviceaccounts?\s+"missing-sa"\s+not\s+found.*Create\s+service\s+account\s+"missing-sa"`), "missing service account failure")...))
		})
	}
}
