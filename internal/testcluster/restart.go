package testcluster

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// RestartAPIServer stops kube-apiserver, keeps it down for downtime, and starts it again
// with the same flags, so on the same etcd, port and certificates: what clients see during
// a control-plane upgrade. It returns once the server is ready again.
func (c *Cluster) RestartAPIServer(ctx context.Context, downtime time.Duration) error {
	i := -1
	for j, p := range c.procs {
		if filepath.Base(p.Path) == "kube-apiserver" {
			i = j
		}
	}
	if i < 0 {
		return fmt.Errorf("testcluster: no kube-apiserver process")
	}
	old := c.procs[i]
	_ = syscall.Kill(-old.Process.Pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = old.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = syscall.Kill(-old.Process.Pid, syscall.SIGKILL)
		<-done
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(downtime):
	}
	logf, err := os.OpenFile(c.LogFile("kube-apiserver"), os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(old.Path, old.Args[1:]...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("restarting kube-apiserver: %w", err)
	}
	c.procs[i] = cmd
	return c.waitReady(ctx)
}
