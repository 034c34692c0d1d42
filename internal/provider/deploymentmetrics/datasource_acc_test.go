package deploymentmetrics_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) { acctest.Main(m) }

const dsAddr = "data.kubefoundry_deployment_metrics.llm"

// What is real here: kube-apiserver and its pods/proxy subresource (the provider reads every
// exposition through it, with the provider's own credentials), the controller-manager, the
// DynamoGraphDeployment terraform creates, the Prometheus text the engines' servers write.
// What is simulated, and named so: no Dynamo operator runs in this cluster, so the test plays
// it and the kubelet (stand-in) — it creates the graph's pods with the Dynamo 1.4 labels and
// container port names, and writes them Running with this machine's non-loopback IP (the
// API server refuses to proxy to loopback). No engine runs either: two HTTP servers in the
// test serve a Dynamo frontend's and a vLLM worker's exposition, each scrape a step further.
// The container port numbers are those servers' (the operator's are 8000 and 9090; the machine
// is shared, so fixed ports could be taken).
func TestAccDeploymentMetricsDynamoThroughAPIServerProxy(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.ShortNamespace(t, "dm")
	ip := hostIP(t)
	frontend := serve(t, ip, frontendExposition)
	worker := serve(t, ip, vllmWorkerExposition)

	deployment := acctest.Deployment("llm", fmt.Sprintf(`name = "llm"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"
wait_for_ready = false
# without a kubelet a failed test's graceful deletes never finish: bound the destroy's wait
timeouts {
  delete = "1m"
}`, ns))
	data := `data "kubefoundry_deployment_metrics" "llm" {
  namespace        = kubefoundry_model_deployment.llm.namespace
  name             = kubefoundry_model_deployment.llm.name
  interval_seconds = 2
}
`
	total := func(name string) tfjsonpath.Path { return tfjsonpath.New("total").AtMapKey(name) }
	pod := func(i int, name string) tfjsonpath.Path { return tfjsonpath.New("pods").AtSliceIndex(i).AtMapKey(name) }
	exact := func(p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(dsAddr, p, v)
	}
	f := approx

	resource.Test(t, acctest.TestCase(t, nil,
		resource.TestStep{Config: acctest.Config(t, deployment)},
		resource.TestStep{
			PreConfig: func() { playDynamoOperator(t, c, ns, ip, frontend.port, worker.port) },
			Config:    acctest.Config(t, deployment, data),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.Attr(dsAddr, "runtime", knownvalue.StringExact("dynamo")),
				// The planner serves no engine metrics and is left out; the pods sort by name.
				acctest.Attr(dsAddr, "pods", knownvalue.ListSizeExact(3)),
				exact(pod(0, "name"), knownvalue.StringExact("llm-frontend-0")),
				exact(pod(0, "role"), knownvalue.StringExact("frontend")),
				exact(pod(0, "engine"), knownvalue.StringExact("dynamo_frontend")),
				exact(pod(0, "port"), knownvalue.Int64Exact(int64(frontend.port))),
				exact(pod(0, "running_requests"), f(9)),
				exact(pod(0, "waiting_requests"), f(1)),
				exact(pod(0, "kv_cache_usage"), knownvalue.Null()),
				// Each scrape adds 20 first tokens in (0.05, 0.1] and 10 in (0.1, 0.2].
				exact(pod(0, "ttft_p50_ms"), f(87.5)),
				exact(pod(0, "ttft_p90_ms"), f(170)),
				exact(pod(0, "latency_window"), knownvalue.StringExact("interval")),
				exact(pod(0, "error"), knownvalue.StringExact("")),

				exact(pod(1, "name"), knownvalue.StringExact("llm-worker-0")),
				exact(pod(1, "role"), knownvalue.StringExact("decode")),
				exact(pod(1, "engine"), knownvalue.StringExact("vllm")),
				exact(pod(1, "running_requests"), f(5)),
				exact(pod(1, "waiting_requests"), f(2)),
				exact(pod(1, "kv_cache_usage"), f(0.5)),
				// Each scrape adds 200 gaps in (0.025, 0.05] and 100 in (0.05, 0.075].
				exact(pod(1, "itl_p50_ms"), f(43.75)),
				exact(pod(1, "itl_p90_ms"), f(67.5)),

				exact(pod(2, "name"), knownvalue.StringExact("llm-worker-1")),
				exact(pod(2, "engine"), knownvalue.StringExact("")),

				exact(total("engine"), knownvalue.StringExact("vllm")),
				exact(total("pods_scraped"), knownvalue.Int64Exact(2)),
				exact(total("pods_failed"), knownvalue.Int64Exact(1)),
				// Requests and cache from the engine, latency from the frontend.
				exact(total("running_requests"), f(5)),
				exact(total("waiting_requests"), f(2)),
				exact(total("kv_cache_usage"), f(0.5)),
				exact(total("ttft_p50_ms"), f(87.5)),
				exact(total("ttft_p99_ms"), f(197)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestMatchResourceAttr(dsAddr, "pods.2.error", regexp.MustCompile(`Pending`)),
				// Rates: a step's increase over the time between the two scrapes, at least the
				// 2 s interval and, on this busy machine, at most 12 s.
				inRange("pods.1.prompt_tokens_per_second", 300.0/12, 300.0/2),
				inRange("total.generation_tokens_per_second", 600.0/12, 600.0/2),
				inRange("total.prompt_tokens_per_second", 6000.0/12, 6000.0/2),
			),
		},
		resource.TestStep{
			// A single scrape: no rates, percentiles over everything since start.
			Config: acctest.Config(t, deployment, strings.Replace(data, "interval_seconds = 2", "interval_seconds = 0", 1)),
			ConfigStateChecks: []statecheck.StateCheck{
				exact(total("generation_tokens_per_second"), knownvalue.Null()),
				exact(total("latency_window"), knownvalue.StringExact("since_start")),
				exact(pod(1, "kv_cache_usage"), f(0.5)),
			},
		},
		resource.TestStep{
			// The stand-in removes the pods as the operator would once the graph goes: with no
			// kubelet to confirm a graceful delete, destroy would otherwise wait for them.
			PreConfig: func() { removePodsMatching(t, c, ns, "nvidia.com/dynamo-graph-deployment-name=llm") },
			Config:    acctest.Config(t, deployment),
		},
	))
	if frontend.hits.Load() < 4 || worker.hits.Load() < 4 {
		t.Errorf("the servers were scraped %d and %d times; every read scrapes each twice", frontend.hits.Load(), worker.hits.Load())
	}
}

func TestAccDeploymentMetricsBadInput(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.ShortNamespace(t, "dmbad")
	cfg := func(extra string) string {
		return acctest.Config(t, fmt.Sprintf("data \"kubefoundry_deployment_metrics\" \"x\" {\n  namespace = %q\n  name = \"missing\"\n%s\n}\n", ns, extra))
	}
	resource.Test(t, acctest.TestCase(t, nil,
		resource.TestStep{Config: cfg(`interval_seconds = -1`), ExpectError: regexp.MustCompile(`(?s)interval_seconds.*between 0\.0* and 300`)},
		resource.TestStep{Config: cfg(`path = "metrics"`), ExpectError: regexp.MustCompile(`(?s)path.*absolute path such as /metrics`)},
		resource.TestStep{Config: cfg(`runtime = "ollama"`), ExpectError: regexp.MustCompile(`(?s)runtime.*dynamo`)},
		resource.TestStep{Config: cfg(``), ExpectError: regexp.MustCompile(`no model deployment named "missing"`)},
	))
}

// approx is knownvalue.Float64Exact within a relative 1e-9: percentiles are interpolated in
// binary floating point.
func approx(want float64) knownvalue.Check { return approxCheck(want) }

type approxCheck float64

func (a approxCheck) CheckValue(v any) error {
	n, ok := v.(json.Number)
	if !ok {
		return fmt.Errorf("expected a number, got %T", v)
	}
	got, err := n.Float64()
	if err != nil {
		return err
	}
	if math.Abs(got-float64(a)) > 1e-9*math.Max(1, math.Abs(float64(a))) {
		return fmt.Errorf("got %v, want %v", got, float64(a))
	}
	return nil
}

func (a approxCheck) String() string { return strconv.FormatFloat(float64(a), 'g', -1, 64) }

func inRange(attr string, lo, hi float64) resource.TestCheckFunc {
	return resource.TestCheckResourceAttrWith(dsAddr, attr, func(v string) error {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return err
		}
		if x < lo || x > hi {
			return fmt.Errorf("%s = %g, want within [%g, %g]", attr, x, lo, hi)
		}
		return nil
	})
}

// hostIP is this machine's first non-loopback IPv4 address: the API server proxies only to
// addresses a pod could have.
func hostIP(t *testing.T) string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	t.Fatal("this machine has no non-loopback IPv4 address for the API server to proxy to")
	return ""
}

type engineServer struct {
	port int
	hits *atomic.Int64
}

// serve answers GET /metrics with exposition(k), k counting the scrapes from 0.
func serve(t *testing.T, ip string, exposition func(k int64) string) engineServer {
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatal(err)
	}
	hits := &atomic.Int64{}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" {
			http.NotFound(w, r)
			return
		}
		k := hits.Add(1) - 1
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		_, _ = w.Write([]byte(exposition(k)))
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return engineServer{port: ln.Addr().(*net.TCPAddr).Port, hits: hits}
}

// playDynamoOperator (stand-in for the Dynamo operator and the kubelet) creates the graph's
// pods as Dynamo 1.4 labels them (deploy/operator/internal/consts/consts.go), on a node, and
// writes them Running at ip. llm-worker-1 stays Pending; the planner serves no engine metrics.
func playDynamoOperator(t *testing.T, c *testcluster.Cluster, ns, ip string, frontendPort, workerPort int) {
	ctx := context.Background()
	node := ns + "-node"
	if _, err := c.CreateGPUNode(ctx, testcluster.GPUNode{Name: node, GPUs: 8, Product: "NVIDIA-H100-80GB-HBM3"}); err != nil {
		t.Fatal(err)
	}
	c.DeleteNodes(t, node)
	pods := []struct {
		name, ctype, sub, portName string
		port                       int
		running                    bool
	}{
		{"llm-frontend-0", "frontend", "", "http", frontendPort, true},
		{"llm-worker-0", "worker", "decode", "system", workerPort, true},
		{"llm-worker-1", "worker", "decode", "system", workerPort, false},
		{"llm-planner-0", "planner", "", "", 0, true},
	}
	for _, p := range pods {
		labels := map[string]string{
			"nvidia.com/dynamo-graph-deployment-name": "llm",
			"nvidia.com/dynamo-component-type":        p.ctype,
		}
		if p.sub != "" {
			labels["nvidia.com/dynamo-sub-component-type"] = p.sub
		}
		ctr := corev1.Container{Name: "main", Image: "nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0"}
		if p.portName != "" {
			ctr.Ports = []corev1.ContainerPort{{Name: p.portName, ContainerPort: int32(p.port), Protocol: corev1.ProtocolTCP}}
		}
		spec := corev1.PodSpec{Containers: []corev1.Container{ctr}}
		if p.running {
			spec.NodeName = node
		}
		pod, err := c.Clientset.CoreV1().Pods(ns).Create(ctx, &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: p.name, Labels: labels}, Spec: spec,
		}, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !p.running {
			continue
		}
		pod.Status.Phase = corev1.PodRunning
		pod.Status.HostIP, pod.Status.PodIP = ip, ip
		pod.Status.HostIPs, pod.Status.PodIPs = []corev1.HostIP{{IP: ip}}, []corev1.PodIP{{IP: ip}}
		pod.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}
		if _, err := c.Clientset.CoreV1().Pods(ns).UpdateStatus(ctx, pod, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

// removePodsMatching deletes pods at once (grace 0): no kubelet would confirm a graceful delete.
func removePodsMatching(t *testing.T, c *testcluster.Cluster, ns, selector string) {
	zero := int64(0)
	err := c.Clientset.CoreV1().Pods(ns).DeleteCollection(context.Background(),
		metav1.DeleteOptions{GracePeriodSeconds: &zero}, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		t.Fatal(err)
	}
}

// hist writes one classic histogram series in Prometheus text format.
func hist(name, labels string, bounds []float64, cumulative []int64, sum float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# TYPE %s histogram\n", name)
	for i, ub := range bounds {
		fmt.Fprintf(&b, "%s_bucket{%s,le=\"%g\"} %d\n", name, labels, ub, cumulative[i])
	}
	n := cumulative[len(cumulative)-1]
	fmt.Fprintf(&b, "%s_bucket{%s,le=\"+Inf\"} %d\n%s_sum{%s} %g\n%s_count{%s} %d\n", name, labels, n, name, labels, sum, name, labels, n)
	return b.String()
}

// frontendExposition is the Dynamo 1.4 frontend's /metrics after k+1 scrapes' worth of
// traffic (names: lib/runtime/src/metrics/prometheus_names.rs frontend_service).
func frontendExposition(k int64) string {
	m := `model="qwen/qwen3-0.6b"`
	return fmt.Sprintf(`# TYPE dynamo_frontend_requests_total counter
dynamo_frontend_requests_total{endpoint="chat_completions",model="qwen/qwen3-0.6b",request_type="stream",status="success"} %d
# TYPE dynamo_frontend_inflight_requests gauge
dynamo_frontend_inflight_requests{%s} 9
# TYPE dynamo_frontend_queued_requests gauge
dynamo_frontend_queued_requests{%s} 1
# TYPE dynamo_frontend_output_tokens_total counter
dynamo_frontend_output_tokens_total{%s} %d
`, 30*k, m, m, m, 4000+600*k) +
		hist("dynamo_frontend_input_sequence_tokens", m, []float64{1000}, []int64{30 * k}, float64(10000+6000*k)) +
		hist("dynamo_frontend_time_to_first_token_seconds", m, []float64{0.05, 0.1, 0.2, 0.4}, []int64{10, 20 + 20*k, 30 + 30*k, 30 + 30*k}, 1) +
		hist("dynamo_frontend_inter_token_latency_seconds", m, []float64{0.005, 0.01, 0.02}, []int64{100, 400, 500}, 5)
}

// vllmWorkerExposition is a Dynamo vLLM worker's system port (the "vllm:" families vLLM 0.19
// writes, vllm/v1/metrics/loggers.py).
func vllmWorkerExposition(k int64) string {
	m := `engine="0",model_name="Qwen/Qwen3-0.6B"`
	return fmt.Sprintf(`# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{%s} 5.0
# TYPE vllm:num_requests_waiting gauge
vllm:num_requests_waiting{%s} 2.0
# TYPE vllm:kv_cache_usage_perc gauge
vllm:kv_cache_usage_perc{%s} 0.5
# TYPE vllm:prompt_tokens_total counter
vllm:prompt_tokens_total{%s} %d.0
# TYPE vllm:generation_tokens_total counter
vllm:generation_tokens_total{%s} %d.0
# TYPE dynamo_component_gpu_cache_usage_percent gauge
dynamo_component_gpu_cache_usage_percent{dp_rank="0"} 0.5
`, m, m, m, m, 1000+300*k, m, 5000+100*k) +
		hist("vllm:time_to_first_token_seconds", m, []float64{0.25, 0.5, 0.75}, []int64{10, 10 + 20*k, 10 + 40*k}, 2) +
		hist("vllm:inter_token_latency_seconds", m, []float64{0.01, 0.025, 0.05, 0.075}, []int64{0, 100, 100 + 200*k, 100 + 300*k}, 2)
}

// A plain-vLLM deployment of two replicas: the pods are the real ones the controller-manager's
// ReplicaSet creates from the Deployment terraform applies. Simulated (stand-in for the
// scheduler and the kubelet): the test binds them to a node and writes them Running at this
// machine's IP; one HTTP server plays both engines, so the data source's port override points
// both pods at it. Without a frontend the totals add the engines' rates and merge their
// histograms.
func TestAccDeploymentMetricsVLLMReplicasPortOverride(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.ShortNamespace(t, "dmv")
	ip := hostIP(t)
	engine := serve(t, ip, vllmWorkerExposition)
	deployment := acctest.Deployment("llm", fmt.Sprintf(`name = "llm"
namespace = %q
runtime = "vllm"
model = "Qwen/Qwen3-0.6B"
replicas = 2
wait_for_ready = false
# without a kubelet a failed test's graceful deletes never finish: bound the destroy's wait
timeouts {
  delete = "1m"
}`, ns))
	data := fmt.Sprintf(`data "kubefoundry_deployment_metrics" "llm" {
  namespace        = kubefoundry_model_deployment.llm.namespace
  name             = kubefoundry_model_deployment.llm.name
  interval_seconds = 2
  port             = %d
}
`, engine.port)
	total := func(name string) tfjsonpath.Path { return tfjsonpath.New("total").AtMapKey(name) }
	exact := func(p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(dsAddr, p, v)
	}
	resource.Test(t, acctest.TestCase(t, nil,
		resource.TestStep{Config: acctest.Config(t, deployment)},
		resource.TestStep{
			PreConfig: func() { playKubelet(t, c, ns, ip, 2) },
			Config:    acctest.Config(t, deployment, data),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.Attr(dsAddr, "runtime", knownvalue.StringExact("vllm")),
				acctest.Attr(dsAddr, "pods", knownvalue.ListSizeExact(2)),
				exact(tfjsonpath.New("pods").AtSliceIndex(0).AtMapKey("port"), knownvalue.Int64Exact(int64(engine.port))),
				exact(tfjsonpath.New("pods").AtSliceIndex(1).AtMapKey("engine"), knownvalue.StringExact("vllm")),
				exact(total("pods_scraped"), knownvalue.Int64Exact(2)),
				exact(total("running_requests"), approx(10)),
				exact(total("waiting_requests"), approx(4)),
				exact(total("kv_cache_usage"), approx(0.5)),
				// Each scrape of the shared server is one step; the merged interval
				// histogram has the same shape as one step's.
				exact(total("itl_p50_ms"), approx(43.75)),
				exact(total("latency_window"), knownvalue.StringExact("interval")),
			},
			// Four scrapes, four steps of 300 prompt tokens, between 2 and 12 s.
			Check: inRange("total.prompt_tokens_per_second", 1200.0/12, 1200.0/2),
		},
		resource.TestStep{
			PreConfig: func() { removePodsMatching(t, c, ns, "app.kubernetes.io/instance=llm") },
			Config:    acctest.Config(t, deployment),
		},
	))
}

// playKubelet (stand-in for kube-scheduler and the kubelet) waits for n pods of the
// deployment, binds them to a node and writes them Running at ip.
func playKubelet(t *testing.T, c *testcluster.Cluster, ns, ip string, n int) {
	ctx := context.Background()
	node := ns + "-node"
	if _, err := c.CreateGPUNode(ctx, testcluster.GPUNode{Name: node, GPUs: 8, Product: "NVIDIA-H100-80GB-HBM3"}); err != nil {
		t.Fatal(err)
	}
	c.DeleteNodes(t, node)
	var pods []corev1.Pod
	deadline := time.Now().Add(2 * time.Minute)
	for len(pods) < n {
		list, err := c.Clientset.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app.kubernetes.io/instance=llm"})
		if err != nil {
			t.Fatal(err)
		}
		pods = list.Items
		if len(pods) >= n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the ReplicaSet made %d of %d pods", len(pods), n)
		}
		time.Sleep(500 * time.Millisecond)
	}
	for _, p := range pods {
		binding := &corev1.Binding{ObjectMeta: metav1.ObjectMeta{Name: p.Name, Namespace: ns},
			Target: corev1.ObjectReference{Kind: "Node", Name: node}}
		if err := c.Clientset.CoreV1().Pods(ns).Bind(ctx, binding, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
			pod, err := c.Clientset.CoreV1().Pods(ns).Get(ctx, p.Name, metav1.GetOptions{})
			if err != nil {
				return err
			}
			pod.Status.Phase = corev1.PodRunning
			pod.Status.HostIP, pod.Status.PodIP = ip, ip
			pod.Status.HostIPs, pod.Status.PodIPs = []corev1.HostIP{{IP: ip}}, []corev1.PodIP{{IP: ip}}
			_, err = c.Clientset.CoreV1().Pods(ns).UpdateStatus(ctx, pod, metav1.UpdateOptions{})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
