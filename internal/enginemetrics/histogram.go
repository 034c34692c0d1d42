package enginemetrics

import (
	"math"
	"slices"
)

// Histogram is a classic Prometheus histogram: finite upper bounds in increasing order, the
// cumulative count at each, and the total count (the +Inf bucket) and sum.
type Histogram struct {
	Bounds     []float64
	Cumulative []float64
	Count, Sum float64
}

// Since is the histogram of the observations made after prev: the bucket-wise increase. A
// count that went down means the engine restarted, and then everything in h is new.
func (h *Histogram) Since(prev *Histogram) *Histogram {
	if prev == nil || !slices.Equal(h.Bounds, prev.Bounds) || h.Count < prev.Count {
		return h
	}
	d := &Histogram{Bounds: h.Bounds, Count: h.Count - prev.Count, Sum: h.Sum - prev.Sum}
	for i := range h.Cumulative {
		d.Cumulative = append(d.Cumulative, math.Max(0, h.Cumulative[i]-prev.Cumulative[i]))
	}
	return d
}

// Merge adds histograms with the same buckets (the pods of one deployment); ones with other
// buckets are left out and counted in skipped.
func Merge(hs []*Histogram) (merged *Histogram, skipped int) {
	for _, h := range hs {
		switch {
		case h == nil:
		case merged == nil:
			merged = &Histogram{Bounds: h.Bounds, Cumulative: slices.Clone(h.Cumulative), Count: h.Count, Sum: h.Sum}
		case !slices.Equal(merged.Bounds, h.Bounds):
			skipped++
		default:
			for i := range h.Cumulative {
				merged.Cumulative[i] += h.Cumulative[i]
			}
			merged.Count += h.Count
			merged.Sum += h.Sum
		}
	}
	return merged, skipped
}

// Quantile estimates the q-quantile (0 < q < 1) the way PromQL's histogram_quantile does
// (prometheus/prometheus promql/quantile.go bucketQuantile): find the bucket holding rank
// q·count and interpolate linearly inside it, the first bucket starting at 0; a rank in the
// +Inf bucket returns the largest finite bound. ok is false for an empty histogram.
func (h *Histogram) Quantile(q float64) (float64, bool) {
	if h == nil || h.Count <= 0 || len(h.Bounds) == 0 {
		return 0, false
	}
	rank := q * h.Count
	i, _ := slices.BinarySearchFunc(h.Cumulative, rank, func(c, r float64) int {
		if c < r {
			return -1
		}
		return 1
	})
	if i >= len(h.Bounds) {
		return h.Bounds[len(h.Bounds)-1], true
	}
	start, below := 0.0, 0.0
	if i > 0 {
		start, below = h.Bounds[i-1], h.Cumulative[i-1]
	} else if h.Bounds[0] <= 0 {
		return h.Bounds[0], true
	}
	inBucket := h.Cumulative[i] - below
	if inBucket <= 0 {
		return h.Bounds[i], true
	}
	return start + (h.Bounds[i]-start)*(rank-below)/inBucket, true
}
