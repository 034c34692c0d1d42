// Command capacity is the GPU capacity benchmark's helper (see bench/capacity.sh):
//
//	capacity serve -dir D -ready-file F -nodes 5000 -pods 50000
//	    starts a control plane (etcd + kube-apiserver, no controllers, so nothing edits or
//	    evicts the simulated objects), creates the nodes and pods, writes the kubeconfig path
//	    to F and runs until interrupted;
//	capacity read -kubeconfig K -mode paged|round-one|unpaginated
//	    reads the capacity once in this process and prints "seconds peak-RSS-MiB GPUs CPU-seconds".
//
// Modes: paged is internal/capacity.Read through the provider's client (protobuf, pages
// of capacity.PageSize, tallied page by page); round-one is the reader this provider had
// before (JSON, pages of 500, every object kept until the end), re-created here as the
// baseline; unpaginated is one JSON list of everything, as the upstream backend does.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/capacity"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: capacity serve|read [flags]")
	}
	switch os.Args[1] {
	case "serve":
		serve(os.Args[2:])
	case "read":
		read(os.Args[2:])
	default:
		log.Fatalf("unknown command %q", os.Args[1])
	}
}

func serve(args []string) {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	dir := fs.String("dir", ".tmp/bench-capacity", "cluster directory")
	ready := fs.String("ready-file", "", "written with the kubeconfig path when seeded")
	nodes := fs.Int("nodes", 5000, "GPU nodes")
	pods := fs.Int("pods", 50000, "pods, spread over the nodes")
	_ = fs.Parse(args)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	abs, _ := filepath.Abs(*dir)
	_ = os.RemoveAll(abs)
	c, err := testcluster.Start(ctx, testcluster.Options{Dir: abs, SkipCRDs: true, NoControllerManager: true})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Stop()
	start := time.Now()
	if err := seed(ctx, c.RESTConfig, *nodes, *pods); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("seeded %d nodes and %d pods in %s\n", *nodes, *pods, time.Since(start).Round(time.Second))
	if *ready != "" {
		_ = os.WriteFile(*ready, []byte(c.Kubeconfig+"\n"), 0o600)
	}
	<-ctx.Done()
}

func seed(ctx context.Context, cfg *rest.Config, nodes, pods int) error {
	cfg = rest.CopyConfig(cfg)
	cfg.QPS, cfg.Burst = 5000, 5000
	cfg.ContentType = "application/vnd.kubernetes.protobuf"
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	const perNode = 8
	work := make(chan func() error, 256)
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range work {
				if err := f(); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	res := corev1.ResourceList{
		corev1.ResourceCPU: resource.MustParse("96"), corev1.ResourceMemory: resource.MustParse("1Ti"),
		corev1.ResourcePods: resource.MustParse("110"), capacity.GPUResource: *resource.NewQuantity(perNode, resource.DecimalSI),
	}
	for i := range nodes {
		name := fmt.Sprintf("gpu-node-%05d", i)
		work <- func() error {
			n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{
				"kubernetes.io/hostname": name, "agentpool": fmt.Sprintf("pool%d", i%20),
				capacity.LabelGPUProduct: "NVIDIA-A100-SXM4-80GB", capacity.LabelGPUMemory: "81920", capacity.LabelGPUCount: "8",
			}}}
			created, err := cs.CoreV1().Nodes().Create(ctx, n, metav1.CreateOptions{})
			if err != nil {
				return err
			}
			created.Status.Capacity, created.Status.Allocatable = res, res
			_, err = cs.CoreV1().Nodes().UpdateStatus(ctx, created, metav1.UpdateOptions{})
			return err
		}
	}
	namespaces := 50
	for i := range namespaces {
		_, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "team-" + strconv.Itoa(i)}}, metav1.CreateOptions{})
		if err != nil {
			return err
		}
	}
	for i := range pods {
		node := fmt.Sprintf("gpu-node-%05d", i%nodes)
		work <- func() error {
			ctr := corev1.Container{Name: "main", Image: "registry.example/team/app:1.2.3",
				Env: []corev1.EnvVar{{Name: "MODE", Value: "serve"}, {Name: "LOG_LEVEL", Value: "info"}},
				Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{
					corev1.ResourceCPU: resource.MustParse("500m"), corev1.ResourceMemory: resource.MustParse("1Gi")}}}
			if i%5 == 0 { // one pod in five holds a GPU
				g := corev1.ResourceList{capacity.GPUResource: *resource.NewQuantity(1, resource.DecimalSI)}
				ctr.Resources.Limits = g
				ctr.Resources.Requests[capacity.GPUResource] = g[capacity.GPUResource]
			}
			p := &corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("app-%06d", i), Namespace: "team-" + strconv.Itoa(i%namespaces),
					Labels: map[string]string{"app": "app-" + strconv.Itoa(i%100)}},
				Spec: corev1.PodSpec{NodeName: node, Containers: []corev1.Container{ctr}},
			}
			_, err := cs.CoreV1().Pods(p.Namespace).Create(ctx, p, metav1.CreateOptions{})
			return err
		}
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

func read(args []string) {
	fs := flag.NewFlagSet("read", flag.ExitOnError)
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig")
	mode := fs.String("mode", "paged", "paged | round-one | unpaginated")
	page := fs.Int64("page", capacity.PageSize, "page size of the paged mode")
	_ = fs.Parse(args)
	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		log.Fatal(err)
	}
	cfg.QPS, cfg.Burst = kube.DefaultQPS, kube.DefaultBurst
	ctx := context.Background()
	start := time.Now()
	var total int64
	switch *mode {
	case "paged":
		c, err := kube.NewClient(cfg)
		if err != nil {
			log.Fatal(err)
		}
		sum, err := capacity.ReadPaged(ctx, c.Typed, "", *page)
		if err != nil {
			log.Fatal(err)
		}
		total = sum.Requested
	case "round-one", "unpaginated":
		cs, err := kubernetes.NewForConfig(cfg) // JSON, as before
		if err != nil {
			log.Fatal(err)
		}
		limit := int64(500)
		if *mode == "unpaginated" {
			limit = 0
		}
		total = readKeepingAll(ctx, cs, limit)
	default:
		log.Fatalf("unknown mode %q", *mode)
	}
	fmt.Printf("%.3f %.0f %d %.2f\n", time.Since(start).Seconds(), peakRSSMiB(), total, cpuSeconds())
}

// readKeepingAll is the round-one reader: every page appended to one slice, computed at the end.
func readKeepingAll(ctx context.Context, cs kubernetes.Interface, limit int64) int64 {
	var nodes []corev1.Node
	opts := metav1.ListOptions{Limit: limit}
	for {
		l, err := cs.CoreV1().Nodes().List(ctx, opts)
		if err != nil {
			log.Fatal(err)
		}
		nodes = append(nodes, l.Items...)
		if opts.Continue = l.Continue; opts.Continue == "" {
			break
		}
	}
	var pods []corev1.Pod
	opts = metav1.ListOptions{Limit: limit, FieldSelector: "status.phase!=Succeeded,status.phase!=Failed"}
	for {
		l, err := cs.CoreV1().Pods("").List(ctx, opts)
		if err != nil {
			log.Fatal(err)
		}
		pods = append(pods, l.Items...)
		if opts.Continue = l.Continue; opts.Continue == "" {
			break
		}
	}
	return capacity.Compute(nodes, pods).Requested
}

// cpuSeconds is the user+system CPU this process used.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

// peakRSSMiB is the process's high-water resident set (VmHWM).
func peakRSSMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			kb, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
			return kb / 1024
		}
	}
	return 0
}
