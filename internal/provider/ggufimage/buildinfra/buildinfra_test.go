package buildinfra_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) { acctest.Main(m) }

const res = "kubefoundry_gguf_build_infra.test"

func TestAccBuildInfra(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	port := 30000 + rand.IntN(2000)
	cs := c.Clientset
	ctx := context.Background()
	config := func(buildkit bool) string {
		return acctest.ProviderBlock(t, "") + fmt.Sprintf(`
resource "kubefoundry_gguf_build_infra" "test" {
  namespace             = %q
  registry_storage_size = "20Gi"
  registry_node_port    = %d
  buildkit              = %t
  wait                  = false # no kubelet in the test control plane
}
`, ns, port, buildkit)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		PreCheck:                 func() { acctest.PreCheck(t) },
		CheckDestroy: func(*terraform.State) error {
			for what, get := range map[string]func() error{
				"buildkitd": func() error {
					_, err := cs.AppsV1().StatefulSets(ns).Get(ctx, "buildkitd", metav1.GetOptions{})
					return err
				},
				"service": func() error {
					_, err := cs.CoreV1().Services(ns).Get(ctx, "kubefoundry-registry", metav1.GetOptions{})
					return err
				},
				"deployment": func() error {
					_, err := cs.AppsV1().Deployments(ns).Get(ctx, "kubefoundry-registry", metav1.GetOptions{})
					return err
				},
				"pvc": func() error {
					_, err := cs.CoreV1().PersistentVolumeClaims(ns).Get(ctx, "kubefoundry-registry-data", metav1.GetOptions{})
					return err
				},
			} {
				if err := get(); !apierrors.IsNotFound(err) {
					return fmt.Errorf("%s left after destroy (err=%v)", what, err)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config(true),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("registry_push_address"), knownvalue.StringExact("kubefoundry-registry."+ns+".svc:5000")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("registry_pull_address"), knownvalue.StringExact(fmt.Sprintf("localhost:%d", port))),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("builder_address"), knownvalue.StringExact("kube-pod://buildkitd-0?namespace="+ns)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("registry_image"), knownvalue.StringExact("docker.io/library/registry:2.8.3")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("id"), knownvalue.StringExact(ns)),
				},
				Check: func(*terraform.State) error {
					pvc, err := cs.CoreV1().PersistentVolumeClaims(ns).Get(ctx, "kubefoundry-registry-data", metav1.GetOptions{})
					if err != nil {
						return err
					}
					if q := pvc.Spec.Resources.Requests[corev1.ResourceStorage]; q.String() != "20Gi" {
						return fmt.Errorf("pvc size %s", q.String())
					}
					d, err := cs.AppsV1().Deployments(ns).Get(ctx, "kubefoundry-registry", metav1.GetOptions{})
					if err != nil {
						return err
					}
					if d.Spec.Strategy.Type != appsv1.RecreateDeploymentStrategyType ||
						d.Spec.Template.Spec.Volumes[0].PersistentVolumeClaim == nil ||
						d.Spec.Template.Spec.Volumes[0].PersistentVolumeClaim.ClaimName != "kubefoundry-registry-data" {
						return fmt.Errorf("registry deployment: %+v", d.Spec)
					}
					svc, err := cs.CoreV1().Services(ns).Get(ctx, "kubefoundry-registry", metav1.GetOptions{})
					if err != nil {
						return err
					}
					if svc.Spec.Type != corev1.ServiceTypeNodePort || svc.Spec.Ports[0].NodePort != int32(port) {
						return fmt.Errorf("registry service: %+v", svc.Spec)
					}
					ss, err := cs.AppsV1().StatefulSets(ns).Get(ctx, "buildkitd", metav1.GetOptions{})
					if err != nil {
						return err
					}
					if ss.Spec.ServiceName != "buildkitd" || *ss.Spec.Template.Spec.Containers[0].SecurityContext.Privileged != true {
						return fmt.Errorf("buildkitd statefulset: %+v", ss.Spec)
					}
					return nil
				},
			},
			{
				// Turning BuildKit off removes it in place.
				Config: config(false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("builder_address"), knownvalue.Null()),
				},
				Check: func(*terraform.State) error {
					if _, err := cs.AppsV1().StatefulSets(ns).Get(ctx, "buildkitd", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
						return fmt.Errorf("buildkitd still there: %v", err)
					}
					return nil
				},
			},
			{
				// The registry deleted out of band is planned back.
				PreConfig: func() {
					if err := cs.AppsV1().Deployments(ns).Delete(ctx, "kubefoundry-registry", metav1.DeleteOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config: config(false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}
