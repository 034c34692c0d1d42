package operatorstest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) {
	acctest.MainWithOptions(m, testcluster.Options{Operators: testcluster.AllOperators}, nil)
}

var (
	dgdGVR        = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1beta1", Resource: "dynamographdeployments"}
	dcdGVR        = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1beta1", Resource: "dynamocomponentdeployments"}
	rayServiceGVR = schema.GroupVersionResource{Group: "ray.io", Version: "v1", Resource: "rayservices"}
	rayClusterGVR = schema.GroupVersionResource{Group: "ray.io", Version: "v1", Resource: "rayclusters"}
	workspaceGVR  = schema.GroupVersionResource{Group: "kaito.sh", Version: "v1beta1", Resource: "workspaces"}
)

// capacity renders a kubefoundry_gpu_capacity read of the test's own nodes (label pool=<pool>),
// read after the deployments (depends_on) so it sees their pods.
func capacity(pool string, after ...string) string {
	return fmt.Sprintf("data \"kubefoundry_gpu_capacity\" \"c\" {\n  node_selector = { pool = %q }\n  depends_on = [%s]\n}\n", pool, strings.Join(after, ", "))
}

func capacityIs(requested, available int64) []statecheck.StateCheck {
	const c = "data.kubefoundry_gpu_capacity.c"
	return []statecheck.StateCheck{
		acctest.Attr(c, "requested_gpus", knownvalue.Int64Exact(requested)),
		acctest.Attr(c, "available_gpus", knownvalue.Int64Exact(available)),
	}
}

// gpuNodes creates count kwok GPU nodes "<ns>-a", "<ns>-b", ... labelled pool=<ns> and
// deletes them after the test.
func gpuNodes(t *testing.T, c *testcluster.Cluster, ns string, count int, gpus int64) []string {
	t.Helper()
	return c.KwokGPUNodes(t, ns, count, gpus, map[string]string{"pool": ns})
}

// nothingLeft checks that destroy removed every child the operators made in the namespaces.
func nothingLeft(c *testcluster.Cluster, namespaces ...string) func(*terraform.State) error {
	return acctest.NothingLeft(c, namespaces, dgdGVR, dcdGVR, rayServiceGVR, rayClusterGVR, workspaceGVR)
}
