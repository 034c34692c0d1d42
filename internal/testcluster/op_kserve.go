package testcluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	apiextensions "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"
)

// KServeLogName is the KServe LLMInferenceService controller's log under the cluster's logs/.
const KServeLogName = "llmisvc-controller"

// KServeNamespace is the namespace the KServe controller reads its inferenceservice-config
// ConfigMap and preset LLMInferenceServiceConfigs from (its POD_NAMESPACE; default "kserve").
const KServeNamespace = "kserve"

var (
	llmisvcConfigGVR = schema.GroupVersionResource{Group: "serving.kserve.io", Version: "v1alpha2", Resource: "llminferenceserviceconfigs"}
)

// KServeDir returns the directory scripts/kserve-build.sh fills from the
// github.com/kserve/kserve v0.19.0 module: llmisvc-controller, crds/ and charts/
// ($KUBEFOUNDRY_KSERVE_DIR if set). crdsOnly skips the controller build (a module download).
func KServeDir(crdsOnly bool) (string, error) {
	return scriptDir("KUBEFOUNDRY_KSERVE_DIR", "the KServe LLMInferenceService controller", "kserve-build.sh", crdsOnlyArg(crdsOnly)...)
}

// InstallKServeCRDs installs the LLMInferenceService and LLMInferenceServiceConfig CRDs of
// KServe v0.19.0 (config/crd/full/llmisvc: v1alpha1 and v1alpha2, v1alpha2 stored; without
// the conversion webhook patch, so the versions convert with strategy None).
func InstallKServeCRDs(ctx context.Context, cfg *rest.Config) error {
	dir, err := KServeDir(true)
	if err != nil {
		return err
	}
	return installLargeCRDs(ctx, cfg, filepath.Join(dir, "crds"))
}

// installLargeCRDs is InstallCRDs with a longer wait for Established: KServe's CRDs are
// 2.2 MB each (full pod templates in v1alpha1 and v1alpha2), and on a loaded machine the
// API server takes longer than CreateCRD's minute to publish their schemas.
func installLargeCRDs(ctx context.Context, cfg *rest.Config, dir string) error {
	crds, err := ReadCRDs(dir)
	if err != nil {
		return err
	}
	cs, err := apiextensions.NewForConfig(cfg)
	if err != nil {
		return err
	}
	for _, crd := range crds {
		if _, err := cs.ApiextensionsV1().CustomResourceDefinitions().Create(ctx, crd, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("creating CRD %s: %w", crd.Name, err)
		}
	}
	for _, crd := range crds {
		if err := waitEstablished(ctx, cs, crd.Name, time.Second, 10*time.Minute); err != nil {
			return err
		}
	}
	return nil
}

// startKServe runs KServe's LLMInferenceService controller v0.19.0 (cmd/llmisvc) as its
// chart configures it, except: no leader election, metrics off, and its webhooks
// (validation and defaulting of LLMInferenceService, validation of the configs) on
// https://127.0.0.1:<port> with the test CA. Its inferenceservice-config ConfigMap comes
// from the kserve-llmisvc-resources chart and its presets (kserve-config-llm-*) from the
// kserve-runtime-configs chart, both in namespace kserve, applied before it starts.
func (c *Cluster) startKServe(ctx context.Context) error {
	dir, err := KServeDir(false)
	if err != nil {
		return err
	}
	if err := installLargeCRDs(ctx, c.RESTConfig, filepath.Join(dir, "crds")); err != nil {
		return err
	}
	if c.webhookCert == nil {
		if c.webhookCert, err = newWebhookCert(); err != nil {
			return err
		}
	}
	if err := c.ensureNamespace(ctx, KServeNamespace); err != nil {
		return err
	}
	charts := filepath.Join(dir, "charts")
	cms, err := renderChart(filepath.Join(charts, "kserve-llmisvc-resources"), "kserve-llmisvc-resources", KServeNamespace, nil, "ConfigMap")
	if err != nil {
		return err
	}
	presets, err := renderChart(filepath.Join(charts, "kserve-runtime-configs"), "kserve-runtime-configs", KServeNamespace,
		map[string]any{"kserve": map[string]any{"llmisvcConfigs": map[string]any{"enabled": true}}}, "LLMInferenceServiceConfig")
	if err != nil {
		return err
	}
	if len(presets) == 0 {
		return fmt.Errorf("the kserve-runtime-configs chart rendered no LLMInferenceServiceConfig")
	}
	for _, o := range cms {
		o.SetNamespace(KServeNamespace)
		if err := c.applyUnstructured(ctx, configMapGVR, o); err != nil {
			return fmt.Errorf("ConfigMap %s: %w", o.GetName(), err)
		}
	}
	for _, o := range presets {
		o.SetNamespace(KServeNamespace)
		if err := c.applyUnstructured(ctx, llmisvcConfigGVR, o); err != nil {
			return fmt.Errorf("LLMInferenceServiceConfig %s: %w", o.GetName(), err)
		}
	}
	ports, err := freePorts(2)
	if err != nil {
		return err
	}
	webhookPort, healthPort := ports[0], ports[1]
	// controller-runtime's webhook server reads tls.crt and tls.key from
	// $TMPDIR/k8s-webhook-server/serving-certs; cmd/llmisvc has no flag for it.
	tmp := filepath.Join(c.Dir, "llmisvc-tmp")
	certDir := filepath.Join(tmp, "k8s-webhook-server", "serving-certs")
	if err := os.MkdirAll(certDir, 0o700); err != nil {
		return err
	}
	for name, data := range map[string][]byte{"tls.crt": c.webhookCert.Cert, "tls.key": c.webhookCert.Key} {
		if err := os.WriteFile(filepath.Join(certDir, name), data, 0o600); err != nil {
			return err
		}
	}
	objs, err := renderChart(filepath.Join(charts, "kserve-llmisvc-resources"), "kserve-llmisvc-resources", KServeNamespace, nil,
		"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")
	if err != nil {
		return err
	}
	if len(objs) == 0 {
		return fmt.Errorf("the kserve-llmisvc-resources chart rendered no webhook configuration")
	}
	if err := c.runEnv([]string{"KUBECONFIG=" + c.Kubeconfig, "POD_NAMESPACE=" + KServeNamespace, "TMPDIR=" + tmp},
		filepath.Join(dir, "llmisvc-controller"), KServeLogName,
		fmt.Sprintf("--webhook-port=%d", webhookPort), "--health-probe-addr="+loopback(healthPort),
		"--metrics-addr=0", "--leader-elect=false", "--zap-log-level=info"); err != nil {
		return err
	}
	if err := c.waitUntil(ctx, KServeLogName, "readiness probe", 180*time.Second, httpOK("http://"+loopback(healthPort)+"/readyz")); err != nil {
		return fmt.Errorf("%w\n%s", err, c.LogTail(KServeLogName, 30))
	}
	if err := c.waitUntil(ctx, KServeLogName, "webhook serving", 120*time.Second, tlsOK(loopback(webhookPort), c.webhookCert.CA)); err != nil {
		return err
	}
	// Registered once the server answers: the presets above went in without them.
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
	return nil
}
