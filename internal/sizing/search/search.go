// Package search sizes a deployment: it enumerates aggregated and disaggregated layouts of a
// model on a GPU type, estimates each with internal/sizing/perf, keeps those meeting the
// latency targets and ranks them by output tokens per second per GPU.
package search

import (
	"fmt"
	"math"
	"sort"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/perf"
)

// Request is what to size for.
type Request struct {
	Arch                  perf.Arch
	GPU                   perf.GPU
	Backends              []string
	WeightQuant, MoEQuant string
	ISL, OSL              int
	// Concurrency (requests in flight) or RequestRate (requests/s) the deployment must carry; one of them.
	Concurrency int
	RequestRate float64
	// TTFTms and TPOTms are the latency targets (0 = none).
	TTFTms, TPOTms float64
	// MaxGPUs bounds GPUs in all (0 = no bound).
	MaxGPUs int
	// GPUHourlyPrice is USD per GPU-hour (0 = unknown, no cost).
	GPUHourlyPrice float64
}

// Config is one ranked configuration.
type Config struct {
	Backend       string
	Disaggregated bool
	// Worker layout (aggregated) or the decode worker's (disaggregated).
	Worker  perf.Parallel
	Prefill perf.Parallel // disaggregated only
	// Replicas of the whole unit (one aggregated worker, or the prefill+decode group).
	Replicas      int
	GPUsPerWorker int
	GPUs          int
	Estimate      perf.Output
	// Costs in USD; zero when no price is known.
	HourlyCost, MonthlyCost, CostPerMillionTokens float64
	MeetsSLA                                      bool
}

// HoursPerMonth is the average month (730 h) clouds bill by.
const HoursPerMonth = 730

var batches = []int{1, 2, 4, 8, 16, 32, 64, 128, 256, 512}

// Run returns the configurations meeting the targets, best first, or — when none does — an
// error naming the closest one (also returned, with MeetsSLA false).
func Run(r Request) ([]Config, error) {
	var all []Config
	tps := []int{1, 2, 4, 8}
	if r.GPU.GPUsPerDomain >= 16 {
		tps = append(tps, 16)
	}
	for _, be := range r.Backends {
		for _, tp := range tps {
			for _, adp := range attentionDP(r.Arch, tp) {
				for _, b := range batches {
					w := layout(r.Arch, tp, adp, b)
					all = append(all, r.evaluate(be, nil, w))
				}
			}
		}
		for _, ptp := range tps {
			pre := layout(r.Arch, ptp, 1, 1)
			for _, dtp := range tps {
				for _, adp := range attentionDP(r.Arch, dtp) {
					for _, b := range batches[2:] {
						dec := layout(r.Arch, dtp, adp, b)
						for _, ratio := range [][2]int{{1, 1}, {1, 2}, {2, 1}, {1, 3}, {3, 1}, {1, 4}} {
							p, d := pre, dec
							p.Workers, d.Workers = ratio[0], ratio[1]
							all = append(all, r.evaluate(be, &p, d))
						}
					}
				}
			}
		}
	}
	var ok []Config
	for _, c := range all {
		if c.MeetsSLA {
			ok = append(ok, c)
		}
	}
	sort.SliceStable(ok, func(i, j int) bool {
		if a, b := ok[i].Estimate.TokensPerSecondPerGPU, ok[j].Estimate.TokensPerSecondPerGPU; a != b {
			return a > b
		}
		return ok[i].GPUs < ok[j].GPUs
	})
	if len(ok) > 0 {
		return ok, nil
	}
	closest, found := closestMiss(all, r)
	if !found {
		return nil, fmt.Errorf("no layout of up to %d GPUs per worker fits %s in memory", tps[len(tps)-1], r.GPU.Name)
	}
	return []Config{closest}, fmt.Errorf("no configuration meets ttft_ms <= %g and tpot_ms <= %g within %s; closest: %s",
		r.TTFTms, r.TPOTms, budget(r.MaxGPUs), Describe(closest))
}

func budget(n int) string {
	if n <= 0 {
		return "any GPU count"
	}
	return fmt.Sprintf("%d GPUs", n)
}

// attentionDP is 1 and, for MoE models, also every GPU of the worker (DeepSeek-style decode).
func attentionDP(a perf.Arch, tp int) []int {
	if a.IsMoE() && tp > 1 {
		return []int{1, tp}
	}
	return []int{1}
}

// layout spreads n = tp GPUs: either tensor parallel, or (adp > 1) attention data parallel;
// experts are expert-parallel over all of them.
func layout(a perf.Arch, n, adp, batch int) perf.Parallel {
	p := perf.Parallel{BatchSize: batch, TensorParallel: n, PipelineParallel: 1, AttentionDataParallel: 1,
		MoETensorParallel: n, MoEExpertParallel: 1, Workers: 1}
	if adp > 1 {
		p.TensorParallel, p.AttentionDataParallel = 1, adp
	}
	if a.IsMoE() && n > 1 {
		p.MoETensorParallel, p.MoEExpertParallel = 1, n
	}
	return p
}

func (r Request) evaluate(backend string, pre *perf.Parallel, w perf.Parallel) Config {
	in := perf.Input{Arch: r.Arch, GPU: r.GPU, Backend: backend, WeightQuant: r.WeightQuant, MoEQuant: r.MoEQuant, ISL: r.ISL, OSL: r.OSL}
	c := Config{Backend: backend, Worker: w, GPUsPerWorker: w.GPUsPerWorker()}
	if pre == nil {
		in.Aggregated = &w
	} else {
		in.Prefill, in.Decode = pre, &w
		c.Disaggregated, c.Prefill = true, *pre
	}
	c.Estimate = perf.Estimate(in)
	o := c.Estimate
	if !o.Fits || !o.BatchFits {
		return c // sizing never relies on requests queueing for cache
	}
	// What one unit carries: concurrency it holds, requests/s it completes.
	unitConc := float64(w.BatchSize * w.AttentionDataParallel * w.Workers)
	if r.Concurrency > 0 && unitConc > float64(r.Concurrency) {
		return c // the estimate assumes full batches; a unit larger than the load would not see them
	}
	unitRate := unitConc / ((o.TTFTms + float64(r.OSL)*o.TPOTms) / 1e3)
	switch {
	case r.RequestRate > 0:
		c.Replicas = int(math.Ceil(r.RequestRate / unitRate))
	case r.Concurrency > 0:
		c.Replicas = int(math.Ceil(float64(r.Concurrency) / unitConc))
	default:
		c.Replicas = 1
	}
	c.Replicas = max(c.Replicas, 1)
	c.GPUs = c.Replicas * o.GPUs
	if r.GPUHourlyPrice > 0 {
		c.HourlyCost = float64(c.GPUs) * r.GPUHourlyPrice
		c.MonthlyCost = c.HourlyCost * HoursPerMonth
		tokensPerHour := o.TokensPerSecondPerGPU * float64(c.GPUs) * 3600
		c.CostPerMillionTokens = c.HourlyCost / tokensPerHour * 1e6
	}
	c.MeetsSLA = (r.TTFTms <= 0 || o.TTFTms <= r.TTFTms) && (r.TPOTms <= 0 || o.TPOTms <= r.TPOTms) &&
		(r.MaxGPUs <= 0 || c.GPUs <= r.MaxGPUs)
	return c
}

// closestMiss is the fitting configuration whose worst latency overshoot is smallest.
func closestMiss(all []Config, r Request) (Config, bool) {
	best, bestScore, found := Config{}, math.Inf(1), false
	for _, c := range all {
		if !c.Estimate.Fits || !c.Estimate.BatchFits || c.Replicas == 0 {
			continue
		}
		s := 0.0
		if r.TTFTms > 0 {
			s = math.Max(s, c.Estimate.TTFTms/r.TTFTms)
		}
		if r.TPOTms > 0 {
			s = math.Max(s, c.Estimate.TPOTms/r.TPOTms)
		}
		if r.MaxGPUs > 0 {
			s = math.Max(s, float64(c.GPUs)/float64(r.MaxGPUs))
		}
		if s < bestScore {
			best, bestScore, found = c, s, true
		}
	}
	return best, found
}

// Describe is a one-line summary of a configuration.
func Describe(c Config) string {
	o := c.Estimate
	if c.Disaggregated {
		return fmt.Sprintf("%s disaggregated, %d x (%d prefill worker(s) of %d GPU(s) + %d decode worker(s) of %d GPU(s), batch %d per rank): %d GPUs, TTFT %.0f ms, TPOT %.1f ms",
			c.Backend, c.Replicas, c.Prefill.Workers, c.Prefill.GPUsPerWorker(), c.Worker.Workers, c.GPUsPerWorker, c.Worker.BatchSize, c.GPUs, o.TTFTms, o.TPOTms)
	}
	return fmt.Sprintf("%s aggregated, %d replica(s) of %d GPU(s) (tensor_parallel %d, attention_data_parallel %d, batch %d): %d GPUs, TTFT %.0f ms, TPOT %.1f ms",
		c.Backend, c.Replicas, c.GPUsPerWorker, c.Worker.TensorParallel, c.Worker.AttentionDataParallel, c.Worker.BatchSize, c.GPUs, o.TTFTms, o.TPOTms)
}
