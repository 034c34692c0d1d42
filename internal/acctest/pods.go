package acctest

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// WaitRunningPods waits up to timeout until exactly n pods matching selector run in ns
// (Ready, with an IP; testcluster.RunningPods) and returns them, sorted by name.
func WaitRunningPods(c *testcluster.Cluster, ns, selector string, n int, timeout time.Duration) ([]corev1.Pod, error) {
	for deadline := time.Now().Add(timeout); ; time.Sleep(500 * time.Millisecond) {
		pods, err := c.RunningPods(context.Background(), ns, selector)
		if err != nil {
			return nil, err
		}
		if len(pods) == n {
			return pods, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%d pods %s running in %s, want %d", len(pods), selector, ns, n)
		}
	}
}
