package testcluster

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

var shared *Cluster

// Main starts one control plane for the whole test binary, runs the tests and stops it,
// whatever the tests' outcome. Use it from TestMain.
func Main(m *testing.M) {
	os.Exit(run(m, nil))
}

// MainWith is Main with a hook run once the control plane is ready; the function the
// hook returns runs after the tests.
func MainWith(m *testing.M, hook func(*Cluster) func()) {
	os.Exit(run(m, hook))
}

// MainWithOptions is MainWith for a cluster started with opts, e.g. with the real operators:
//
//	func TestMain(m *testing.M) {
//		testcluster.MainWithOptions(m, testcluster.Options{Operators: testcluster.AllOperators}, nil)
//	}
func MainWithOptions(m *testing.M, opts Options, hook func(*Cluster) func()) {
	os.Exit(runWith(m, opts, hook))
}

func run(m *testing.M, hook func(*Cluster) func()) int { return runWith(m, Options{}, hook) }

func runWith(m *testing.M, opts Options, hook func(*Cluster) func()) int {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	start := time.Now()
	c, err := Start(ctx, opts)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testcluster: %v\n", err)
		return 1
	}
	defer c.Stop()
	fmt.Fprintf(os.Stderr, "testcluster: control plane ready at %s in %s%s\n", c.Host, time.Since(start).Round(time.Millisecond), c.startupSummary())
	shared = c
	if hook != nil {
		if done := hook(c); done != nil {
			defer done()
		}
	}
	return m.Run()
}

// Get returns the binary's shared cluster.
func Get(t testing.TB) *Cluster {
	t.Helper()
	if shared == nil {
		t.Fatal("testcluster: no control plane; call testcluster.Main from TestMain")
	}
	return shared
}

var nsCounter atomic.Int64

// Namespace creates a fresh namespace named after the test and deletes it afterwards.
func (c *Cluster) Namespace(t testing.TB) string {
	t.Helper()
	name := dnsName(t.Name(), nsCounter.Add(1))
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if _, err := c.Clientset.CoreV1().Namespaces().Create(context.Background(), ns, metav1.CreateOptions{}); err != nil {
		t.Fatalf("creating namespace %s: %v", name, err)
	}
	if err := c.WaitForDefaultServiceAccount(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = c.Clientset.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{})
	})
	return name
}

// namespaceMaxLen keeps test namespaces short: Dynamo 1.4 labels every component
// nvidia.com/dynamo-namespace=<namespace>-<name> (at most 63 bytes), so a long namespace
// leaves no room for a graph name and the provider refuses the pair at plan.
const namespaceMaxLen = 32

// dnsName turns a test name into a DNS-1123 label of at most namespaceMaxLen characters that
// is unique within the binary.
func dnsName(testName string, n int64) string {
	var b strings.Builder
	for _, r := range strings.ToLower(testName) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteRune('-')
		}
	}
	s := strings.Trim(b.String(), "-")
	suffix := fmt.Sprintf("-%d", n)
	if len(s) > namespaceMaxLen-len(suffix) {
		s = strings.Trim(s[:namespaceMaxLen-len(suffix)], "-")
	}
	return s + suffix
}
