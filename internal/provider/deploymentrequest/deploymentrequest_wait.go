package deploymentrequest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo/dgdr"
)

// progressInterval is how often a wait that sees no change says it is still waiting.
const progressInterval = 30 * time.Second

// waitSettled watches the request until it is Ready (without auto-apply) or Deployed (with
// it). Each phase and profiler sub-phase is logged as it happens; a Failed request ends the
// wait with the operator's message. It returns the last object seen.
func waitSettled(ctx context.Context, c *kube.Client, ns, name string, autoApply bool) (*unstructured.Unstructured, error) {
	target := dgdr.PhaseDeployed
	if !autoApply {
		target = dgdr.PhaseReady
	}
	start := time.Now()
	last := ""
	ticker := time.NewTicker(progressInterval)
	defer ticker.Stop()
	progress := make(chan string, 1)
	done := make(chan struct{})
	defer close(done)
	go func() { // a quiet wait still reports every progressInterval
		cur := ""
		for {
			select {
			case <-done:
				return
			case cur = <-progress:
			case <-ticker.C:
				tflog.Info(ctx, fmt.Sprintf("%s/%s: still waiting for %s after %s: %s", ns, name, target, time.Since(start).Round(time.Second), cur))
			}
		}
	}()
	obj, err := c.Wait(ctx, dgdr.GVR, ns, name, func(o *unstructured.Unstructured) (bool, error) {
		if o == nil {
			return false, kube.ErrGone
		}
		st, err := dgdr.ReadStatus(o)
		if err != nil {
			return false, err
		}
		if p := st.Progress(); p != last {
			last = p
			tflog.Info(ctx, fmt.Sprintf("%s/%s: %s", ns, name, p))
			select {
			case progress <- p:
			default:
			}
		}
		return st.Settled(autoApply)
	})
	if err == nil {
		return obj, nil
	}
	if errors.Is(err, kube.ErrGone) {
		return nil, fmt.Errorf("the DynamoGraphDeploymentRequest %s/%s was deleted while waiting", ns, name)
	}
	if ctx.Err() != nil {
		return obj, fmt.Errorf("timed out after %s waiting for %s/%s to be %s; last seen: %s. Profiling on real GPUs takes minutes "+
			"(rapid) to hours (thorough): raise the timeouts or set wait = false. The profiler's progress is in the Job %s and "+
			"the ConfigMap %s", time.Since(start).Round(time.Second), ns, name, target, orDefault(last, "no status yet"),
			dgdr.ProfilingJobName(name), dgdr.OutputConfigMapName(name))
	}
	return obj, err
}
