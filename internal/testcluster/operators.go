package testcluster

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
)

// Operator names a runtime operator that Start can run as a local process.
type Operator string

// The operators, at the versions the provider pins (scripts/operators-build.sh builds them).
const (
	// OperatorDynamo is the NVIDIA Dynamo operator 1.4.0 (component Deployments, no Grove/LWS),
	// with its admission and CRD conversion webhooks on loopback.
	OperatorDynamo Operator = "dynamo"
	// OperatorKubeRay is the KubeRay operator, v1.7.0 unless Options.KubeRayVersion selects
	// v1.6.2.
	OperatorKubeRay Operator = "kuberay"
	// OperatorKAITO is the KAITO 0.12.0 workspace controller (--node-provisioner=byo) with its
	// admission webhook on loopback.
	OperatorKAITO Operator = "kaito"
)

// AllOperators lists every operator, for Options.Operators.
var AllOperators = []Operator{OperatorDynamo, OperatorKubeRay, OperatorKAITO}

// LogName is the name of the operator's log under the cluster's logs/ (see Cluster.LogFile).
func (o Operator) LogName() string {
	switch o {
	case OperatorDynamo:
		return "dynamo-operator"
	case OperatorKubeRay:
		return "kuberay-operator"
	default:
		return "kaito-workspace"
	}
}

// Namespaces the operators run "in" (their Secrets, ConfigMaps and leases live there).
const (
	DynamoSystemNamespace = "dynamo-system"
	KAITOSystemNamespace  = "kaito-system"
)

// OperatorBinDir returns the directory holding kwok and the operator binaries, with the
// extracted operator sources under src/: $KUBEFOUNDRY_OPERATORS_BIN if set, else the cache
// filled by scripts/operators-build.sh (built on first use; safe to call concurrently).
// It builds every operator; OperatorBinDirFor builds only what a cluster runs.
func OperatorBinDir() (string, error) { return OperatorBinDirFor(AllOperators...) }

// OperatorBinDirFor is OperatorBinDir building only kwok and the given operators (the others
// may be missing from the directory): a test of one runtime does not wait for the others'
// builds, and the first test that needs KubeRay or KAITO builds it.
func OperatorBinDirFor(ops ...Operator) (string, error) {
	if d := os.Getenv("KUBEFOUNDRY_OPERATORS_BIN"); d != "" {
		return d, nil
	}
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	args := []string{filepath.Join(root, "scripts", "operators-build.sh"), "kwok"}
	for _, o := range ops {
		args = append(args, string(o)) // the script's part names are the Operator values
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("bash", args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building kwok and the operators %v: %w\n%s", ops, err, tail(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// operatorCRDDirs are the current-release CRDs a cluster with real operators installs instead
// of the previous pins (a group's CRD can exist only once per API server), by operator.
func operatorCRDDirs(opbin, kubeRayVersion string) (map[Operator][]string, error) {
	shared, err := CRDDir()
	if err != nil {
		return nil, err
	}
	return map[Operator][]string{
		// Dynamo 1.4.0: every CRD the operator watches, as the operator ships them.
		OperatorDynamo:  {filepath.Join(opbin, "src", "dynamo", "deploy", "operator", "config", "crd", "bases")},
		OperatorKubeRay: {filepath.Join(shared, "kuberay-"+kubeRayVersion)},
		OperatorKAITO: {
			filepath.Join(shared, "kaito-0.12.0"),
			// KAITO's chart installs NodeClaim (watched even with --node-provisioner=byo).
			filepath.Join(opbin, "src", "kaito", "charts", "kaito", "workspace", "crds"),
		},
	}, nil
}

// startOperators installs the current-release CRDs of every runtime and starts the operators,
// each as soon as its own CRDs are established (the large CRDs dominate startup), and waits
// until each is ready.
func (c *Cluster) startOperators(ctx context.Context, ops []Operator) error {
	cert, err := newWebhookCert()
	if err != nil {
		return err
	}
	c.webhookCert = cert
	dirs, err := operatorCRDDirs(c.OperatorBin, c.kubeRayVersion)
	if err != nil {
		return err
	}
	want := map[Operator]bool{}
	for _, o := range ops {
		want[o] = true
	}
	return parallel(len(AllOperators), func(i int) error {
		op := AllOperators[i]
		for _, d := range dirs[op] {
			if err := InstallCRDs(ctx, c.RESTConfig, d); err != nil {
				return err
			}
		}
		if !want[op] {
			return nil
		}
		start := time.Now()
		var err error
		switch op {
		case OperatorDynamo:
			err = c.startDynamo(ctx)
		case OperatorKubeRay:
			err = c.startKubeRay(ctx)
		case OperatorKAITO:
			err = c.startKAITO(ctx)
		}
		if err != nil {
			return fmt.Errorf("%s: %w\n%s", op, err, c.LogTail(op.LogName(), 30))
		}
		c.mu.Lock()
		c.operatorStartup[op] = time.Since(start)
		c.mu.Unlock()
		return nil
	})
}

// OperatorStartup reports how long each operator took from launch to ready.
func (c *Cluster) OperatorStartup() map[Operator]time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[Operator]time.Duration{}
	for k, v := range c.operatorStartup {
		out[k] = v
	}
	return out
}

// LogTail returns the last n lines of a component's log ("kwok", "kube-scheduler",
// Operator.LogName(), ...).
func (c *Cluster) LogTail(name string, n int) string {
	raw, err := os.ReadFile(c.LogFile(name))
	if err != nil {
		return fmt.Sprintf("(no log %s: %v)", name, err)
	}
	lines := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// LogOnFailure prints the tail of the named logs (default: every running operator, kwok and
// kube-scheduler) when the test fails.
func (c *Cluster) LogOnFailure(t testing.TB, names ...string) {
	t.Helper()
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		if len(names) == 0 {
			for _, o := range c.operators {
				names = append(names, o.LogName())
			}
			if c.lws {
				names = append(names, LWSLogName)
			}
			if c.kserve {
				names = append(names, KServeLogName)
			}
			if c.kwok {
				names = append(names, "kwok", "kube-scheduler")
			}
		}
		for _, n := range names {
			t.Logf("---- last lines of %s (%s) ----\n%s", n, c.LogFile(n), c.LogTail(n, 40))
		}
	})
}

// Events returns the events recorded about one object, oldest first.
func (c *Cluster) Events(ctx context.Context, namespace, kind, name string) ([]corev1.Event, error) {
	list, err := c.Clientset.CoreV1().Events(namespace).List(ctx, metav1.ListOptions{
		FieldSelector: "involvedObject.kind=" + kind + ",involvedObject.name=" + name,
	})
	if err != nil {
		return nil, err
	}
	return list.Items, nil
}

// WaitForEvent polls until an event with the reason (and, if set, a message containing
// substr) is recorded about the object, and returns it.
func (c *Cluster) WaitForEvent(ctx context.Context, namespace, kind, name, reason, substr string, timeout time.Duration) (*corev1.Event, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var seen []string
	for {
		evs, err := c.Events(ctx, namespace, kind, name)
		if err == nil {
			seen = seen[:0]
			for i := range evs {
				e := &evs[i]
				seen = append(seen, e.Reason+": "+e.Message)
				if e.Reason == reason && strings.Contains(e.Message, substr) {
					return e, nil
				}
			}
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("no %s event about %s %s/%s within %s; events: %q", reason, kind, namespace, name, timeout, seen)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// WaitFor polls a custom resource until cond holds and returns the last object read.
func (c *Cluster) WaitFor(ctx context.Context, gvr schema.GroupVersionResource, namespace, name string, timeout time.Duration,
	cond func(*unstructured.Unstructured) bool) (*unstructured.Unstructured, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var last *unstructured.Unstructured
	for {
		obj, err := c.Dynamic.Resource(gvr).Namespace(namespace).Get(ctx, name, metav1.GetOptions{})
		if err == nil {
			last = obj
			if cond(obj) {
				return obj, nil
			}
		}
		select {
		case <-ctx.Done():
			status := "not found"
			if last != nil {
				status = fmt.Sprintf("%v", last.Object["status"])
			}
			return last, fmt.Errorf("%s %s/%s: condition not met within %s; status: %s", gvr.Resource, namespace, name, timeout, status)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func (c *Cluster) ensureNamespace(ctx context.Context, name string) error {
	_, err := c.Clientset.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	return err
}

// applyUnstructured creates obj, or replaces an existing one.
func (c *Cluster) applyUnstructured(ctx context.Context, gvr schema.GroupVersionResource, obj *unstructured.Unstructured) error {
	ri := c.Dynamic.Resource(gvr)
	var res dynamic.ResourceInterface = ri
	if ns := obj.GetNamespace(); ns != "" {
		res = ri.Namespace(ns)
	}
	_, err := res.Create(ctx, obj, metav1.CreateOptions{})
	if !apierrors.IsAlreadyExists(err) {
		return err
	}
	cur, err := res.Get(ctx, obj.GetName(), metav1.GetOptions{})
	if err != nil {
		return err
	}
	obj.SetResourceVersion(cur.GetResourceVersion())
	_, err = res.Update(ctx, obj, metav1.UpdateOptions{})
	return err
}

// httpOK probes url once: nil when it answers 200.
func httpOK(url string) func(context.Context) error {
	client := &http.Client{Timeout: 2 * time.Second}
	return func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s answered %s", url, resp.Status)
		}
		return nil
	}
}

// tlsOK probes once whether a TLS server on addr presents a certificate the CA verifies for
// 127.0.0.1, which is what the API server checks before calling a webhook.
func tlsOK(addr string, ca []byte) func(context.Context) error {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	return func(ctx context.Context) error {
		d := tls.Dialer{NetDialer: &net.Dialer{Timeout: 2 * time.Second}, Config: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}}
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		return conn.Close()
	}
}

func loopback(port int) string { return "127.0.0.1:" + strconv.Itoa(port) }

// parallel runs f(0..n-1) concurrently and joins their errors.
func parallel(n int, f func(int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = f(i) }()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// startupSummary names what runs besides the control plane, with each operator's startup time.
func (c *Cluster) startupSummary() string {
	if !c.kwok {
		return ""
	}
	s := " (kube-scheduler, kwok"
	startup := c.OperatorStartup()
	for _, o := range c.operators {
		s += fmt.Sprintf(", %s operator ready in %s", o, startup[o].Round(time.Millisecond))
	}
	if len(c.phases) > 0 {
		s += "; " + strings.Join(c.phases, ", ")
	}
	return s + ")"
}
