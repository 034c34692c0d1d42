package resilience_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// forget drops the resource from state and leaves the object in the cluster: exactly what
// an apply interrupted after the create and before the state was written leaves behind.
const forget = `
removed {
  from = kubefoundry_model_deployment.m
  lifecycle { destroy = false }
}
`

func providerWithOwner(t *testing.T, owner string) string {
	return acctest.ProviderBlock(t, `  ownership_id = "`+owner+`"`)
}

// TestAccInterruptedApplyIsAdopted: the object carries this configuration's marker and is
// in no state; the next apply adopts it (one object, same UID, no error), and converges.
func TestAccInterruptedApplyIsAdopted(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	var uid string
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             goneFromCluster(t, ns),
		Steps: []resource.TestStep{
			{
				Config: deployment(providerWithOwner(t, "pipeline-a"), ns, "qwen", ""),
				Check: func(*terraform.State) error {
					uid = string(live(t, ns, "qwen").GetUID())
					return nil
				},
			},
			{Config: providerWithOwner(t, "pipeline-a") + forget, Check: inCluster(t, ns, "qwen", 1)},
			{
				Config: deployment(providerWithOwner(t, "pipeline-a"), ns, "qwen", "replicas = 2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					exact("phase", knownvalue.StringExact("Running")),
					exact("replicas", knownvalue.Int64Exact(2)),
				},
				Check: resource.ComposeTestCheckFunc(inCluster(t, ns, "qwen", 2), func(*terraform.State) error {
					if got := string(live(t, ns, "qwen").GetUID()); got != uid {
						t.Errorf("object re-created (uid %s, was %s); want it adopted", got, uid)
					}
					return nil
				}),
			},
		},
	})
}

// TestAccForeignObjectsAreRefused: an object without our marker, and one with the marker
// of another ownership_id, are refused with the import hint and left untouched.
func TestAccForeignObjectsAreRefused(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	foreign := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "nvidia.com/v1beta1", "kind": "DynamoGraphDeployment",
		"metadata": map[string]any{"name": "theirs", "namespace": ns},
		"spec":     map[string]any{"components": []any{}},
	}}
	if _, err := c.Dynamic.Resource(testcluster.DynamoGVR).Namespace(ns).Create(context.Background(), foreign, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	refused := regexp.MustCompile(`(?s)Model deployment already exists.*terraform\s+import\s+<address>\s+` + ns)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: deployment(providerWithOwner(t, "pipeline-a"), ns, "theirs", ""), ExpectError: refused},
			{Config: deployment(providerWithOwner(t, "pipeline-a"), ns, "qwen", "")},
			{Config: providerWithOwner(t, "pipeline-a") + forget},
			{
				Config:      deployment(providerWithOwner(t, "pipeline-b"), ns, "qwen", ""),
				ExpectError: regexp.MustCompile(`(?s)already exists.*marker\s+of\s+another\s+configuration.*terraform\s+import`),
			},
		},
	})
	if obj := live(t, ns, "theirs"); obj.GetGeneration() != 1 || len(obj.GetAnnotations()) != 0 {
		t.Errorf("foreign object was modified: generation %d, annotations %v", obj.GetGeneration(), obj.GetAnnotations())
	}
	if obj := live(t, ns, "qwen"); obj.GetGeneration() != 1 {
		t.Errorf("pipeline-a's object was modified by pipeline-b: generation %d", obj.GetGeneration())
	}
}

func live(t *testing.T, ns, name string) *unstructured.Unstructured {
	t.Helper()
	obj, err := testcluster.Get(t).Dynamic.Resource(testcluster.DynamoGVR).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("getting %s/%s: %v", ns, name, err)
	}
	return obj
}
