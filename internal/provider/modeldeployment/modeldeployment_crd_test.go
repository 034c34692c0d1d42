package modeldeployment_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	apiextensions "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// TestAccModelDeploymentWaitsForCRD creates a deployment while the runtime's CRD is not
// installed yet (as when kubefoundry_runtime_install runs in the same apply): create waits
// until the CRD is Established, then proceeds.
func TestAccModelDeploymentWaitsForCRD(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	ctx := context.Background()
	cs, err := apiextensions.NewForConfig(c.RESTConfig)
	if err != nil {
		t.Fatal(err)
	}
	crd, err := testcluster.FindCRD(testcluster.DefaultCRDSet(), "workspaces.kaito.sh")
	if err != nil {
		t.Fatal(err)
	}
	restore := func() error { return testcluster.CreateCRD(ctx, cs, crd) }
	t.Cleanup(func() { _ = restore() })
	if err := cs.ApiextensionsV1().CustomResourceDefinitions().Delete(ctx, crd.Name, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		_, err := cs.ApiextensionsV1().CustomResourceDefinitions().Get(ctx, crd.Name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			break
		}
		if i > 300 {
			t.Fatal("CRD not deleted")
		}
		time.Sleep(100 * time.Millisecond)
	}
	installed := make(chan error, 1)
	resource.Test(t, steps(t, resource.TestStep{
		PreConfig: func() {
			go func() {
				time.Sleep(4 * time.Second)
				installed <- restore()
			}()
		},
		Config: config(t, fmt.Sprintf(`name = "late-crd"
namespace = %q
runtime = "kaito"
model = "kaito/llama3.2-1b"`, ns)),
		ConfigStateChecks: []statecheck.StateCheck{exact("phase", knownvalue.StringExact("Running"))},
	}))
	if err := <-installed; err != nil {
		t.Fatalf("re-installing the CRD: %v", err)
	}
}
