package modeldeployment_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// TestAccModelDeploymentDestroyWaitsForPods: destroy deletes the custom resource in the
// background and returns only once the deployment's pods are gone. The pod here carries
// the Dynamo operator's label (nvidia.com/dynamo-graph-deployment-name) and a finalizer
// the test releases 3 s after the custom resource is gone, standing in for the garbage
// collector and a kubelet's graceful termination.
func TestAccModelDeploymentDestroyWaitsForPods(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	ctx := context.Background()
	cfg := config(t, fmt.Sprintf(`name = "podded"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"`, ns))
	var released atomic.Bool
	resource.Test(t, steps(t,
		resource.TestStep{
			Config: cfg,
			Check: func(*terraform.State) error {
				pod := &corev1.Pod{
					ObjectMeta: metav1.ObjectMeta{Name: "podded-worker-0", Namespace: ns, Finalizers: []string{"example.com/hold"},
						Labels: map[string]string{"nvidia.com/dynamo-graph-deployment-name": "podded"}},
					Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "w", Image: "registry.invalid/w:1"}}},
				}
				_, err := c.Clientset.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{})
				return err
			},
		},
		resource.TestStep{
			PreConfig: func() {
				go func() {
					waitGone(t, "dynamo", ns, "podded")
					time.Sleep(3 * time.Second)
					_ = c.Clientset.CoreV1().Pods(ns).Delete(ctx, "podded-worker-0", metav1.DeleteOptions{})
					released.Store(true)
					_, _ = c.Clientset.CoreV1().Pods(ns).Patch(ctx, "podded-worker-0", types.MergePatchType,
						[]byte(`{"metadata":{"finalizers":null}}`), metav1.PatchOptions{})
				}()
			},
			Config:  cfg,
			Destroy: true,
			Check: func(*terraform.State) error {
				if !released.Load() {
					return fmt.Errorf("destroy returned while the deployment's pod still existed")
				}
				if _, err := c.Clientset.CoreV1().Pods(ns).Get(ctx, "podded-worker-0", metav1.GetOptions{}); err == nil {
					return fmt.Errorf("pod still present after destroy")
				}
				return nil
			},
		},
	))
}
