package operatorstest

import (
	"context"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// TestKubeRay162Operator keeps the previous KubeRay release covered now that 1.7.0 is the
// default: a cluster of its own runs the v1.6.2 operator with its CRDs, and the core KubeRay
// checks run there as they run against 1.7.0 on the shared cluster.
func TestKubeRay162Operator(t *testing.T) {
	ctx := context.Background()
	c, err := testcluster.Start(ctx, testcluster.Options{Operators: []testcluster.Operator{testcluster.OperatorKubeRay}, KubeRayVersion: testcluster.KubeRay162})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	if v := c.KubeRayVersion(); v != testcluster.KubeRay162 {
		t.Fatalf("KubeRayVersion() = %s", v)
	}
	t.Run("RayServiceGetsRunningRayClusterButNoDashboard", func(t *testing.T) { checkRayServiceRunsClusterWithoutDashboard(t, c) })
	t.Run("Rejects48CharacterRayServiceName", func(t *testing.T) { checkRejects48CharacterName(t, c) })
	t.Run("HeadPodRefusedForMissingServiceAccount", func(t *testing.T) { checkHeadPodRefusedForMissingServiceAccount(t, c) })
}

// With the ServiceAccount admission plugin on, a RayService whose pods name a missing
// account gets no head pod: the RayCluster controller records FailedToCreateHeadPod with the
// API server's words and sets the RayCluster's ReplicaFailure condition
// (ray-operator controllers/ray/raycluster_controller.go, v1.6.2 and v1.7.0).
func TestKubeRayHeadPodRefusedForMissingServiceAccount(t *testing.T) {
	checkHeadPodRefusedForMissingServiceAccount(t, testcluster.Get(t))
}

func checkHeadPodRefusedForMissingServiceAccount(t *testing.T, c *testcluster.Cluster) {
	c.LogOnFailure(t)
	ns := c.Namespace(t)
	manifest := strings.Replace(rayServiceManifest("nosa"), "        spec:\n          containers:\n          - name: ray-head",
		"        spec:\n          serviceAccountName: missing-sa\n          containers:\n          - name: ray-head", 1)
	if manifest == rayServiceManifest("nosa") {
		t.Fatal("could not set the head's service account")
	}
	create(t, c, rayService, ns, manifest)
	var cluster string
	_, err := c.WaitFor(context.Background(), rayService, ns, "nosa", 90*time.Second, func(o *unstructured.Unstructured) bool {
		cluster, _, _ = unstructured.NestedString(o.Object, "status", "pendingServiceStatus", "rayClusterName")
		if cluster == "" {
			cluster, _, _ = unstructured.NestedString(o.Object, "status", "activeServiceStatus", "rayClusterName")
		}
		return cluster != ""
	})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := c.WaitForEvent(context.Background(), ns, "RayCluster", cluster, "FailedToCreateHeadPod", `serviceaccount "missing-sa" not found`, 90*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("KubeRay %s: %s", c.KubeRayVersion(), ev.Message)
	rc, err := c.WaitFor(context.Background(), rayCluster, ns, cluster, 60*time.Second, func(o *unstructured.Unstructured) bool {
		return condition(o, "ReplicaFailure") != nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if cond := condition(rc, "ReplicaFailure"); cond["status"] != "True" || cond["reason"] != "FailedCreateHeadPod" {
		t.Errorf("RayCluster ReplicaFailure = %v; want True, FailedCreateHeadPod", cond)
	}
}
