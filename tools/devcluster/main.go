// Command devcluster runs the local cluster used by `make demo`: real etcd, kube-apiserver,
// kube-controller-manager and kube-scheduler, kwok simulating a few GPU nodes, and the real
// Dynamo, KubeRay and KAITO operators reconciling what is applied (-operators=stand-in plays
// them instead, as before). It writes a kubeconfig, then runs until interrupted.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func main() {
	dir := flag.String("dir", ".tmp/demo/cluster", "directory for the cluster's data, logs and kubeconfig")
	ready := flag.String("ready-file", "", "file written with the kubeconfig path once the cluster is ready")
	mode := flag.String("operators", "real", "real: run the real operators on kwok nodes; stand-in: flip statuses to Running")
	runtimes := flag.String("runtimes", "dynamo,kuberay,kaito", "with -operators=real: the operators to run (each built on first use)")
	flag.Parse()
	if *mode != "real" && *mode != "stand-in" {
		log.Fatalf("devcluster: -operators must be real or stand-in, not %q", *mode)
	}
	ops, err := parseOperators(*runtimes)
	if err != nil {
		log.Fatalf("devcluster: -runtimes: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	abs, err := filepath.Abs(*dir)
	if err != nil {
		log.Fatal(err)
	}
	_ = os.RemoveAll(abs)
	opts := testcluster.Options{Dir: abs}
	if *mode == "real" {
		opts.Operators = ops
	}
	start := time.Now()
	c, err := testcluster.Start(ctx, opts)
	if err != nil {
		log.Fatalf("devcluster: %v", err)
	}
	defer c.Stop()
	if *mode == "real" {
		startup := c.OperatorStartup()
		var each []string
		for _, o := range ops {
			each = append(each, fmt.Sprintf("%s %s", o, startup[o].Round(time.Millisecond)))
		}
		fmt.Printf("devcluster: cluster with kube-scheduler, kwok and the real operators ready in %s (%s; logs in %s)\n",
			time.Since(start).Round(time.Millisecond), strings.Join(each, ", "), filepath.Join(abs, "logs"))
	}

	nodes := []testcluster.GPUNode{
		{Name: "gpu-a100-0", GPUs: 8, Product: "NVIDIA-A100-SXM4-80GB", MemoryMiB: 81920, Labels: map[string]string{"agentpool": "a100"}},
		{Name: "gpu-a100-1", GPUs: 8, Product: "NVIDIA-A100-SXM4-80GB", MemoryMiB: 81920, Labels: map[string]string{"agentpool": "a100"}},
		{Name: "gpu-l4-0", GPUs: 2, Product: "NVIDIA-L4", MemoryMiB: 23034, Labels: map[string]string{"agentpool": "l4"}},
		{Name: "cpu-0", Labels: map[string]string{"agentpool": "system"}},
	}
	for _, n := range nodes {
		if _, err := c.CreateGPUNode(ctx, n); err != nil {
			log.Fatalf("devcluster: %v", err)
		}
	}
	fmt.Printf("devcluster: API server %s, kubeconfig %s, %d simulated nodes\n", c.Host, c.Kubeconfig, len(nodes))
	if *mode == "stand-in" {
		go playOperators(ctx, c)
	}
	if *ready != "" {
		if err := os.WriteFile(*ready, []byte(c.Kubeconfig+"\n"), 0o600); err != nil {
			log.Fatal(err)
		}
	}
	<-ctx.Done()
	fmt.Println("devcluster: stopping")
}

// parseOperators reads a comma-separated list of operator names (dynamo, kuberay, kaito).
func parseOperators(list string) ([]testcluster.Operator, error) {
	var out []testcluster.Operator
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if !slices.Contains(testcluster.AllOperators, testcluster.Operator(name)) {
			return nil, fmt.Errorf("unknown operator %q (one of %v)", name, testcluster.AllOperators)
		}
		out = append(out, testcluster.Operator(name))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no operator named in %q", list)
	}
	return out, nil
}
