package modeldeployment_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextensions "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// D6: the Dynamo 1.4 operator writes state=failed for any failed reconcile pass and then
// retries; a failure that clears does not abort the apply.
func TestAccModelDeploymentDynamoTransientFailureRecovers(t *testing.T) {
	ns := testcluster.Get(t).Namespace(t)
	outcomes.Store("flaky", testcluster.Outcome{Phase: "Running", Delay: 2 * time.Second,
		TransientFailure: `Operation cannot be fulfilled on dynamocomponentdeployments.nvidia.com "flaky-frontend": the object has been modified`})
	resource.Test(t, steps(t, resource.TestStep{
		Config: config(t, fmt.Sprintf(`name = "flaky"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"`, ns)),
		ConfigStateChecks: []statecheck.StateCheck{exact("phase", knownvalue.StringExact("Running"))},
	}))
}

// D6: a retried failure that persists (the operator's ClusterRoles are missing) ends the
// wait after the grace period with the Ready condition's cause.
func TestAccModelDeploymentDynamoPersistentFailureReportsCause(t *testing.T) {
	ns := testcluster.Get(t).Namespace(t)
	outcomes.Store("norbac", testcluster.Outcome{Phase: "Failed", Delay: 200 * time.Millisecond,
		Message: `cluster role "dynamo-platform-dynamo-operator-planner" does not exist`})
	resource.Test(t, steps(t, resource.TestStep{
		Config: config(t, fmt.Sprintf(`name = "norbac"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"`, ns)),
		ExpectError: regexp.MustCompile(`(?s)Model deployment is not ready.*failed_to_reconcile_the_resources:\s+cluster\s+role\s+"dynamo-platform-dynamo-operator-planner"\s+does\s+not\s+exist`),
	}))
}

// The 1.4 webhook makes backendFramework and the component set immutable: on v1beta1 an
// engine or mode change is planned as a replacement, a replica change as an update.
func TestAccModelDeploymentDynamoEngineChangeReplaces(t *testing.T) {
	ns := testcluster.Get(t).Namespace(t)
	base := fmt.Sprintf("name = \"swap\"\nnamespace = %q\nruntime = \"dynamo\"\nmodel = \"Qwen/Qwen3-0.6B\"", ns)
	resource.Test(t, steps(t,
		resource.TestStep{Config: config(t, base)},
		resource.TestStep{
			Config: config(t, base+"\nreplicas = 2"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
		},
		resource.TestStep{
			Config: config(t, base+"\nreplicas = 2\nengine = \"sglang\""),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)}},
			ConfigStateChecks: []statecheck.StateCheck{exact("phase", knownvalue.StringExact("Running"))},
		},
		resource.TestStep{
			Config: config(t, base+"\nengine = \"sglang\"\nmode = \"disaggregated\""),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)}},
		},
	))
}

// A Dynamo 0.x cluster serves only nvidia.com/v1alpha1: the default (v1beta1) fails at apply
// naming dynamo.api_version; with api_version = "v1alpha1" it deploys, reads back and
// imports as v1alpha1. The test swaps the cluster's DGD CRD for the previous one and back.
func TestAccModelDeploymentDynamoV1Alpha1Cluster(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	swapDGDCRD(t, c, testcluster.PreviousCRDs)
	base := fmt.Sprintf("name = \"old\"\nnamespace = %q\nruntime = \"dynamo\"\nmodel = \"Qwen/Qwen3-0.6B\"", ns)
	alpha := base + "\ndynamo = { api_version = \"v1alpha1\" }"
	resource.Test(t, steps(t,
		resource.TestStep{
			Config:      config(t, base),
			ExpectError: regexp.MustCompile(`(?s)API version not served by the cluster.*serves only \[v1alpha1\].*set\s+.dynamo\s+=\s+\{\s+api_version\s+=\s+"v1alpha1"\s+\}`),
		},
		resource.TestStep{
			Config: config(t, alpha),
			ConfigStateChecks: []statecheck.StateCheck{
				exact("phase", knownvalue.StringExact("Running")),
				exact("dynamo", knownvalue.ObjectExact(map[string]knownvalue.Check{"api_version": knownvalue.StringExact("v1alpha1")})),
			},
			Check: func(*terraform.State) error {
				obj, err := c.Dynamic.Resource(testcluster.DynamoV1Alpha1GVR).Namespace(ns).Get(context.Background(), "old", metav1.GetOptions{})
				if err != nil {
					return err
				}
				if dn, _, _ := unstructured.NestedString(obj.Object, "spec", "services", "VllmWorker", "dynamoNamespace"); dn != ns+"-old" {
					return fmt.Errorf("dynamoNamespace %q, want %q (D9)", dn, ns+"-old")
				}
				return nil
			},
		},
		resource.TestStep{
			ResourceName: addr, ImportState: true, ImportStateId: ns + "/old", ImportStateVerify: true,
			ImportStateVerifyIgnore: []string{"timeouts", "status_message"},
		},
		resource.TestStep{
			Config:           config(t, alpha),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
	))
}

// swapDGDCRD replaces the DynamoGraphDeployment CRD by the one of set for the test and
// restores the cluster's own afterwards (deleting a CRD deletes its objects).
func swapDGDCRD(t *testing.T, c *testcluster.Cluster, set testcluster.CRDSet) {
	t.Helper()
	ctx := context.Background()
	cs, err := apiextensions.NewForConfig(c.RESTConfig)
	if err != nil {
		t.Fatal(err)
	}
	const name = "dynamographdeployments.nvidia.com"
	original, err := cs.ApiextensionsV1().CustomResourceDefinitions().Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	replacement, err := testcluster.FindCRD(set, name)
	if err != nil {
		t.Fatal(err)
	}
	replace := func(crd *apiextensionsv1.CustomResourceDefinition) {
		if err := cs.ApiextensionsV1().CustomResourceDefinitions().Delete(ctx, name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			t.Fatal(err)
		}
		for i := 0; ; i++ {
			if _, err := cs.ApiextensionsV1().CustomResourceDefinitions().Get(ctx, name, metav1.GetOptions{}); apierrors.IsNotFound(err) {
				break
			}
			if i > 600 {
				t.Fatal("CRD not deleted")
			}
			time.Sleep(100 * time.Millisecond)
		}
		crd = crd.DeepCopy()
		crd.Status = apiextensionsv1.CustomResourceDefinitionStatus{}
		if err := testcluster.CreateCRD(ctx, cs, crd); err != nil {
			t.Fatal(err)
		}
	}
	replace(replacement)
	t.Cleanup(func() { replace(original) })
}
