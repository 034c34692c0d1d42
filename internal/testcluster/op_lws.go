package testcluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"k8s.io/client-go/rest"
)

// LWSLogName is the LeaderWorkerSet controller's log under the cluster's logs/.
const LWSLogName = "lws-controller"

// LWSSystemNamespace is the namespace the LeaderWorkerSet chart's webhook registrations name.
const LWSSystemNamespace = "lws-system"

// LWSDir returns the directory scripts/lws-build.sh fills from the sigs.k8s.io/lws v0.9.0
// module: lws-controller, crds/ and chart/ ($KUBEFOUNDRY_LWS_DIR if set). crdsOnly skips the
// controller build (a module download only), for tests that need just the CRDs.
func LWSDir(crdsOnly bool) (string, error) {
	return scriptDir("KUBEFOUNDRY_LWS_DIR", "the LeaderWorkerSet controller", "lws-build.sh", crdsOnlyArg(crdsOnly)...)
}

// crdsOnlyArg is the build scripts' argument that stops after the CRDs (a module download).
func crdsOnlyArg(crdsOnly bool) []string {
	if crdsOnly {
		return []string{"crds"}
	}
	return nil
}

// InstallLWSCRDs installs the LeaderWorkerSet (and DisaggregatedSet) CRDs of sigs.k8s.io/lws
// v0.9.0, as its chart ships them, and waits until they are Established.
func InstallLWSCRDs(ctx context.Context, cfg *rest.Config) error {
	dir, err := LWSDir(true)
	if err != nil {
		return err
	}
	return InstallCRDs(ctx, cfg, filepath.Join(dir, "crds"))
}

// startLWS runs the LeaderWorkerSet controller v0.9.0 (sigs.k8s.io/lws cmd/main.go) as its
// chart configures it (templates/manager/configmap.yaml), except: no leader election, no
// internal certificate rotation (it would write a Secret for a Service nobody reaches), and
// its webhooks on https://127.0.0.1:<port> with the test CA. The pod webhook matters: it
// gives every group pod LWS_LEADER_ADDRESS, LWS_GROUP_SIZE and the group labels the
// controller creates the worker StatefulSets from. The webhook registrations come from the
// module's chart (templates/webhook/webhook.yaml), pointed at loopback.
func (c *Cluster) startLWS(ctx context.Context) error {
	dir, err := LWSDir(false)
	if err != nil {
		return err
	}
	if err := InstallCRDs(ctx, c.RESTConfig, filepath.Join(dir, "crds")); err != nil {
		return err
	}
	if c.webhookCert == nil {
		if c.webhookCert, err = newWebhookCert(); err != nil {
			return err
		}
	}
	ports, err := freePorts(2)
	if err != nil {
		return err
	}
	webhookPort, healthPort := ports[0], ports[1]
	certDir := filepath.Join(c.Dir, "lws-certs")
	if err := os.MkdirAll(certDir, 0o700); err != nil {
		return err
	}
	// controller-runtime's webhook server reads tls.crt and tls.key from certDir.
	for name, data := range map[string][]byte{"tls.crt": c.webhookCert.Cert, "tls.key": c.webhookCert.Key} {
		if err := os.WriteFile(filepath.Join(certDir, name), data, 0o600); err != nil {
			return err
		}
	}
	config := fmt.Sprintf(`apiVersion: config.lws.x-k8s.io/v1alpha1
kind: Configuration
leaderElection:
  leaderElect: false
internalCertManagement:
  enable: false
webhook:
  host: 127.0.0.1
  port: %d
  certDir: %s
health:
  healthProbeBindAddress: %s
metrics:
  bindAddress: "0"
`, webhookPort, certDir, loopback(healthPort))
	configFile := filepath.Join(c.Dir, "lws-config.yaml")
	if err := os.WriteFile(configFile, []byte(config), 0o600); err != nil {
		return err
	}
	if err := c.ensureNamespace(ctx, LWSSystemNamespace); err != nil {
		return err
	}
	objs, err := renderChart(filepath.Join(dir, "chart"), "lws", LWSSystemNamespace, nil, "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")
	if err != nil {
		return err
	}
	if len(objs) != 2 {
		return fmt.Errorf("the LeaderWorkerSet chart rendered %d webhook configurations, want 2", len(objs))
	}
	for _, o := range objs {
		if err := urlClientConfig(o, "https://"+loopback(webhookPort), c.webhookCert.CA); err != nil {
			return err
		}
		gvr := vwcGVR
		if o.GetKind() == "MutatingWebhookConfiguration" {
			gvr = mwcGVR
		}
		if err := c.applyUnstructured(ctx, gvr, o); err != nil {
			return fmt.Errorf("%s %s: %w", o.GetKind(), o.GetName(), err)
		}
	}
	if err := c.runEnv([]string{"KUBECONFIG=" + c.Kubeconfig}, filepath.Join(dir, "lws-controller"), LWSLogName,
		"--config="+configFile, "--zap-log-level=2"); err != nil {
		return err
	}
	if err := c.waitUntil(ctx, LWSLogName, "readiness probe", 120*time.Second, httpOK("http://"+loopback(healthPort)+"/readyz")); err != nil {
		return fmt.Errorf("%w\n%s", err, c.LogTail(LWSLogName, 30))
	}
	return c.waitUntil(ctx, LWSLogName, "webhook serving", 120*time.Second, tlsOK(loopback(webhookPort), c.webhookCert.CA))
}
