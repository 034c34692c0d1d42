package enginemetrics

import (
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

func scrape(t *testing.T, text string) Sample {
	t.Helper()
	f, err := Parse(strings.NewReader(text), http.Header{"Content-Type": {"text/plain; version=0.0.4; charset=utf-8"}})
	if err != nil {
		t.Fatal(err)
	}
	s, ok := Extract(f)
	if !ok {
		t.Fatalf("no engine recognised in:\n%s", text)
	}
	return s
}

func near(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: missing, want %g", what, want)
		return
	}
	if math.Abs(*got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %g, want %g", what, *got, want)
	}
}

func absent(t *testing.T, what string, got *float64) {
	t.Helper()
	if got != nil {
		t.Errorf("%s = %g, want none", what, *got)
	}
}

func percentilesNear(t *testing.T, what string, got *Percentiles, p50, p90, p99 float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: no percentiles", what)
		return
	}
	near(t, what+" p50", &got.P50, p50)
	near(t, what+" p90", &got.P90, p90)
	near(t, what+" p99", &got.P99, p99)
}

// vLLM 0.19, two engines, two scrapes 2 s apart: gauges summed (KV averaged) over the
// engines, rates from the counters' increase, percentiles from the interval's observations.
func TestVLLMTwoScrapes(t *testing.T) {
	ttft1 := []float64{0, 0, 0, 0, 0, 0, 0, 0, 10, 10, 10, 10, 10, 10, 10, 10}
	ttft2 := []float64{0, 0, 0, 0, 0, 0, 0, 0, 10, 30, 50, 50, 50, 50, 50, 50}
	itl1 := []float64{0, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100}
	itl2 := []float64{0, 100, 300, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400}
	first := scrape(t, vllmScrape(1000, 5000, ttft1, itl1, 2, 2))
	second := scrape(t, vllmScrape(3000, 5400, ttft2, itl2, 22, 20))
	if second.Engine != "vllm" || second.Frontend {
		t.Fatalf("engine %q frontend %v", second.Engine, second.Frontend)
	}
	s := Observe(&first, second, 2*time.Second)
	near(t, "running", s.Running, 8)
	near(t, "waiting", s.Waiting, 2)
	near(t, "kv", s.KVCacheUsage, 0.375)
	near(t, "prompt tok/s", s.PromptTokensPerSecond, 1000)
	near(t, "generation tok/s", s.GenerationTokensPerSecond, 200)
	if s.LatencyWindow != WindowInterval {
		t.Errorf("window %q", s.LatencyWindow)
	}
	// 40 first tokens in the interval: 20 in (0.25, 0.5], 20 in (0.5, 0.75].
	percentilesNear(t, "ttft", s.TTFT, 500, 700, 745)
	// 300 gaps: 200 in (0.025, 0.05], 100 in (0.05, 0.075].
	percentilesNear(t, "itl", s.ITL, 43.75, 67.5, 74.25)

	// One scrape: no rates, percentiles over everything since start (50 first tokens).
	one := Observe(nil, second, 0)
	absent(t, "single-scrape prompt rate", one.PromptTokensPerSecond)
	absent(t, "single-scrape generation rate", one.GenerationTokensPerSecond)
	if one.LatencyWindow != WindowSinceStart {
		t.Errorf("single scrape window %q", one.LatencyWindow)
	}
	near(t, "since-start ttft p50", &one.TTFT.P50, 437.5)
}

// The interval saw no first token: the percentiles fall back to everything since start.
func TestIdleIntervalFallsBackToSinceStart(t *testing.T) {
	ttft := []float64{0, 0, 0, 0, 0, 0, 0, 0, 10, 30, 50, 50, 50, 50, 50, 50}
	itl := []float64{0, 100, 300, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400}
	a := scrape(t, vllmScrape(3000, 5400, ttft, itl, 22, 20))
	b := scrape(t, vllmScrape(3000, 5400, ttft, itl, 22, 20))
	s := Observe(&a, b, time.Second)
	near(t, "idle generation tok/s", s.GenerationTokensPerSecond, 0)
	if s.LatencyWindow != WindowSinceStart {
		t.Fatalf("window %q", s.LatencyWindow)
	}
	near(t, "ttft p50", &s.TTFT.P50, 437.5)
}

// Older vLLM images: gpu_cache_usage_perc and time_per_output_token_seconds.
func TestVLLMOldNames(t *testing.T) {
	text := `# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{model_name="m"} 2.0
# TYPE vllm:gpu_cache_usage_perc gauge
vllm:gpu_cache_usage_perc{model_name="m"} 0.9
# TYPE vllm:time_per_output_token_seconds histogram
` + hist("vllm:time_per_output_token_seconds", `model_name="m"`, []float64{0.01, 0.02}, []float64{0, 10}, 0.15, true)
	s := Observe(nil, scrape(t, text), 0)
	near(t, "kv", s.KVCacheUsage, 0.9)
	percentilesNear(t, "itl", s.ITL, 15, 19, 19.9)
	if s.TTFT != nil {
		t.Errorf("ttft %+v without a histogram", s.TTFT)
	}
}

func TestSGLang(t *testing.T) {
	s := Observe(nil, scrape(t, sglangScrape), 0)
	if s.Engine != "sglang" {
		t.Fatalf("engine %q", s.Engine)
	}
	near(t, "running", s.Running, 12)
	near(t, "waiting", s.Waiting, 4)
	near(t, "kv (token_usage)", s.KVCacheUsage, 0.62)
	percentilesNear(t, "ttft", s.TTFT, 200, 400, 760)
	near(t, "itl p50", &s.ITL.P50, 20)
}

// TRT-LLM under Dynamo: the engine's trtllm_* families; KV usage from Dynamo's own gauge.
func TestTRTLLMUnderDynamo(t *testing.T) {
	s := Observe(nil, scrape(t, trtllmScrape), 0)
	if s.Engine != "trtllm" {
		t.Fatalf("engine %q", s.Engine)
	}
	near(t, "running", s.Running, 7)
	near(t, "waiting", s.Waiting, 1)
	near(t, "kv (dynamo_component_gpu_cache_usage_percent)", s.KVCacheUsage, 0.3)
	near(t, "ttft p50", &s.TTFT.P50, 250)
	near(t, "tpot p50", &s.ITL.P50, 15) // rank 20 of 40: 0.01 + 0.015·10/30
}

func TestLlamaCppHasNoHistograms(t *testing.T) {
	a, b := scrape(t, llamaCppScrape), scrape(t, strings.Replace(llamaCppScrape, "tokens_predicted_total 3469", "tokens_predicted_total 3669", 1))
	s := Observe(&a, b, 4*time.Second)
	if s.Engine != "llamacpp" {
		t.Fatalf("engine %q", s.Engine)
	}
	near(t, "running (requests_processing)", s.Running, 1)
	near(t, "waiting (requests_deferred)", s.Waiting, 2)
	near(t, "kv", s.KVCacheUsage, 0.125)
	near(t, "generation tok/s", s.GenerationTokensPerSecond, 50)
	near(t, "prompt tok/s", s.PromptTokensPerSecond, 0)
	if s.TTFT != nil || s.ITL != nil || s.LatencyWindow != "" {
		t.Errorf("latency from an engine without histograms: %+v %+v %q", s.TTFT, s.ITL, s.LatencyWindow)
	}
}

func TestRayServeVLLM(t *testing.T) {
	s := Observe(nil, scrape(t, rayVLLMScrape), 0)
	if s.Engine != "ray_vllm" {
		t.Fatalf("engine %q", s.Engine)
	}
	near(t, "running", s.Running, 6)
	near(t, "waiting", s.Waiting, 1)
	near(t, "kv", s.KVCacheUsage, 0.75)
}

// A Dynamo graph: the frontend gives token rates and client-side latency, the worker its
// queue and cache.
func TestTotalDynamoFrontendAndWorker(t *testing.T) {
	f1 := scrape(t, dynamoFrontendScrape(10000, 4000, []float64{10, 20, 30, 30}))
	f2 := scrape(t, dynamoFrontendScrape(16000, 4600, []float64{10, 40, 60, 60}))
	if !f2.Frontend || f2.Engine != "dynamo_frontend" {
		t.Fatalf("frontend not recognised: %q", f2.Engine)
	}
	front := Observe(&f1, f2, 3*time.Second)
	near(t, "frontend input tok/s (histogram sum)", front.PromptTokensPerSecond, 2000)
	near(t, "frontend output tok/s", front.GenerationTokensPerSecond, 200)
	near(t, "frontend ttft p50", &front.TTFT.P50, 87.5)
	absent(t, "frontend kv", front.KVCacheUsage)
	near(t, "frontend in-flight", front.Running, 9)
	near(t, "frontend queued", front.Waiting, 1)

	ttft1 := []float64{0, 0, 0, 0, 0, 0, 0, 0, 10, 10, 10, 10, 10, 10, 10, 10}
	ttft2 := []float64{0, 0, 0, 0, 0, 0, 0, 0, 10, 30, 50, 50, 50, 50, 50, 50}
	itl := []float64{0, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100}
	w1 := scrape(t, vllmScrape(1000, 5000, ttft1, itl, 2, 2))
	w2 := scrape(t, vllmScrape(3000, 5400, ttft2, itl, 22, 2))
	worker := Observe(&w1, w2, 3*time.Second)

	total, skipped := Total([]Stats{front, worker})
	if skipped != 0 {
		t.Errorf("skipped %d histograms", skipped)
	}
	if total.Engine != "vllm" {
		t.Errorf("total engine %q", total.Engine)
	}
	near(t, "running (engines)", total.Running, 8)
	near(t, "waiting (engines)", total.Waiting, 2)
	near(t, "kv (engines)", total.KVCacheUsage, 0.375)
	near(t, "prompt tok/s (frontend)", total.PromptTokensPerSecond, 2000)
	near(t, "generation tok/s (frontend)", total.GenerationTokensPerSecond, 200)
	near(t, "ttft p50 (frontend)", &total.TTFT.P50, 87.5)
	if total.LatencyWindow != WindowInterval {
		t.Errorf("window %q", total.LatencyWindow)
	}
}

// Two engines without a frontend: rates add up, histograms merge bucket by bucket.
func TestTotalMergesEngines(t *testing.T) {
	ttft1 := []float64{0, 0, 0, 0, 0, 0, 0, 0, 10, 10, 10, 10, 10, 10, 10, 10}
	ttft2 := []float64{0, 0, 0, 0, 0, 0, 0, 0, 10, 30, 50, 50, 50, 50, 50, 50}
	itl := []float64{0, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100}
	a1, a2 := scrape(t, vllmScrape(1000, 5000, ttft1, itl, 2, 2)), scrape(t, vllmScrape(3000, 5400, ttft2, itl, 22, 2))
	b1, b2 := scrape(t, vllmScrape(0, 0, ttft1, itl, 2, 2)), scrape(t, vllmScrape(0, 400, ttft1, itl, 2, 2))
	total, _ := Total([]Stats{Observe(&a1, a2, 2*time.Second), Observe(&b1, b2, 2*time.Second)})
	near(t, "running", total.Running, 16)
	near(t, "prompt tok/s", total.PromptTokensPerSecond, 1000)
	near(t, "generation tok/s", total.GenerationTokensPerSecond, 400)
	// b saw no first token in the interval, so the merged interval holds a's 40.
	near(t, "ttft p50", &total.TTFT.P50, 500)
}

func TestQuantileLikePromQL(t *testing.T) {
	h := &Histogram{Bounds: []float64{1, 2}, Cumulative: []float64{1, 2}, Count: 10}
	if v, _ := h.Quantile(0.5); v != 2 {
		t.Errorf("rank in +Inf bucket: %g, want the largest finite bound 2", v)
	}
	h = &Histogram{Bounds: []float64{0.1, 0.2}, Cumulative: []float64{4, 8}, Count: 8}
	if v, _ := h.Quantile(0.25); math.Abs(v-0.05) > 1e-12 {
		t.Errorf("first bucket interpolates from 0: %g", v)
	}
	if _, ok := (&Histogram{Bounds: []float64{1}, Cumulative: []float64{0}}).Quantile(0.5); ok {
		t.Error("empty histogram has a quantile")
	}
}

func TestCounterResetCountsFromZero(t *testing.T) {
	before, after := 1000.0, 100.0
	near(t, "rate after restart", rate(&before, &after, time.Second), 100)
}

func TestUnknownAndBrokenExpositions(t *testing.T) {
	f, err := Parse(strings.NewReader("# TYPE go_goroutines gauge\ngo_goroutines 12\n"), http.Header{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := Extract(f); ok {
		t.Error("a Go runtime exposition taken for an engine")
	}
	if _, err := Parse(strings.NewReader("vllm:num_requests_running{ 3\n"), http.Header{}); err == nil {
		t.Error("a broken exposition parsed")
	}
}
