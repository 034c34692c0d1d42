package gguf_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gguf"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gguf/buildkittest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gguf/gguftest"
)

// BenchmarkBuild measures wall time and the builder process's peak RSS for each method and
// model size. The build runs in a child process (this test binary re-executed) so that the
// fake Hub and the in-process registry, which buffers uploads in memory, do not count. The
// child reports its own VmHWM: rusage's maxrss of a vforked child includes the parent's RSS.
// Each BuildKit case gets a fresh buildkitd so its VmHWM is that case's alone.
//
//	go test ./internal/gguf -run '^$' -bench BenchmarkBuild -benchtime 1x
//
// GGUF_BENCH_SIZES overrides the sizes in MiB (default "50,1024").
func BenchmarkBuild(b *testing.B) {
	sizes := []int64{50, 1024}
	if s := os.Getenv("GGUF_BENCH_SIZES"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			sizes = append(sizes, n)
		}
	}
	for _, method := range methods {
		for _, mib := range sizes {
			b.Run(fmt.Sprintf("%s/%dMiB", method, mib), func(b *testing.B) {
				hub, reg := gguftest.NewHub(b), gguftest.NewRegistry(b)
				base := gguftest.PushBase(b, reg)
				model := gguftest.NewModel(mib<<20, uint64(mib))
				model.SHA256() // hash up front, outside the measurement
				hub.Add(testModel, "main", testFile, model)
				spec := benchSpec{Endpoint: hub.URL, Repository: reg + "/bench/model", Base: base, Method: method}
				var d *buildkittest.Daemon
				if method == gguf.MethodBuildKit {
					var err error
					if d, err = startDaemon(); err != nil {
						b.Fatal(err)
					}
					defer d.Close()
					spec.Builder = d.Address
				}
				for b.Loop() {
					rss, took := runChild(b, spec)
					b.ReportMetric(float64(rss)/1024, "peak-RSS-MiB")
					b.ReportMetric(float64(mib)/took.Seconds(), "MiB/s")
				}
				if d != nil {
					b.ReportMetric(float64(vmHWM(d.Pid()))/1024, "buildkitd-peak-RSS-MiB")
				}
				debug.FreeOSMemory() // drop the registry's buffers before the next case
			})
		}
	}
}

type benchSpec struct {
	Endpoint, Repository, Base, Method, Builder string
}

// runChild runs one build in a child process and returns its peak RSS (KiB) and wall time.
func runChild(b *testing.B, s benchSpec) (int64, time.Duration) {
	b.Helper()
	js, _ := json.Marshal(s)
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "GGUF_BENCH_CHILD="+string(js))
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if err != nil {
		b.Fatalf("child build: %v\n%s", err, out)
	}
	_, after, ok := strings.Cut(string(out), "VmHWM=")
	if !ok {
		b.Fatalf("child did not report VmHWM:\n%s", out)
	}
	kib, err := strconv.ParseInt(strings.Fields(after)[0], 10, 64)
	if err != nil {
		b.Fatal(err)
	}
	return kib, took
}

// TestBenchChild is the child half of BenchmarkBuild; it does nothing in normal test runs.
func TestBenchChild(t *testing.T) {
	js := os.Getenv("GGUF_BENCH_CHILD")
	if js == "" {
		return
	}
	var s benchSpec
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		t.Fatal(err)
	}
	_, err := gguf.Build(t.Context(), gguf.Spec{
		Source:     gguf.Source{Endpoint: s.Endpoint, Model: testModel, File: testFile},
		Repository: s.Repository, BaseImage: s.Base, Method: s.Method, Builder: s.Builder,
	})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("VmHWM=%d\n", vmHWM(os.Getpid()))
}

// vmHWM reads a process's peak RSS (KiB) from /proc.
func vmHWM(pid int) int64 {
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(st), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}
