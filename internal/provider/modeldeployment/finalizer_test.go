package modeldeployment_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// TestAccModelDeploymentDeleteNamesBlockingFinalizer: a finalizer nobody removes makes
// destroy time out with a message that names it.
func TestAccModelDeploymentDeleteNamesBlockingFinalizer(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	ctx := context.Background()
	cfg := config(t, fmt.Sprintf(`name = "held"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"
timeouts {
  delete = "3s"
}`, ns))
	setFinalizers := func(list string) error {
		patch := []byte(`{"metadata":{"finalizers":` + list + `}}`)
		_, err := c.Dynamic.Resource(testcluster.DynamoGVR).Namespace(ns).Patch(ctx, "held", types.MergePatchType, patch, metav1.PatchOptions{})
		return err
	}
	resource.Test(t, steps(t,
		resource.TestStep{Config: cfg},
		resource.TestStep{
			PreConfig: func() {
				if err := setFinalizers(`["example.com/hold"]`); err != nil {
					t.Fatal(err)
				}
				// Release it after the destroy below has given up, so the test cleans up.
				go func() {
					time.Sleep(8 * time.Second)
					_ = setFinalizers(`null`)
				}()
			},
			Config:      cfg,
			Destroy:     true,
			ExpectError: regexp.MustCompile(`(?s)not\s+deleted\s+in\s+time.*held\s+by\s+finalizers\s+example.com/hold`),
		},
		resource.TestStep{
			PreConfig: func() { waitGone(t, "dynamo", ns, "held") },
			Config:    cfg,
			PlanOnly:  true, ExpectNonEmptyPlan: true, // gone: planned for creation again
		},
	))
}
