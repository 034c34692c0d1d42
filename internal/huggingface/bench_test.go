package huggingface_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface/hubtest"
)

const (
	benchModels  = 50
	benchLatency = 50 * time.Millisecond
)

func benchServer(tb testing.TB) *hubtest.Server {
	s := hubtest.New(tb, hubtest.WithoutFixtures(), hubtest.WithLatency(benchLatency), hubtest.WithPageSize(100))
	for i := range benchModels {
		s.AddModel(fmt.Sprintf(`{"id":"bench/model-%02d-7B","pipeline_tag":"text-generation","library_name":"transformers","downloads":%d,
			"config":{"architectures":["LlamaForCausalLM"]},"safetensors":{"total":7000000000}}`, i, 1000-i))
	}
	return s
}

// searchOnce runs one search plus its 50 per-model lookups with a cold cache.
func searchOnce(tb testing.TB, s *hubtest.Server, concurrency int) time.Duration {
	c := &huggingface.Client{Endpoint: s.URL, Concurrency: concurrency, Cache: huggingface.NewCache(time.Minute)}
	start := time.Now()
	res, err := c.SearchModels(context.Background(), "bench/", benchModels)
	if err != nil || len(res) != benchModels {
		tb.Fatalf("search: %d results, %v", len(res), err)
	}
	return time.Since(start)
}

// BenchmarkSearch compares a 50-result search whose metadata needs one request
// per model, against a server with 50 ms latency per request, sequentially and
// with the default bounded concurrency.
func BenchmarkSearch(b *testing.B) {
	s := benchServer(b)
	var seq time.Duration
	for _, bc := range []struct {
		name        string
		concurrency int
	}{{"sequential", 1}, {fmt.Sprintf("concurrent-%d", huggingface.DefaultConcurrency), huggingface.DefaultConcurrency}} {
		b.Run(bc.name, func(b *testing.B) {
			var total time.Duration
			for b.Loop() {
				total += searchOnce(b, s, bc.concurrency)
			}
			perOp := total / time.Duration(b.N)
			b.ReportMetric(float64(perOp.Milliseconds()), "ms/search")
			if bc.concurrency == 1 {
				seq = perOp
			} else if seq > 0 {
				b.ReportMetric(float64(seq)/float64(perOp), "x-speedup")
			}
		})
	}
}

// TestSearchMeetsLatencyTarget checks the bound: total time ≤ 2 ×
// latency × (50 / concurrency limit).
// TestSearchLookupsAreBoundedAndConcurrent checks the behaviour behind the benchmark's
// speed-up without timing anything: per-model lookups overlap, but never exceed the limit.
func TestSearchLookupsAreBoundedAndConcurrent(t *testing.T) {
	s := benchServer(t)
	searchOnce(t, s, huggingface.DefaultConcurrency)
	if got := s.MaxInFlight(); got < 2 || got > huggingface.DefaultConcurrency+1 {
		t.Errorf("max requests in flight = %d, want between 2 and %d (the limit, plus the search itself)", got, huggingface.DefaultConcurrency+1)
	}
}
