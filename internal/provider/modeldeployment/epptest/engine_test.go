package epptest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

// load is what one engine reports: requests queued and running, and KV-cache use (0..1).
type load struct {
	waiting, running int
	kvCache          float64
}

// engineStandIns serve the vLLM engines' /metrics on each pod's IP and port (stand-in for the
// vLLM servers, which do not run on kwok nodes): the picker's metrics-data-source scrapes
// http://<pod IP>:<target port>/metrics, and its core-metrics-extractor reads vLLM's gauges
// (vllm engine config of pkg/epp/framework/plugins/datalayer/extractor/metrics/factories.go
// @ llm-d-router v0.10.0). The names and labels are vLLM's own exposition.
type engineStandIns struct {
	t     *testing.T
	port  int
	model string

	mu      sync.Mutex
	load    map[string]load
	scrapes map[string]int
}

func newEngineStandIns(t *testing.T, port int, model string) *engineStandIns {
	return &engineStandIns{t: t, port: port, model: model, load: map[string]load{}, scrapes: map[string]int{}}
}

// serve starts answering for a pod IP (once), idle until set says otherwise.
func (e *engineStandIns) serve(ip string) {
	e.mu.Lock()
	if _, ok := e.load[ip]; ok {
		e.mu.Unlock()
		return
	}
	e.load[ip] = load{}
	e.mu.Unlock()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(e.port)))
	if err != nil {
		e.t.Fatalf("engine stand-in for pod IP %s: %v (pod IPs must be loopback: Options.LoopbackPodIPs)", ip, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, _ *http.Request) {
		e.mu.Lock()
		l := e.load[ip]
		e.scrapes[ip]++
		e.mu.Unlock()
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		_, _ = fmt.Fprint(w, vllmMetrics(e.model, l))
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			e.t.Errorf("engine stand-in %s: %v", ip, err)
		}
	}()
	e.t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
}

func (e *engineStandIns) set(ip string, l load) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.load[ip] = l
}

func (e *engineStandIns) scraped(ip string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.scrapes[ip]
}

// vllmMetrics is the part of a vLLM 0.11 /metrics page the picker reads, in vLLM's format.
func vllmMetrics(model string, l load) string {
	labels := fmt.Sprintf(`engine="0",model_name=%q`, model)
	return fmt.Sprintf(`# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{%[1]s} %[2]d.0
# HELP vllm:num_requests_waiting Number of requests waiting to be processed.
# TYPE vllm:num_requests_waiting gauge
vllm:num_requests_waiting{%[1]s} %[3]d.0
# HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
# TYPE vllm:kv_cache_usage_perc gauge
vllm:kv_cache_usage_perc{%[1]s} %[4]g
# HELP vllm:cache_config_info Information of the LLMEngine CacheConfig
# TYPE vllm:cache_config_info gauge
vllm:cache_config_info{block_size="16",cache_dtype="auto",enable_prefix_caching="True",engine="0",gpu_memory_utilization="0.9",num_gpu_blocks="27000"} 1.0
`, labels, l.running, l.waiting, l.kvCache)
}
