package testcluster

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextensions "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/yaml"
)

// dynamoConvertibleCRDs are the CRDs whose v1alpha1 <-> v1beta1 conversion the operator
// serves at /convert (ai-dynamo/dynamo deploy/operator/internal/cert/cert.go, convertibleCRDs).
var dynamoConvertibleCRDs = []string{
	"dynamographdeploymentrequests.nvidia.com",
	"dynamographdeployments.nvidia.com",
	"dynamocomponentdeployments.nvidia.com",
	"dynamographdeploymentscalingadapters.nvidia.com",
}

// The webhook service the shipped CRDs name (deploy/operator/config/crd/bases).
const dynamoWebhookService = "dynamo-operator-webhook-service"

// startDynamo runs the Dynamo operator 1.4.0 cluster-wide in the mode without Grove or LWS
// (each component a Deployment), configured by the OperatorConfiguration its platform chart
// renders (components/operator/templates/operator-config.yaml) with loopback servers, manual
// certificates (Secret webhook-server-cert) and leader election off. Its admission webhooks
// are the chart's, pointed at https://127.0.0.1:<port>; its CRD conversion webhook too, so
// v1alpha1 objects convert.
func (c *Cluster) startDynamo(ctx context.Context) error {
	ns := DynamoSystemNamespace
	if err := c.ensureNamespace(ctx, ns); err != nil {
		return err
	}
	ports, err := freePorts(3)
	if err != nil {
		return err
	}
	metricsPort, probePort, webhookPort := ports[0], ports[1], ports[2]
	dir := filepath.Join(c.Dir, "operators", "dynamo")
	certDir := filepath.Join(dir, "certs")
	if err := os.MkdirAll(certDir, 0o700); err != nil {
		return err
	}
	// In manual mode the operator reads tls.crt/tls.key from certDir (a mounted Secret in a
	// pod) and ca.crt from the Secret itself to patch the conversion CA.
	for name, data := range map[string][]byte{"tls.crt": c.webhookCert.Cert, "tls.key": c.webhookCert.Key} {
		if err := os.WriteFile(filepath.Join(certDir, name), data, 0o600); err != nil {
			return err
		}
	}
	secret := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
		"metadata": map[string]any{"name": "webhook-server-cert", "namespace": ns},
		"data":     map[string]any{"tls.crt": b64(c.webhookCert.Cert), "tls.key": b64(c.webhookCert.Key), "ca.crt": b64(c.webhookCert.CA)},
	}}
	if err := c.applyUnstructured(ctx, secretGVR, secret); err != nil {
		return fmt.Errorf("secret webhook-server-cert: %w", err)
	}

	objs, err := c.renderDynamoChart()
	if err != nil {
		return err
	}
	var cfg map[string]any
	var hooks []*unstructured.Unstructured
	roles := map[string]*unstructured.Unstructured{}
	for _, o := range objs {
		switch o.GetKind() {
		case "ConfigMap":
			if raw, ok, _ := unstructured.NestedString(o.Object, "data", "config.yaml"); ok {
				cfg = map[string]any{}
				if err := yaml.Unmarshal([]byte(raw), &cfg); err != nil {
					return fmt.Errorf("operator config of the chart: %w", err)
				}
			}
		case "ClusterRole":
			roles[o.GetName()] = o
		default:
			hooks = append(hooks, o)
		}
	}
	if cfg == nil {
		return fmt.Errorf("the Dynamo platform chart rendered no operator config")
	}
	// The ClusterRoles the operator binds for planners, profiling jobs and EPPs must exist, or
	// it fails a DGD with "cluster role ... does not exist".
	rbac, _, _ := unstructured.NestedStringMap(cfg, "rbac")
	for _, name := range rbac {
		role, ok := roles[name]
		if !ok {
			return fmt.Errorf("the chart renders no ClusterRole %s", name)
		}
		if err := c.applyUnstructured(ctx, clusterRoleGVR, role); err != nil {
			return fmt.Errorf("ClusterRole %s: %w", name, err)
		}
	}
	set := func(v any, path ...string) { _ = unstructured.SetNestedField(cfg, v, path...) }
	set(map[string]any{"bindAddress": "127.0.0.1", "port": int64(metricsPort), "secure": false}, "server", "metrics")
	set(map[string]any{"bindAddress": "127.0.0.1", "port": int64(probePort)}, "server", "healthProbe")
	set("127.0.0.1", "server", "webhook", "host")
	set(int64(webhookPort), "server", "webhook", "port")
	set(certDir, "server", "webhook", "certDir")
	set(false, "leaderElection", "enabled")
	set(false, "orchestrators", "grove", "enabled")
	set(false, "orchestrators", "lws", "enabled")
	rawCfg, err := yaml.Marshal(cfg)
	if err != nil {
		return err
	}
	cfgPath := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfgPath, rawCfg, 0o600); err != nil {
		return err
	}

	crds, err := apiextensions.NewForConfig(c.RESTConfig)
	if err != nil {
		return err
	}
	// At startup the operator patches its CA into each conversion webhook and refuses to start
	// unless they name a service (as shipped): give it that form, then switch to the URL.
	if err := setDynamoConversion(ctx, crds, ""); err != nil {
		return err
	}
	if err := c.runDynamo(cfgPath); err != nil {
		return err
	}
	name := OperatorDynamo.LogName()
	if err := c.waitUntil(ctx, name, "CA injected into the conversion webhooks", 120*time.Second, conversionCAInjected(crds)); err != nil {
		return err
	}
	if err := setDynamoConversion(ctx, crds, "https://"+loopback(webhookPort)+"/convert"); err != nil {
		return err
	}
	if err := c.waitUntil(ctx, name, "readiness probe", 180*time.Second, httpOK("http://"+loopback(probePort)+"/readyz")); err != nil {
		return err
	}
	if err := c.waitUntil(ctx, name, "webhook serving", 60*time.Second, tlsOK(loopback(webhookPort), c.webhookCert.CA)); err != nil {
		return err
	}
	for _, h := range hooks {
		if err := urlClientConfig(h, "https://"+loopback(webhookPort), c.webhookCert.CA); err != nil {
			return err
		}
		gvr := vwcGVR
		if h.GetKind() == "MutatingWebhookConfiguration" {
			gvr = mwcGVR
		}
		if err := c.applyUnstructured(ctx, gvr, h); err != nil {
			return fmt.Errorf("%s %s: %w", h.GetKind(), h.GetName(), err)
		}
	}
	return nil
}

// renderDynamoChart renders the platform chart's operator component with the platform's
// values (as `helm install dynamo-platform` would) and an externally provided certificate.
func (c *Cluster) renderDynamoChart() ([]*unstructured.Unstructured, error) {
	platform := filepath.Join(c.OperatorBin, "src", "dynamo", "deploy", "helm", "charts", "platform")
	raw, err := os.ReadFile(filepath.Join(platform, "values.yaml"))
	if err != nil {
		return nil, err
	}
	pv := map[string]any{}
	if err := yaml.Unmarshal(raw, &pv); err != nil {
		return nil, err
	}
	vals, _ := pv["dynamo-operator"].(map[string]any)
	if vals == nil {
		return nil, fmt.Errorf("%s has no dynamo-operator values", platform)
	}
	vals["global"] = pv["global"]
	if err := unstructured.SetNestedField(vals, true, "webhook", "certificateSecret", "external"); err != nil {
		return nil, err
	}
	return renderChart(filepath.Join(platform, "components", "operator"), "dynamo-platform", DynamoSystemNamespace, vals,
		"ConfigMap", "ClusterRole", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration")
}

// runDynamo starts the operator in a private mount namespace where
// /var/run/secrets/kubernetes.io/serviceaccount/namespace names its namespace: it reads its
// namespace only from there (internal/cert/cert.go, namespaceFile). Nothing on the machine
// changes.
func (c *Cluster) runDynamo(cfgPath string) error {
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		return fmt.Errorf("the Dynamo operator needs unshare(1) (util-linux): %w", err)
	}
	run, err := filepath.EvalSymlinks("/var/run")
	if err != nil {
		run = "/var/run"
	}
	script := `mount -t tmpfs tmpfs "$RUNDIR" && mkdir -p /var/run/secrets/kubernetes.io/serviceaccount && ` +
		`echo "$OPNS" > /var/run/secrets/kubernetes.io/serviceaccount/namespace && exec "$@"`
	flags := []string{"-m", "--propagation", "private"}
	if os.Geteuid() != 0 {
		flags = append([]string{"-r"}, flags...)
	}
	kubeconfig, err := c.writeDynamoOperatorKubeconfig(filepath.Dir(cfgPath))
	if err != nil {
		return err
	}
	args := append(flags, "sh", "-c", script, "sh",
		filepath.Join(c.OperatorBin, "dynamo-operator"),
		"--config="+cfgPath, "--kubeconfig="+kubeconfig, "--operator-version=1.4.0")
	return c.runEnv([]string{"RUNDIR=" + run, "OPNS=" + DynamoSystemNamespace,
		"POD_SERVICE_ACCOUNT=" + dynamoOperatorSA, "POD_NAMESPACE=" + DynamoSystemNamespace}, unshare, OperatorDynamo.LogName(), args...)
}

// setDynamoConversion points the conversion webhooks at url (keeping the CA the operator
// injected, ours), or back at the shipped service reference without a CA when url is empty.
func setDynamoConversion(ctx context.Context, cs apiextensions.Interface, url string) error {
	for _, name := range dynamoConvertibleCRDs {
		err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
			crd, err := cs.ApiextensionsV1().CustomResourceDefinitions().Get(ctx, name, metav1.GetOptions{})
			if err != nil {
				return err
			}
			conv := crd.Spec.Conversion
			if conv == nil || conv.Webhook == nil || conv.Webhook.ClientConfig == nil {
				return fmt.Errorf("CRD %s has no conversion webhook", name)
			}
			cc := conv.Webhook.ClientConfig
			if url != "" {
				cc.URL, cc.Service = &url, nil
			} else {
				// The service form, as shipped, without a CA: the operator's injection at
				// startup is then observable (also after a restart).
				path := "/convert"
				svc := cc.Service
				if svc == nil {
					svc = &apiextensionsv1.ServiceReference{Namespace: DynamoSystemNamespace, Name: dynamoWebhookService, Path: &path}
				}
				if cc.URL == nil && len(cc.CABundle) == 0 {
					return nil
				}
				cc.URL, cc.Service, cc.CABundle = nil, svc, nil
			}
			_, err = cs.ApiextensionsV1().CustomResourceDefinitions().Update(ctx, crd, metav1.UpdateOptions{})
			return err
		})
		if err != nil {
			return fmt.Errorf("conversion webhook of %s: %w", name, err)
		}
	}
	return nil
}

// conversionCAInjected probes whether the operator has patched a CA into every conversion
// webhook.
func conversionCAInjected(cs apiextensions.Interface) func(context.Context) error {
	return func(ctx context.Context) error {
		for _, name := range dynamoConvertibleCRDs {
			crd, err := cs.ApiextensionsV1().CustomResourceDefinitions().Get(ctx, name, metav1.GetOptions{})
			if err != nil {
				return err
			}
			if cv := crd.Spec.Conversion; cv == nil || cv.Webhook == nil || cv.Webhook.ClientConfig == nil || len(cv.Webhook.ClientConfig.CABundle) == 0 {
				return fmt.Errorf("CRD %s has no conversion CA yet", name)
			}
		}
		return nil
	}
}
