package modeldeployment

import (
	"context"
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// BenchmarkReadyNoticed measures how long after the operator writes Running the wait
// returns: the watch used by the resource, against a 1 s poll loop (what
// kubernetes_manifest's waiter does) as the baseline in the same run.
func BenchmarkReadyNoticed(b *testing.B) {
	c := testcluster.Get(b)
	client, err := kube.NewClient(c.RESTConfig)
	if err != nil {
		b.Fatal(err)
	}
	runtime, _ := runtimeFor("dynamo")
	ns := c.Namespace(b)
	ctx := context.Background()
	waits := map[string]func(name string) error{
		"watch": func(name string) error {
			_, err := waitReady(ctx, client, runtime, ns, name, "")
			return err
		},
		"poll-1s-baseline": func(name string) error {
			for {
				obj, err := client.Dynamic.Resource(runtime.CRD().GVR()).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
				if err != nil {
					return err
				}
				if st := runtime.Status(obj, nil, nil); st.Phase == rt.PhaseRunning && st.Current {
					return nil
				}
				time.Sleep(time.Second)
			}
		},
	}
	seq := 0
	for _, mode := range []string{"watch", "poll-1s-baseline"} {
		b.Run(mode, func(b *testing.B) {
			var total time.Duration
			for range b.N {
				seq++ // unique across the benchmark's repeated runs
				name := fmt.Sprintf("ready-%s-%d", mode[:4], seq)
				cfg := rt.DeploymentConfig{Name: name, Namespace: ns, Runtime: "dynamo", Model: "Qwen/Qwen3-0.6B"}
				runtime.Defaults(&cfg)
				ms, err := runtime.Manifests(cfg)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := client.Apply(ctx, runtime.CRD().GVR(), ms.Primary, kube.ApplyOptions{Force: true}); err != nil {
					b.Fatal(err)
				}
				done := make(chan time.Time, 1)
				go func() {
					if err := waits[mode](name); err != nil {
						b.Error(err)
					}
					done <- time.Now()
				}()
				// Let the waiter settle into its steady state before the status flips.
				time.Sleep(1300 * time.Millisecond)
				flipped := time.Now()
				if err := testcluster.SetStatus(ctx, c.Dynamic, runtime.CRD().GVR(), ns, name, func(gen int64) map[string]any {
					return testcluster.StatusFor("dynamo", "Running", "", gen, 1)
				}); err != nil {
					b.Fatal(err)
				}
				total += (<-done).Sub(flipped)
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms-to-notice/op")
		})
	}
}
