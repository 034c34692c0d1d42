package testcluster

import (
	"context"
	"testing"
	"time"
)

// BenchmarkStart measures how long a cluster takes to start with the real operators (kwok,
// kube-scheduler, current CRDs, Dynamo, KubeRay and KAITO ready) against the plain control
// plane with the default CRDs, in the same process, and reports the ratio:
//
//	go test -run '^$' -bench BenchmarkStart -benchtime 1x ./internal/testcluster/
func BenchmarkStart(b *testing.B) {
	ctx := context.Background()
	start := func(opts Options) time.Duration {
		t0 := time.Now()
		c, err := Start(ctx, opts)
		if err != nil {
			b.Fatal(err)
		}
		d := time.Since(t0)
		c.Stop()
		return d
	}
	var plain, ops time.Duration
	for b.Loop() {
		plain += start(Options{})
		ops += start(Options{Operators: AllOperators})
	}
	n := float64(b.N)
	b.ReportMetric(plain.Seconds()/n, "s/start-control-plane")
	b.ReportMetric(ops.Seconds()/n, "s/start-with-operators")
	b.ReportMetric(ops.Seconds()/plain.Seconds(), "x-operators-vs-plain")
}
