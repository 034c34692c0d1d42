package enginemetrics

import "time"

// Latency windows: where a percentile comes from.
const (
	// WindowInterval: observations made between the two scrapes.
	WindowInterval = "interval"
	// WindowSinceStart: everything the engine observed since it started (a single scrape,
	// or no request finished its first token during the interval).
	WindowSinceStart = "since_start"
)

// Percentiles are latency quantiles in milliseconds.
type Percentiles struct {
	P50, P90, P99 float64
}

// Stats describe one pod (or a whole deployment) over the scrape interval.
type Stats struct {
	Engine           string
	Frontend         bool
	Running, Waiting *float64
	KVCacheUsage     *float64
	// Token rates need two scrapes: a counter's increase over the time between them. A single
	// scrape leaves them nil (a counter's value alone says nothing about its rate).
	PromptTokensPerSecond, GenerationTokensPerSecond *float64
	TTFT, ITL                                        *Percentiles
	// LatencyWindow is WindowInterval or WindowSinceStart ("" without percentiles).
	LatencyWindow string

	// Kept for totals: the interval's observations (nil after a single scrape) and all since
	// the engine started.
	ttftDelta, itlDelta, ttftAll, itlAll *Histogram
}

// Observe turns two scrapes of one pod, elapsed apart, into Stats. first may be nil (a
// single scrape). Gauges are read from the second scrape.
func Observe(first *Sample, second Sample, elapsed time.Duration) Stats {
	s := Stats{
		Engine: second.Engine, Frontend: second.Frontend,
		Running: second.Running, Waiting: second.Waiting, KVCacheUsage: second.KVCacheUsage,
	}
	if first != nil && elapsed > 0 {
		s.PromptTokensPerSecond = rate(first.PromptTokens, second.PromptTokens, elapsed)
		s.GenerationTokensPerSecond = rate(first.GenerationTokens, second.GenerationTokens, elapsed)
	}
	s.ttftAll, s.itlAll = second.TTFT, second.ITL
	if first != nil {
		s.ttftDelta, s.itlDelta = since(second.TTFT, first.TTFT), since(second.ITL, first.ITL)
	}
	s.setLatency(s.ttftDelta, s.itlDelta, s.ttftAll, s.itlAll)
	return s
}

// setLatency takes the interval's observations when the interval saw any (TTFT's count grew;
// ITL's when there is no TTFT), else everything since the engine started.
func (s *Stats) setLatency(ttftDelta, itlDelta, ttftAll, itlAll *Histogram) {
	lead := ttftDelta
	if ttftAll == nil {
		lead = itlDelta
	}
	ttft, itl, w := ttftAll, itlAll, WindowSinceStart
	if lead != nil && lead.Count > 0 {
		ttft, itl, w = ttftDelta, itlDelta, WindowInterval
	}
	s.TTFT, s.ITL, s.LatencyWindow = percentiles(ttft), percentiles(itl), w
	if s.TTFT == nil && s.ITL == nil {
		s.LatencyWindow = ""
	}
}

func since(h, prev *Histogram) *Histogram {
	if h == nil || prev == nil {
		return nil
	}
	return h.Since(prev)
}

// rate is a counter's increase per second; a counter that went down was reset by a restart,
// so its whole current value is the increase (as PromQL's rate treats resets).
func rate(before, after *float64, elapsed time.Duration) *float64 {
	if before == nil || after == nil {
		return nil
	}
	inc := *after - *before
	if inc < 0 {
		inc = *after
	}
	v := inc / elapsed.Seconds()
	return &v
}

func percentiles(h *Histogram) *Percentiles {
	p50, ok := h.Quantile(0.50)
	if !ok {
		return nil
	}
	p90, _ := h.Quantile(0.90)
	p99, _ := h.Quantile(0.99)
	return &Percentiles{P50: p50 * 1000, P90: p90 * 1000, P99: p99 * 1000}
}
