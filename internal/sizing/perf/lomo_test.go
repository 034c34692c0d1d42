package perf

import (
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// ttftKnobs are the per-backend aggregated TTFT constants the study refits.
type ttftKnobs struct{ overhead, queue, exp, steps, burst float64 }

func (k ttftKnobs) apply(c *calibration) {
	c.ttftOverhead, c.ttftQueue[0], c.ttftExp[0], c.ttftSteps[0], c.burstShare = k.overhead, k.queue, k.exp, k.steps, k.burst
}

// modelFamily groups a checkpoint with its quantized re-uploads (nvidia/…-FP8, …-NVFP4), so a
// held-out family takes every precision of that architecture with it.
func modelFamily(model string) string {
	m := strings.ToLower(model)
	for _, f := range []string{"qwen3-32b", "llama-3.1-8b", "deepseek", "kimi", "glm-5", "gpt-oss", "minimax", "qwen3.5-397b"} {
		if strings.Contains(m, f) {
			return f
		}
	}
	return m
}

// TestLeaveOneFamilyOut checks that the TTFT constants, fitted per backend on the measured runs,
// carry over to a model they were not fitted on: for each model family it refits them on the other
// families (grid search, choosing per backend the set with the least all-rows MAPE + dense MAPE,
// the rule the committed constants were chosen by) and predicts the held-out family with them.
// It takes a few minutes, so it runs only with PERF_LOMO=1. Held out, a dense family's TTFT error is
// about 46% (34% fitted with it: the constants carry the benchmarks' queueing, which differs between
// runs), so the limits below guard against regressions; they are not issue 20's bar. Fitting on all
// rows alone (dense weight 0) is worse held out too (dense about 52%), so weighting the dense rows
// is not what makes held-out families worse.
func TestLeaveOneFamilyOut(t *testing.T) {
	if os.Getenv("PERF_LOMO") == "" {
		t.Skip("study: set PERF_LOMO=1 (about 4 minutes)")
	}
	rows := loadMeasurements(t, filepath.Join(sizingDir(t), "silicon-dev.csv"))
	nAll, nDense := map[string]float64{}, map[string]float64{}
	for _, r := range rows {
		nAll[modelFamily(r.model)]++
		if !r.in.Arch.IsMoE() {
			nDense[modelFamily(r.model)]++
		}
	}
	// For each backend and knob set: the TTFT APE summed per family over all rows and dense rows.
	type trial struct {
		k    ttftKnobs
		sums map[string][2]float64
	}
	trials := map[string][]trial{}
	defer func() { calibrationOverride = nil }()
	for _, be := range []string{"sglang", "trtllm", "vllm"} {
		var mine []measured
		for _, r := range rows {
			if r.in.Backend == be {
				mine = append(mine, r)
			}
		}
		for _, burst := range []float64{0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1} {
			for _, q := range []float64{0, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2} {
				for _, e := range []float64{0, 0.5, 0.75, 1} {
					if q == 0 && e > 0 {
						continue
					}
					for _, ovh := range []float64{0, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15, 0.2} {
						for _, st := range []float64{0, 2, 4, 8, 12, 16, 24} {
							k := ttftKnobs{ovh, q, e, st, burst}
							calibrationOverride = func(b string, c *calibration) {
								if b == be {
									k.apply(c)
								}
							}
							sums := map[string][2]float64{}
							for _, r := range mine {
								o := Estimate(r.in)
								ape := 1.0
								if o.Fits {
									ape = math.Abs(o.TTFTms-r.ttft) / r.ttft
								}
								f := modelFamily(r.model)
								v := sums[f]
								v[0] += ape
								if !r.in.Arch.IsMoE() {
									v[1] += ape
								}
								sums[f] = v
							}
							trials[be] = append(trials[be], trial{k, sums})
						}
					}
				}
			}
		}
	}
	var fams []string
	var totAll, totDense float64
	for f := range nAll {
		fams = append(fams, f)
		totAll += nAll[f]
		totDense += nDense[f]
	}
	sort.Strings(fams)
	// fit picks, per backend, the knobs with the least all-rows MAPE + w x dense MAPE outside family out.
	fit := func(be, out string, w float64) trial {
		na, nd := totAll-nAll[out], totDense-nDense[out]
		best, bi := math.Inf(1), 0
		for i, tr := range trials[be] {
			var a, d float64
			for f, v := range tr.sums {
				if f != out {
					a, d = a+v[0], d+v[1]
				}
			}
			if o := a/na + w*d/math.Max(nd, 1); o < best {
				best, bi = o, i
			}
		}
		return trials[be][bi]
	}
	var heldAll, heldDense float64
	// w = 1 is the rule the committed constants follow; 0 (all rows only) and 0.5 show the trade-off.
	for _, w := range []float64{0, 0.5, 1} {
		var hAll, hDense, iAll, iDense float64
		for _, f := range fams {
			var ha, hd, ia, id float64
			for _, be := range []string{"sglang", "trtllm", "vllm"} {
				held, full := fit(be, f, w), fit(be, "", w)
				ha, hd = ha+held.sums[f][0], hd+held.sums[f][1]
				ia, id = ia+full.sums[f][0], id+full.sums[f][1]
			}
			hAll, hDense, iAll, iDense = hAll+ha, hDense+hd, iAll+ia, iDense+id
			if w == 1 {
				t.Logf("%-14s %5.0f rows: TTFT MAPE %5.1f%% held out, %5.1f%% fitted with it", f, nAll[f], 100*ha/nAll[f], 100*ia/nAll[f])
			}
		}
		t.Logf("dense weight %.1f: all rows TTFT MAPE %.1f%% held out (%.1f%% fitted on all), dense %.1f%% held out (%.1f%% fitted on all)",
			w, 100*hAll/totAll, 100*iAll/totAll, 100*hDense/totDense, 100*iDense/totDense)
		if w == 1 {
			heldAll, heldDense = hAll, hDense
		}
	}
	if heldAll/totAll > 0.55 || heldDense/totDense > 0.50 {
		t.Errorf("TTFT constants do not carry over to held-out families: all %.1f%%, dense %.1f%%", 100*heldAll/totAll, 100*heldDense/totDense)
	}
}
