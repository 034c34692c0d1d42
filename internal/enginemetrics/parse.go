package enginemetrics

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// Families are the metric families of one exposition, by name.
type Families map[string]*dto.MetricFamily

// Parse decodes an exposition in the format its Content-Type names (Prometheus text or
// delimited protobuf; text when the header says nothing usable). Metric names may hold
// colons (vllm:, sglang:, llamacpp:), which the classic name rules allow.
func Parse(r io.Reader, header http.Header) (Families, error) {
	format := expfmt.ResponseFormat(header)
	if format.FormatType() == expfmt.TypeUnknown {
		format = expfmt.NewFormat(expfmt.TypeTextPlain)
	}
	dec := expfmt.NewDecoder(r, format)
	fams := Families{}
	for {
		var mf dto.MetricFamily
		err := dec.Decode(&mf)
		if errors.Is(err, io.EOF) {
			return fams, nil
		}
		if err != nil {
			return nil, fmt.Errorf("parsing the Prometheus exposition: %w", err)
		}
		fams[mf.GetName()] = &mf
	}
}

// Detect returns the profile of the first engine whose marker metric is present.
func Detect(f Families) (Profile, bool) {
	for _, p := range Profiles {
		for _, m := range p.Markers {
			if _, ok := f[m]; ok {
				return p, true
			}
		}
	}
	return Profile{}, false
}

// first is the first of names present.
func (f Families) first(names []string) *dto.MetricFamily {
	for _, n := range names {
		if mf, ok := f[n]; ok && len(mf.GetMetric()) > 0 {
			return mf
		}
	}
	return nil
}

// sum adds a family's values over its series: gauges, counters, untyped values, or a
// histogram's sample sum (Dynamo's input tokens). nil when no name is present.
func (f Families) sum(names []string) *float64 {
	mf := f.first(names)
	if mf == nil {
		return nil
	}
	total := 0.0
	for _, m := range mf.GetMetric() {
		switch {
		case m.GetHistogram() != nil:
			total += m.GetHistogram().GetSampleSum()
		case m.GetCounter() != nil:
			total += m.GetCounter().GetValue()
		case m.GetGauge() != nil:
			total += m.GetGauge().GetValue()
		case m.GetUntyped() != nil:
			total += m.GetUntyped().GetValue()
		}
	}
	if math.IsNaN(total) {
		return nil
	}
	return &total
}

// mean averages a ratio gauge over its series (one per data-parallel engine or rank).
func (f Families) mean(names []string) *float64 {
	mf := f.first(names)
	if mf == nil {
		return nil
	}
	s := f.sum(names)
	if s == nil {
		return nil
	}
	v := *s / float64(len(mf.GetMetric()))
	return &v
}

// histogram merges a histogram family's series (same buckets, different labels) into one.
func (f Families) histogram(names []string) *Histogram {
	mf := f.first(names)
	if mf == nil || mf.GetType() != dto.MetricType_HISTOGRAM {
		return nil
	}
	byBound := map[float64]float64{}
	h := &Histogram{}
	for _, m := range mf.GetMetric() {
		mh := m.GetHistogram()
		if mh == nil {
			continue
		}
		h.Count += float64(mh.GetSampleCount()) + mh.GetSampleCountFloat()
		h.Sum += mh.GetSampleSum()
		for _, b := range mh.GetBucket() {
			if math.IsInf(b.GetUpperBound(), 1) {
				continue // the +Inf bucket is the sample count
			}
			byBound[b.GetUpperBound()] += float64(b.GetCumulativeCount()) + b.GetCumulativeCountFloat()
		}
	}
	for ub := range byBound {
		h.Bounds = append(h.Bounds, ub)
	}
	sort.Float64s(h.Bounds)
	for _, ub := range h.Bounds {
		h.Cumulative = append(h.Cumulative, byBound[ub])
	}
	return h
}

// Sample is what one scrape of one pod holds, by the pod's engine profile. A nil field is a
// metric this engine (or this release of it) does not expose.
type Sample struct {
	Engine           string
	Frontend         bool
	Running, Waiting *float64
	KVCacheUsage     *float64
	PromptTokens     *float64 // cumulative counters
	GenerationTokens *float64
	TTFT, ITL        *Histogram
}

// Extract reads one exposition with the profile of its engine; ok is false when no known
// engine's metrics are in it.
func Extract(f Families) (Sample, bool) {
	p, ok := Detect(f)
	if !ok {
		return Sample{}, false
	}
	return Sample{
		Engine:           p.Engine,
		Frontend:         p.Frontend,
		Running:          f.sum(p.Running),
		Waiting:          f.sum(p.Waiting),
		KVCacheUsage:     f.mean(p.KVCacheUsage),
		PromptTokens:     f.sum(p.PromptTokens),
		GenerationTokens: f.sum(p.GenerationTokens),
		TTFT:             f.histogram(p.TTFT),
		ITL:              f.histogram(p.ITL),
	}, true
}
