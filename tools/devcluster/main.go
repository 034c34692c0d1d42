// Command devcluster runs the local control plane used by `make demo`: real etcd,
// kube-apiserver and kube-controller-manager with the runtime CRDs and a few simulated GPU
// nodes. It writes a kubeconfig, then runs until interrupted.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func main() {
	dir := flag.String("dir", ".tmp/demo/cluster", "directory for the cluster's data, logs and kubeconfig")
	ready := flag.String("ready-file", "", "file written with the kubeconfig path once the cluster is ready")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	abs, err := filepath.Abs(*dir)
	if err != nil {
		log.Fatal(err)
	}
	_ = os.RemoveAll(abs)
	c, err := testcluster.Start(ctx, testcluster.Options{Dir: abs})
	if err != nil {
		log.Fatalf("devcluster: %v", err)
	}
	defer c.Stop()

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
	go playOperators(ctx, c)
	if *ready != "" {
		if err := os.WriteFile(*ready, []byte(c.Kubeconfig+"\n"), 0o600); err != nil {
			log.Fatal(err)
		}
	}
	<-ctx.Done()
	fmt.Println("devcluster: stopping")
}
