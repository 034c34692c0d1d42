// Package buildkittest runs a throwaway buildkitd for tests.
//
// The daemon is built from the Go module proxy by scripts/buildkitd-build.sh (cached), runs as
// root with the OCI worker on the native snapshotter, and needs no runc: the builds under test
// have no exec steps, so the worker's runtime binary is a stub that refuses to run anything.
package buildkittest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/moby/buildkit/client"
)

// Daemon is a running buildkitd.
type Daemon struct {
	Address string // unix:// socket address
	dir     string
	cmd     *exec.Cmd
	exited  chan struct{}
	log     string
}

// Binary builds (or finds in the cache) buildkitd and returns its path.
func Binary(ctx context.Context) (string, error) {
	if p := os.Getenv("KUBEFOUNDRY_BUILDKITD"); p != "" {
		return p, nil
	}
	script, err := findScript()
	if err != nil {
		return "", err
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "bash", script)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s: %w\n%s", script, err, tail(stderr.String(), 4000))
	}
	return strings.TrimSpace(string(out)), nil
}

func findScript() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, "scripts", "buildkitd-build.sh")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("scripts/buildkitd-build.sh not found above the working directory")
		}
		dir = parent
	}
}

// Start builds and starts buildkitd and waits until it answers. Close stops it.
func Start(ctx context.Context) (*Daemon, error) {
	if os.Geteuid() != 0 {
		return nil, errors.New("buildkittest: buildkitd needs root (run the tests as root, as .ci/run does)")
	}
	bin, err := Binary(ctx)
	if err != nil {
		return nil, err
	}
	// A short path: unix socket paths are limited to 108 bytes.
	dir, err := os.MkdirTemp("", "bk")
	if err != nil {
		return nil, err
	}
	d := &Daemon{dir: dir, Address: "unix://" + filepath.Join(dir, "buildkitd.sock"), exited: make(chan struct{}), log: filepath.Join(dir, "buildkitd.log")}
	if err := d.start(ctx, bin); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func (d *Daemon) start(ctx context.Context, bin string) error {
	stub := filepath.Join(d.dir, "no-runc")
	if err := os.WriteFile(stub, []byte("#!/bin/sh\necho 'buildkittest: exec steps are not supported' >&2\nexit 1\n"), 0o755); err != nil {
		return err
	}
	config := fmt.Sprintf(`root = %q
[grpc]
  address = [%q]
[worker.oci]
  enabled = true
  snapshotter = "native"
  binary = %q
  gc = false
[worker.containerd]
  enabled = false
`, filepath.Join(d.dir, "root"), d.Address, stub)
	cfgPath := filepath.Join(d.dir, "buildkitd.toml")
	if err := os.WriteFile(cfgPath, []byte(config), 0o644); err != nil {
		return err
	}
	logf, err := os.Create(d.log)
	if err != nil {
		return err
	}
	defer logf.Close()
	d.cmd = exec.Command(bin, "--config", cfgPath)
	d.cmd.Stdout, d.cmd.Stderr = logf, logf
	// Own process group so Close can signal everything it started; Pdeathsig so a
	// crashed or timed-out test binary does not leave the daemon behind.
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := d.cmd.Start(); err != nil {
		return err
	}
	go func() { _ = d.cmd.Wait(); close(d.exited) }()

	deadline := time.Now().Add(60 * time.Second)
	for {
		if err := d.ping(ctx); err == nil {
			return nil
		} else if time.Now().After(deadline) {
			return fmt.Errorf("buildkitd did not become ready: %w\n%s", err, d.Logs())
		}
		select {
		case <-d.exited:
			return fmt.Errorf("buildkitd exited: %s\n%s", d.cmd.ProcessState, d.Logs())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (d *Daemon) ping(ctx context.Context) error {
	if _, err := os.Stat(strings.TrimPrefix(d.Address, "unix://")); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	c, err := client.New(ctx, d.Address)
	if err != nil {
		return err
	}
	defer c.Close()
	ws, err := c.ListWorkers(ctx)
	if err != nil {
		return err
	}
	if len(ws) == 0 {
		return errors.New("no workers")
	}
	return nil
}

// Logs returns the end of the daemon's log.
func (d *Daemon) Logs() string {
	b, _ := os.ReadFile(d.log)
	return tail(string(b), 4000)
}

// Close stops the daemon (SIGTERM, then SIGKILL after 10s) and removes its state.
func (d *Daemon) Close() error {
	if d.cmd != nil && d.cmd.Process != nil {
		pgid := -d.cmd.Process.Pid
		_ = syscall.Kill(pgid, syscall.SIGTERM)
		select {
		case <-d.exited:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(pgid, syscall.SIGKILL)
			<-d.exited
		}
	}
	return os.RemoveAll(d.dir)
}

// Run starts a daemon for one test and stops it when the test ends. It never skips:
// a missing daemon is a test failure.
func Run(tb testing.TB) *Daemon {
	tb.Helper()
	d, err := Start(tb.Context())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := d.Close(); err != nil {
			tb.Errorf("stopping buildkitd: %v", err)
		}
	})
	return d
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// Pid is the daemon's process id.
func (d *Daemon) Pid() int { return d.cmd.Process.Pid }
