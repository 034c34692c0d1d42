package perf

import (
	"fmt"
	"math"
	"strings"
)

// Parallel is one worker's layout. GPUs = TensorParallel x AttentionDataParallel x PipelineParallel;
// the experts are split MoETensorParallel x MoEExpertParallel ways over the same GPUs.
type Parallel struct {
	// BatchSize is the requests each attention data-parallel rank runs at once.
	BatchSize             int
	TensorParallel        int
	PipelineParallel      int
	AttentionDataParallel int
	MoETensorParallel     int
	MoEExpertParallel     int
	// Workers is how many such workers serve (disaggregated roles; 1 for aggregated).
	Workers int
}

// Input is one serving configuration to estimate.
type Input struct {
	Arch    Arch
	GPU     GPU
	Backend string // vllm, sglang, trtllm
	// WeightQuant and MoEQuant are gemm_quant_mode / moe_quant_mode values ("" = 16-bit).
	WeightQuant string
	MoEQuant    string
	ISL, OSL    int
	// Aggregated is set for aggregated serving; Prefill and Decode for disaggregated.
	Aggregated      *Parallel
	Prefill, Decode *Parallel
}

// Output is the estimate. Times are milliseconds; MemoryPerGPUGiB is the most loaded worker's.
type Output struct {
	TTFTms                float64
	TPOTms                float64
	TokensPerSecondPerGPU float64
	TokensPerSecUser      float64
	MemoryPerGPUGiB       float64
	GPUs                  int
	Fits                  bool
	// BatchFits is false when the KV cache holds fewer requests than the batch (the rest queue).
	BatchFits bool
	Reason    string

	// one prompt's prefill and one decode step, seconds (for studying residuals)
	prefillS, stepS float64
	capReqs         float64 // requests the (decode) KV cache of one rank holds
}

func (p Parallel) norm() Parallel {
	one := func(v *int) {
		if *v < 1 {
			*v = 1
		}
	}
	one(&p.BatchSize)
	one(&p.TensorParallel)
	one(&p.PipelineParallel)
	one(&p.AttentionDataParallel)
	one(&p.MoETensorParallel)
	one(&p.MoEExpertParallel)
	one(&p.Workers)
	return p
}

// GPUsPerWorker is the GPUs one worker spans.
func (p Parallel) GPUsPerWorker() int {
	p = p.norm()
	g := p.TensorParallel * p.AttentionDataParallel
	if m := p.MoETensorParallel * p.MoEExpertParallel; m > g {
		g = m
	}
	return g * p.PipelineParallel
}

// bytesPerParam is storage per weight including block scales.
func bytesPerParam(q string) float64 {
	switch q {
	case "fp8", "fp8_block":
		return 1.0
	case "nvfp4":
		return 0.5 + 1.0/16 // 4-bit values, one FP8 scale per 16
	case "int4_wo":
		return 0.5 + 2.0/32 // 4-bit values, one 16-bit scale per 32
	}
	return 2
}

// peakFlops is the tensor-core rate the GEMMs of precision q run at on g: weight-only int4 and
// formats the GPU lacks fall back to the next wider one.
func peakFlops(g GPU, q string) float64 {
	switch q {
	case "nvfp4":
		if g.FP4Flops > 0 {
			return g.FP4Flops
		}
		fallthrough
	case "fp8", "fp8_block":
		if g.FP8Flops > 0 {
			return g.FP8Flops
		}
	}
	return g.BF16Flops
}

// worker is one worker's per-GPU cost model.
type worker struct {
	in  *Input
	p   Parallel
	cal calibration
	kvb float64
}

func (w worker) linkBW(gpus int) float64 {
	g := w.in.GPU
	switch {
	case gpus <= g.GPUsPerNode:
		return g.IntraBW
	case gpus <= g.GPUsPerDomain:
		return g.InterBW
	}
	return g.RackBW
}

// weightBytes is the weights one GPU holds.
func (w worker) weightBytes() float64 {
	a, p := w.in.Arch, w.p
	bq, bm := bytesPerParam(w.in.WeightQuant), bytesPerParam(w.in.MoEQuant)
	dense := float64(a.AttnParams+a.DenseParams) * bq / float64(p.TensorParallel)
	experts := float64(a.MoELayers) * float64(a.Experts) * float64(a.ExpertParams) * bm / float64(p.MoETensorParallel*p.MoEExpertParallel)
	embed := float64(a.EmbedParams) * 2 / float64(p.TensorParallel)
	return (dense+experts)/float64(p.PipelineParallel) + embed
}

// kvBytesPerToken is the cache one request's token occupies on one GPU at context length ctx.
func (w worker) kvBytesPerToken(ctx float64) float64 {
	a, p := w.in.Arch, w.p
	shards := math.Min(float64(p.TensorParallel), float64(max(a.KVShards, 1)))
	win := 0.0
	if a.WindowKVElems > 0 && ctx > 0 {
		win = float64(a.WindowKVElems) * math.Min(ctx, float64(a.Window)) / ctx
	}
	return (float64(a.KVElems) + win) * w.kvb / shards / float64(p.PipelineParallel)
}

func (w worker) usableMemory() float64 {
	g := w.in.GPU
	return g.MemCapacity*w.cal.memUtil - g.OtherMem
}

// kvCapacityTokens is how many tokens of cache fit next to the weights on one GPU.
func (w worker) kvCapacityTokens(ctx float64) float64 {
	free := w.usableMemory() - w.weightBytes() - w.activationBytes()
	if free <= 0 {
		return 0
	}
	return free / w.kvBytesPerToken(ctx)
}

func (w worker) activationBytes() float64 {
	// One chunk of max_num_tokens through the widest layer, in 16-bit, a few buffers deep.
	return w.cal.chunkTokens * float64(w.in.Arch.Hidden) * 2 * 8
}

// collective is one all-reduce of msg bytes over n GPUs (ring).
func (w worker) allReduce(msg float64, n int) float64 {
	if n <= 1 {
		return 0
	}
	return 2*float64(n-1)/float64(n)*msg/(w.linkBW(n)*w.cal.commEff) + w.cal.collLatency
}

// allToAll is one MoE dispatch plus combine over n GPUs for tokens tokens per GPU. A token goes
// to the GPUs holding its top-k experts: inside a node each distinct GPU once over NVLink, across
// nodes once per distinct node (the node-level deduplication of DeepEP's internode kernels,
// deepseek-ai/DeepEP csrc/kernels/internode.cu, and of TensorRT-LLM's MNNVL/NCCL all-to-all).
// Dispatch moves the activations in the expert GEMMs' input precision (FP8/FP4 quantize before
// sending), combine moves them back in 16-bit.
func (w worker) allToAll(tokens float64, n int) float64 {
	if n <= 1 {
		return 0
	}
	a, g := w.in.Arch, w.in.GPU
	k := float64(a.TopK)
	perNode := min(n, max(g.GPUsPerNode, 1))
	nodes := float64((n + perNode - 1) / perNode)
	hit := func(m float64) float64 { return 1 - math.Pow(1-1/m, k) } // share of m places one token reaches
	local := float64(perNode-1) * hit(float64(n))
	remote := 0.0
	if nodes > 1 {
		remote = (nodes - 1) * hit(nodes)
	}
	dispatch := 2.0
	if bytesPerParam(w.in.MoEQuant) < 2 {
		dispatch = 1
	}
	perToken := tokens * float64(a.Hidden) * (dispatch + 2)
	cross := g.InterBW
	if n > g.GPUsPerDomain {
		cross = g.RackBW
	}
	return perToken*(local/g.IntraBW+remote/cross)/w.cal.commEff + 2*w.cal.collLatency
}

// step is one forward pass of one attention-DP rank: tokens new tokens per rank (decode: the
// batch; prefill: the prompt tokens), attending over ctx cached tokens each (on average),
// with reqs requests. It returns seconds.
func (w worker) step(tokens, reqs, ctx float64, prefill bool) float64 {
	a, p, g := w.in.Arch, w.p, w.in.GPU
	tp, pp := float64(p.TensorParallel), float64(p.PipelineParallel)
	moeShards := float64(p.MoETensorParallel * p.MoEExpertParallel)
	bq, bm := bytesPerParam(w.in.WeightQuant), bytesPerParam(w.in.MoEQuant)

	// Bytes read from HBM.
	bytes := float64(a.AttnParams+a.DenseParams)*bq/tp/pp + float64(a.Hidden)*float64(a.Vocab)*2/tp
	groupTokens := tokens * float64(p.AttentionDataParallel)
	if a.IsMoE() {
		local := float64(a.Experts) / float64(p.MoEExpertParallel)
		touched := local * (1 - math.Pow(1-float64(a.TopK)/float64(a.Experts), groupTokens))
		bytes += touched * float64(a.ExpertParams) * bm / float64(p.MoETensorParallel) * float64(a.MoELayers) / pp
	}
	attnCtx := ctx
	if a.SparseTopK > 0 {
		attnCtx = math.Min(ctx, float64(a.SparseTopK))
	}
	if !prefill {
		bytes += reqs * ctx * w.kvBytesPerToken(ctx) * math.Min(attnCtx/math.Max(ctx, 1), 1)
		bytes += reqs * float64(a.StateBytes) / tp / pp
	}

	// Tensor-core work.
	flops := 2 * tokens * float64(a.AttnParams+a.DenseParams) / tp / pp
	flops += 2 * tokens * float64(a.Hidden) * float64(a.Vocab) / tp / math.Max(1, tokens/reqs) // logits: last token only
	flops += 2 * groupTokens * float64(a.TopK) * float64(a.ExpertParams) * float64(a.MoELayers) / moeShards / pp
	attnFlops := tokens * attnCtx * float64(a.AttnFlopsPerCtx) / tp / pp

	peak := peakFlops(g, w.in.WeightQuant)
	if a.IsMoE() {
		// Experts dominate MoE FLOPs; their precision sets the pace.
		peak = peakFlops(g, w.in.MoEQuant)
	}
	eff := w.cal.decodeMFU
	if prefill {
		eff = w.cal.prefillMFU
	}
	tMem := bytes / (g.MemBW * w.cal.bwEff)
	// Attention runs in the KV cache's precision whatever the GEMMs' format: FlashAttention/
	// FlashInfer in 16-bit, TensorRT-LLM's FP8 context FMHA when its cache is FP8.
	attnPeak := g.BF16Flops
	if w.kvb == 1 {
		attnPeak = peakFlops(g, "fp8")
	}
	tCompute := flops/(peak*eff) + attnFlops/(attnPeak*eff)
	t := math.Max(tMem, tCompute) + w.cal.overlap*math.Min(tMem, tCompute)

	// Communication per layer: two all-reduces over tensor parallel, or all-to-all for experts.
	layers := float64(a.Layers) / pp
	msg := tokens * float64(a.Hidden) * 2
	if p.TensorParallel > 1 {
		t += 2 * layers * w.allReduce(msg, p.TensorParallel)
	}
	if a.IsMoE() && p.AttentionDataParallel > 1 {
		// The tensor-parallel ranks of an attention group split its tokens for the dispatch.
		t += float64(a.MoELayers) / pp * w.allToAll(tokens/tp, p.TensorParallel*p.AttentionDataParallel)
	}
	if p.PipelineParallel > 1 {
		t += (pp - 1) * (msg/(w.linkBW(2)) + g.P2PLatency)
	}
	t += layers * w.cal.layerOverhead
	if !prefill {
		t += w.cal.stepOverhead
	}
	return t
}

// Estimate runs the model. It never fails: a configuration that does not fit comes back with
// Fits false and the reason.
func Estimate(in Input) Output {
	if in.Aggregated != nil {
		return estimateAgg(in)
	}
	return estimateDisagg(in)
}

func newWorker(in *Input, p Parallel) worker {
	cal := calibrationFor(in.Backend, in.GPU)
	return worker{in: in, p: p.norm(), cal: cal, kvb: kvCacheBytes(in.Backend, in.WeightQuant, in.MoEQuant)}
}

// fit checks that the weights and the batch's KV cache fit on every GPU. Engines admit what fits
// and queue or preempt the rest, and measured runs do go somewhat beyond the cache, so a batch up
// to kvOvercommit times what the cache holds still fits (the reason says so); beyond that it does not.
func (w worker) fit(batch float64, role string) (memGiB float64, ok bool, reason string) {
	ctx := float64(w.in.ISL + w.in.OSL)
	perReq := ctx*w.kvBytesPerToken(ctx) + float64(w.in.Arch.StateBytes)/float64(w.p.TensorParallel)
	base := w.weightBytes() + w.activationBytes()
	usable := w.usableMemory()
	memGiB = (math.Min(base+batch*perReq, usable) + w.in.GPU.OtherMem) / (1 << 30)
	switch {
	case base > usable:
		return memGiB, false, fmt.Sprintf("%sweights need %.1f GiB per GPU but %s has %.1f GiB usable; add GPUs (tensor or expert parallel) or quantize",
			role, w.weightBytes()/(1<<30), w.in.GPU.Name, usable/(1<<30))
	case base+perReq > usable:
		return memGiB, false, fmt.Sprintf("%sthe KV cache of one %d-token request does not fit next to the weights on %s; add GPUs or shorten isl/osl",
			role, w.in.ISL+w.in.OSL, w.in.GPU.Name)
	case batch*perReq > (usable-base)*w.cal.kvOvercommit:
		return memGiB, false, fmt.Sprintf("%sweights plus KV cache for %d requests of %d tokens need %.1f GiB per GPU but %s has %.1f GiB usable (the cache holds %d); lower batch_size or add GPUs",
			role, int(batch), w.in.ISL+w.in.OSL, (base+batch*perReq)/(1<<30), w.in.GPU.Name, usable/(1<<30), int((usable-base)/perReq))
	case base+batch*perReq > usable:
		return memGiB, true, fmt.Sprintf("%sthe KV cache holds %d of the %d requests per rank at once; the rest queue (lower batch_size or add GPUs)",
			role, int((usable-base)/perReq), int(batch))
	}
	return memGiB, true, ""
}

func estimateAgg(in Input) Output {
	w := newWorker(&in, *in.Aggregated)
	p := w.p
	b := float64(p.BatchSize)
	isl, osl := float64(in.ISL), float64(max(in.OSL, 1))
	out := Output{GPUs: p.GPUsPerWorker()}
	out.MemoryPerGPUGiB, out.Fits, out.Reason = w.fit(b, "")
	if !out.Fits {
		return out
	}
	// A batch larger than the cache still runs: engines admit it and preempt as the cache fills,
	// which measured runs show costs decode speed, not time to first token.
	running := b
	ctx := isl + osl/2
	tDecode := w.step(running, running, ctx, false)
	// In-flight batching: each decoding request is slowed by the prefills mixed into its steps
	// (every running request is prefilled once per osl steps), and a new prompt waits behind
	// the prompts ahead of it and a few decode steps before its first token comes back.
	tPrefill := w.prefillTime(isl)
	out.prefillS, out.stepS = tPrefill, tDecode
	c := w.cal
	tpot := c.stepScale[0]*tDecode + c.stepExtra[0] + c.perRequest[0]*running + c.mixShare*running*tPrefill/2/osl
	// A share of the prompts arrive in a synchronized burst (the benchmark's first round), the
	// rest one at a time behind a steady queue.
	queued := tPrefill * (1 + c.ttftQueue[0]*math.Pow(running-1, c.ttftExp[0]))
	if c.burstShare > 0 {
		queued = (1-c.burstShare)*queued + c.burstShare*w.burstWait(isl, running)
	}
	ttft := c.ttftOverhead + queued + c.ttftSteps[0]*tDecode
	out.TTFTms, out.TPOTms = ttft*1e3, tpot*1e3
	// Preemption keeps at most what the cache holds decoding at once.
	conc := math.Min(b, math.Max(1, w.kvCapacityTokens(isl+osl)/(isl+osl))) * float64(p.AttentionDataParallel)
	out.BatchFits = conc >= b*float64(p.AttentionDataParallel)
	out.capReqs = w.kvCapacityTokens(isl+osl) / (isl + osl)
	out.TokensPerSecUser = 1 / tpot
	out.TokensPerSecondPerGPU = conc * osl / (ttft + osl*tpot) / float64(out.GPUs)
	return out
}

// burstWait is the mean time to first token of a burst of n prompts that arrive together: the
// engine prefills them chunkTokens at a time (several short prompts batched in one step, a long
// one split over several), so the k-th chunk's prompts see their first token after k chunk steps.
// Batching prompts matters where one prompt cannot fill the GPU (small models, MoE experts read
// once per chunk rather than once per prompt), which a per-prompt queue misses.
func (w worker) burstWait(isl, n float64) float64 {
	perChunk := math.Max(1, math.Min(math.Floor(w.cal.chunkTokens/isl), n))
	chunks := math.Ceil(n / perChunk)
	tChunk := w.step(perChunk*isl, perChunk, isl/2, true)
	if perChunk == 1 {
		tChunk = w.prefillTime(isl)
	}
	return tChunk * (chunks + 1) / 2
}

// prefillTime is one prompt of isl tokens through one worker.
func (w worker) prefillTime(isl float64) float64 {
	return w.step(isl, 1, isl/2, true)
}

func estimateDisagg(in Input) Output {
	pre := newWorker(&in, *in.Prefill)
	dec := newWorker(&in, *in.Decode)
	isl, osl := float64(in.ISL), float64(max(in.OSL, 1))
	out := Output{GPUs: pre.p.GPUsPerWorker()*pre.p.Workers + dec.p.GPUsPerWorker()*dec.p.Workers}
	pm, pok, preason := pre.fit(float64(pre.p.BatchSize), "prefill: ")
	dm, dok, dreason := dec.fit(float64(dec.p.BatchSize), "decode: ")
	out.MemoryPerGPUGiB = math.Max(pm, dm)
	out.Reason = strings.TrimPrefix(preason+"; "+dreason, "; ")
	out.Reason = strings.TrimSuffix(out.Reason, "; ")
	if !pok || !dok {
		return out
	}
	out.Fits = true

	bp := float64(pre.p.BatchSize)
	tPrefill := pre.step(bp*isl, bp, isl/2, true)
	// KV cache moves from prefill to decode GPUs once per request.
	transfer := isl*pre.kvBytesPerToken(isl)*float64(pre.p.TensorParallel)/(pre.in.GPU.InterBW*pre.cal.commEff) + pre.cal.collLatency

	ranks := float64(dec.p.Workers * dec.p.AttentionDataParallel)
	conc := ranks * float64(dec.p.BatchSize)
	// A decode worker cannot run more requests than its cache holds; the rest wait upstream.
	running := math.Max(1, math.Min(float64(dec.p.BatchSize), dec.kvCapacityTokens(isl+osl)/(isl+osl)))
	ctx := isl + osl/2
	step := dec.step(running, running, ctx, false)
	out.prefillS, out.stepS = tPrefill, step
	tpot := dec.cal.stepScale[1]*step + dec.cal.stepExtra[1] + dec.cal.perRequest[1]*running
	// A prompt waits behind the other prompts queued at the prefill workers (measured runs show
	// this grows with concurrency far slower than a saturated queue would), then the hand-off.
	c := pre.cal
	perPrefillRank := conc / float64(pre.p.Workers*pre.p.AttentionDataParallel)
	ttft := tPrefill*(1+c.ttftQueue[1]*math.Pow(math.Max(perPrefillRank-1, 0), c.ttftExp[1])) + transfer + c.ttftSteps[1]*step
	ttft += pre.cal.ttftOverhead + pre.cal.disaggOverhead
	out.BatchFits = running >= float64(dec.p.BatchSize)
	out.capReqs = dec.kvCapacityTokens(isl+osl) / (isl + osl)
	conc = ranks * running
	out.TTFTms, out.TPOTms = ttft*1e3, tpot*1e3
	out.TokensPerSecUser = 1 / tpot
	out.TokensPerSecondPerGPU = conc * osl / (ttft + osl*tpot) / float64(out.GPUs)
	return out
}
