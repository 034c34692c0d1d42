package testcluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// exited reports whether the named process has ended (it is gone or a zombie). It reads /proc
// rather than calling Wait, which Stop owns.
func (c *Cluster) exited(name string) bool {
	c.mu.Lock()
	cmd := c.byName[name]
	c.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return false
	}
	raw, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(cmd.Process.Pid), "stat"))
	if err != nil {
		return true
	}
	// pid (comm) state ...: comm may hold spaces, the state follows the last ')'.
	s := string(raw)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] == 'Z'
}

// waitUntil polls probe until it succeeds, failing early when the named process has exited.
func (c *Cluster) waitUntil(ctx context.Context, name, what string, timeout time.Duration, probe func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		err := probe(ctx)
		if err == nil {
			return nil
		}
		if c.exited(name) {
			return fmt.Errorf("%s exited before %s (log %s)", name, what, c.LogFile(name))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %s not within %s: %v", name, what, timeout, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// stopProcess ends one named process (its process group) and forgets it; its log is kept as
// <name>.<n>.log so a restarted process starts a fresh one.
func (c *Cluster) stopProcess(name string) error {
	c.mu.Lock()
	cmd := c.byName[name]
	delete(c.byName, name)
	for i, p := range c.procs {
		if p == cmd {
			c.procs = append(c.procs[:i], c.procs[i+1:]...)
			break
		}
	}
	c.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return fmt.Errorf("no process %s", name)
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
	for n := 1; ; n++ {
		old := filepath.Join(c.Dir, "logs", fmt.Sprintf("%s.%d.log", name, n))
		if _, err := os.Stat(old); os.IsNotExist(err) {
			return os.Rename(c.LogFile(name), old)
		}
	}
}

// RestartOperator stops one of the cluster's operators and starts it again (new ports, the
// same certificates), waiting until it is ready as Start does. The previous log is kept as
// <log name>.1.log (.2, ...). While it is down its webhooks fail closed, as on a real cluster.
func (c *Cluster) RestartOperator(ctx context.Context, op Operator) error {
	if err := c.stopProcess(op.LogName()); err != nil {
		return err
	}
	var err error
	switch op {
	case OperatorDynamo:
		err = c.startDynamo(ctx)
	case OperatorKubeRay:
		err = c.startKubeRay(ctx)
	case OperatorKAITO:
		err = c.startKAITO(ctx)
	default:
		err = fmt.Errorf("unknown operator %q", op)
	}
	if err != nil {
		return fmt.Errorf("restarting %s: %w\n%s", op, err, c.LogTail(op.LogName(), 30))
	}
	return nil
}
