package enginemetrics

// Total combines the pods of one deployment. Engines (vLLM, SGLang, TRT-LLM, llama.cpp
// workers) own the queues and caches; a frontend (Dynamo's) sees what clients see. So:
//   - running and waiting requests are summed over the engines (the frontends' in-flight and
//     queued requests when no engine reports them);
//   - KV-cache usage is the engines' mean;
//   - token rates and latency come from the frontends when they report them (in a
//     disaggregated graph the prefill and decode workers would each count a request's prompt),
//     else from the engines: rates summed, latency percentiles from the merged histograms.
//
// skipped counts histograms left out of a merge because their buckets differ.
func Total(pods []Stats) (total Stats, skipped int) {
	var engines, frontends []Stats
	for _, p := range pods {
		if p.Frontend {
			frontends = append(frontends, p)
		} else {
			engines = append(engines, p)
		}
	}
	if len(engines) > 0 {
		total.Engine = engines[0].Engine
	} else if len(frontends) > 0 {
		total.Engine = frontends[0].Engine
	}
	pick := func(get func(Stats) *float64) []Stats {
		if anyHas(engines, get) {
			return engines
		}
		return frontends
	}
	total.Running = sum(pick(running), running)
	total.Waiting = sum(pick(waiting), waiting)
	total.KVCacheUsage = mean(engines, kvUsage)

	rates := engines
	if anyHas(frontends, promptRate) || anyHas(frontends, genRate) {
		rates = frontends
	}
	total.PromptTokensPerSecond = sum(rates, promptRate)
	total.GenerationTokensPerSecond = sum(rates, genRate)

	latency := engines
	for _, f := range frontends {
		if f.ttftAll != nil || f.itlAll != nil {
			latency = frontends
			break
		}
	}
	var hs [4][]*Histogram
	for _, p := range latency {
		for i, h := range []*Histogram{p.ttftDelta, p.itlDelta, p.ttftAll, p.itlAll} {
			hs[i] = append(hs[i], h)
		}
	}
	var merged [4]*Histogram
	for i := range hs {
		var n int
		merged[i], n = Merge(hs[i])
		skipped += n
	}
	total.ttftDelta, total.itlDelta, total.ttftAll, total.itlAll = merged[0], merged[1], merged[2], merged[3]
	total.setLatency(merged[0], merged[1], merged[2], merged[3])
	return total, skipped
}

func running(s Stats) *float64    { return s.Running }
func waiting(s Stats) *float64    { return s.Waiting }
func kvUsage(s Stats) *float64    { return s.KVCacheUsage }
func promptRate(s Stats) *float64 { return s.PromptTokensPerSecond }
func genRate(s Stats) *float64    { return s.GenerationTokensPerSecond }

func anyHas(ps []Stats, get func(Stats) *float64) bool {
	for _, p := range ps {
		if get(p) != nil {
			return true
		}
	}
	return false
}

// sum adds the values present; nil when none is.
func sum(ps []Stats, get func(Stats) *float64) *float64 {
	var total *float64
	for _, p := range ps {
		if v := get(p); v != nil {
			if total == nil {
				total = new(float64)
			}
			*total += *v
		}
	}
	return total
}

func mean(ps []Stats, get func(Stats) *float64) *float64 {
	s, n := sum(ps, get), 0
	for _, p := range ps {
		if get(p) != nil {
			n++
		}
	}
	if s == nil {
		return nil
	}
	v := *s / float64(n)
	return &v
}
