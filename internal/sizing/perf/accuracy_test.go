package perf

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// sizingDir is ../shared/reference/sizing unless KUBEFOUNDRY_SIZING_DIR says otherwise.
func sizingDir(t testing.TB) string {
	if d := os.Getenv("KUBEFOUNDRY_SIZING_DIR"); d != "" {
		return d
	}
	d, err := filepath.Abs("../../../../shared/reference/sizing")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

type measured struct {
	key        string // model | system | backend
	model      string
	in         Input
	ttft, tpot float64
}

var concurrencyRE = regexp.MustCompile(`silicon_concurrency=(\d+)`)

// loadMeasurements turns every row of silicon-dev.csv into an Input. Disaggregated rows that
// name only the total concurrency get one worker of each kind with that concurrency on decode.
func loadMeasurements(t testing.TB, file string) []measured {
	f, err := os.Open(file)
	if err != nil {
		t.Fatalf("measurements: %v (set KUBEFOUNDRY_SIZING_DIR)", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	get := func(r []string, name string) string { return r[col[name]] }
	num := func(r []string, name string) int {
		v, _ := strconv.Atoi(strings.TrimSpace(get(r, name)))
		return v
	}
	par := func(r []string, prefix string) Parallel {
		return Parallel{
			BatchSize: num(r, prefix+"batch_size"), TensorParallel: num(r, prefix+"tp_size"),
			PipelineParallel: num(r, prefix+"pp_size"), AttentionDataParallel: num(r, prefix+"attention_dp_size"),
			MoETensorParallel: num(r, prefix+"moe_tp_size"), MoEExpertParallel: num(r, prefix+"moe_ep_size"),
			Workers: num(r, prefix+"num_workers"),
		}.norm()
	}
	var out []measured
	for _, r := range rows[1:] {
		model, system, backend := get(r, "model_path"), get(r, "system"), get(r, "backend")
		arch, ok := LookupArch(model)
		if !ok {
			t.Fatalf("model %s is not in the architecture table", model)
		}
		gpu, err := LookupGPU(system)
		if err != nil {
			t.Fatal(err)
		}
		in := Input{Arch: arch, GPU: gpu, Backend: backend, WeightQuant: get(r, "gemm_quant_mode"), MoEQuant: get(r, "moe_quant_mode"),
			ISL: num(r, "isl"), OSL: num(r, "osl")}
		if get(r, "mode") == "agg" {
			p := par(r, "")
			in.Aggregated = &p
		} else {
			pre, dec := par(r, "prefill_"), par(r, "decode_")
			if get(r, "decode_batch_size") == "" {
				conc := 1
				if m := concurrencyRE.FindStringSubmatch(get(r, "silicon_data_source")); m != nil {
					conc, _ = strconv.Atoi(m[1])
				}
				if arch.IsMoE() && arch.KVShards == 1 {
					// MLA MoE decode (DeepSeek, Kimi, GLM) is deployed with attention data parallel
					// over the worker's GPUs (TensorRT-LLM enable_attention_dp, SGLang --enable-dp-attention).
					dec.AttentionDataParallel *= dec.TensorParallel
					dec.TensorParallel = 1
				}
				dec.BatchSize = max(1, conc/(dec.Workers*dec.AttentionDataParallel))
			}
			in.Prefill, in.Decode = &pre, &dec
		}
		ttft, _ := strconv.ParseFloat(get(r, "silicon_ttft_ms"), 64)
		tpot, _ := strconv.ParseFloat(get(r, "silicon_tpot_ms"), 64)
		out = append(out, measured{key: model + " | " + system + " | " + backend, model: model, in: in, ttft: ttft, tpot: tpot})
	}
	return out
}

type errStats struct {
	n, misses        int
	ttftAPE, tpotAPE float64
}

func (s *errStats) add(o Output, m measured) {
	s.n++
	if !o.Fits {
		s.misses++
		s.ttftAPE++
		s.tpotAPE++
		return
	}
	s.ttftAPE += math.Abs(o.TTFTms-m.ttft) / m.ttft
	s.tpotAPE += math.Abs(o.TPOTms-m.tpot) / m.tpot
}

func (s errStats) ttft() float64 { return 100 * s.ttftAPE / float64(max(s.n, 1)) }
func (s errStats) tpot() float64 { return 100 * s.tpotAPE / float64(max(s.n, 1)) }

// TestAccuracyAgainstMeasuredRuns is issue 20's bar: TPOT MAPE <= 30% and TTFT <= 45% over all
// measured runs, <= 20% / 35% for dense models; a measured run predicted not to fit is a miss (100%).
func TestAccuracyAgainstMeasuredRuns(t *testing.T) {
	rows := loadMeasurements(t, filepath.Join(sizingDir(t), "silicon-dev.csv"))
	groups := map[string]*errStats{}
	var all, dense errStats
	// PERF_DUMP=file writes every prediction next to its measurement, for studying the residuals.
	var dump *os.File
	if f := os.Getenv("PERF_DUMP"); f != "" {
		dump, _ = os.Create(f)
		defer dump.Close()
		fmt.Fprintln(dump, "key,mode,isl,osl,batch,gpus,fits,ttft,pred_ttft,tpot,pred_tpot,reason,tpf,tstep,rankbatch,cap")
	}
	for _, m := range rows {
		o := Estimate(m.in)
		if dump != nil {
			mode, batch := "agg", 0
			if m.in.Aggregated != nil {
				batch = m.in.Aggregated.BatchSize * m.in.Aggregated.AttentionDataParallel
			} else {
				mode, batch = "disagg", m.in.Decode.BatchSize*m.in.Decode.AttentionDataParallel*m.in.Decode.Workers
			}
			fmt.Fprintf(dump, "%s,%s,%d,%d,%d,%d,%t,%g,%g,%g,%g,%q,%g,%g,%d,%g\n", m.key, mode, m.in.ISL, m.in.OSL, batch, o.GPUs, o.Fits, m.ttft, o.TTFTms, m.tpot, o.TPOTms, strings.ReplaceAll(o.Reason, ",", ";"), o.prefillS*1e3, o.stepS*1e3, rankBatch(m.in), o.capReqs)
		}
		if groups[m.key] == nil {
			groups[m.key] = &errStats{}
		}
		groups[m.key].add(o, m)
		all.add(o, m)
		if !m.in.Arch.IsMoE() {
			dense.add(o, m)
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-58s %5s %8s %8s %6s\n", "model | gpu | backend", "rows", "TTFT%", "TPOT%", "miss")
	for _, k := range keys {
		s := groups[k]
		fmt.Fprintf(&b, "%-58s %5d %8.1f %8.1f %6d\n", k, s.n, s.ttft(), s.tpot(), s.misses)
	}
	fmt.Fprintf(&b, "%-58s %5d %8.1f %8.1f %6d\n", "ALL", all.n, all.ttft(), all.tpot(), all.misses)
	fmt.Fprintf(&b, "%-58s %5d %8.1f %8.1f %6d\n", "DENSE", dense.n, dense.ttft(), dense.tpot(), dense.misses)
	t.Log(b.String())
	// Issue 20's bars, all met: TPOT <= 30% over all rows and <= 20% dense; TTFT <= 45% and <= 35%.
	if all.tpot() > 30 || dense.tpot() > 20 {
		t.Errorf("TPOT MAPE: all rows %.1f%% (limit 30), dense %.1f%% (limit 20)", all.tpot(), dense.tpot())
	}
	if all.ttft() > 45 || dense.ttft() > 35 {
		t.Errorf("TTFT MAPE: all rows %.1f%% (limit 45), dense %.1f%% (limit 35)", all.ttft(), dense.ttft())
	}
}

func rankBatch(in Input) int {
	if in.Aggregated != nil {
		return max(in.Aggregated.BatchSize, 1)
	}
	return max(in.Decode.BatchSize, 1)
}
