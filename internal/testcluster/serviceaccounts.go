package testcluster

import (
	"context"
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
)

// AdmitsServiceAccounts reports whether the cluster runs the ServiceAccount admission plugin
// (and kube-controller-manager's serviceaccount controller that creates the accounts it
// needs): true unless started with Options.NoControllerManager.
func (c *Cluster) AdmitsServiceAccounts() bool { return c.serviceAccounts }

// WaitForDefaultServiceAccount waits until the serviceaccount controller has created the
// "default" account of a new namespace: until then the API server refuses pods there
// (after a short retry of its own), as on a real cluster. A no-op without the plugin.
func (c *Cluster) WaitForDefaultServiceAccount(ctx context.Context, namespace string) error {
	if !c.serviceAccounts {
		return nil
	}
	err := wait.PollUntilContextTimeout(ctx, 50*time.Millisecond, 60*time.Second, true, func(ctx context.Context) (bool, error) {
		_, err := c.Clientset.CoreV1().ServiceAccounts(namespace).Get(ctx, "default", metav1.GetOptions{})
		return err == nil, nil
	})
	if err != nil {
		return fmt.Errorf("no default service account in namespace %s (kube-controller-manager log: %s): %w", namespace, c.LogFile("kube-controller-manager"), err)
	}
	return nil
}
