package testcluster

import (
	"context"
	"encoding/base64"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var (
	configMapGVR   = schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
	secretGVR      = schema.GroupVersionResource{Version: "v1", Resource: "secrets"}
	vwcGVR         = schema.GroupVersionResource{Group: "admissionregistration.k8s.io", Version: "v1", Resource: "validatingwebhookconfigurations"}
	mwcGVR         = schema.GroupVersionResource{Group: "admissionregistration.k8s.io", Version: "v1", Resource: "mutatingwebhookconfigurations"}
	clusterRoleGVR = schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterroles"}
)

// startKAITO runs the KAITO 0.12.0 workspace controller as its chart starts it
// (charts/kaito/workspace/templates/deployment.yaml: flags and env), with
// --node-provisioner=byo so the kwok nodes count, and its admission webhook on loopback.
// The chart's ConfigMaps (inference-params-template, ...) and webhook registration come from
// rendering the chart of the archive; the registration points at https://127.0.0.1:<port>.
func (c *Cluster) startKAITO(ctx context.Context) error {
	ns := KAITOSystemNamespace
	if err := c.ensureNamespace(ctx, ns); err != nil {
		return err
	}
	ports, err := freePorts(5)
	if err != nil {
		return err
	}
	webhookPort := ports[0]
	chart := filepath.Join(c.OperatorBin, "src", "kaito", "charts", "kaito", "workspace")
	objs, err := renderChart(chart, "kaito-workspace", ns, nil, "ConfigMap", "Secret", "ValidatingWebhookConfiguration")
	if err != nil {
		return err
	}
	registered := false
	for _, o := range objs {
		o.SetNamespace(ns)
		switch {
		case o.GetKind() == "ConfigMap":
			if err := c.applyUnstructured(ctx, configMapGVR, o); err != nil {
				return fmt.Errorf("ConfigMap %s: %w", o.GetName(), err)
			}
		case o.GetKind() == "Secret" && o.GetName() == "workspace-webhook-cert":
			// knative's certificates controller keeps a valid certificate it finds
			// (knative.dev/pkg webhook/certificates): ours names 127.0.0.1.
			o.Object["data"] = map[string]any{
				"server-key.pem":  b64(c.webhookCert.Key),
				"server-cert.pem": b64(c.webhookCert.Cert),
				"ca-cert.pem":     b64(c.webhookCert.CA),
			}
			if err := c.applyUnstructured(ctx, secretGVR, o); err != nil {
				return fmt.Errorf("secret %s: %w", o.GetName(), err)
			}
		case o.GetKind() == "ValidatingWebhookConfiguration":
			// knative serves validation.<kind>.kaito.sh at /validate/<kind>.kaito.sh
			// (pkg/workspace/webhooks/webhooks.go). Its reconciler wants a service reference and
			// logs "missing service reference" for these URL registrations; it then leaves them
			// alone, which is what we need.
			o.SetNamespace("")
			path := "/validate/" + strings.TrimPrefix(o.GetName(), "validation.")
			if err := urlClientConfig(o, "https://"+loopback(webhookPort)+path, c.webhookCert.CA); err != nil {
				return err
			}
			if err := c.applyUnstructured(ctx, vwcGVR, o); err != nil {
				return fmt.Errorf("ValidatingWebhookConfiguration %s: %w", o.GetName(), err)
			}
			registered = registered || o.GetName() == "validation.workspace.kaito.sh"
		}
	}
	if !registered {
		return fmt.Errorf("the KAITO chart in %s rendered no validation.workspace.kaito.sh webhook", chart)
	}
	env := []string{
		"KUBECONFIG=" + c.Kubeconfig,
		// Required at startup; only SKU lookups use it (../shared/operators/README.md).
		"CLOUD_PROVIDER=azure",
		"SYSTEM_NAMESPACE=" + ns,
		"WEBHOOK_SERVICE=kaito-workspace",
		"WEBHOOK_PORT=" + strconv.Itoa(webhookPort),
		"CONFIG_LOGGING_NAME=kaito-logging-config",
		"PRESET_REGISTRY_NAME=mcr.microsoft.com/aks/kaito",
		"CLUSTER_NAME=kaito",
		// knative's sharedmain serves profiling (8008) and metrics (9090) by default; clusters of
		// parallel test binaries must not collide.
		"PROFILING_PORT=" + strconv.Itoa(ports[1]),
		"METRICS_PROMETHEUS_PORT=" + strconv.Itoa(ports[2]),
	}
	if err := c.runEnv(env, filepath.Join(c.OperatorBin, "kaito-workspace"), OperatorKAITO.LogName(),
		"--feature-gates=vLLM=true,disableNodeAutoProvisioning=true,gatewayAPIInferenceExtension=false",
		"--node-provisioner=byo",
		"--metrics-bind-address="+loopback(ports[3]),
		"--health-probe-bind-address="+loopback(ports[4]),
		"--leader-elect=false",
	); err != nil {
		return err
	}
	name := OperatorKAITO.LogName()
	if err := c.waitUntil(ctx, name, "readiness probe", 120*time.Second, httpOK("http://"+loopback(ports[4])+"/readyz")); err != nil {
		return err
	}
	return c.waitUntil(ctx, name, "webhook serving", 120*time.Second, tlsOK(loopback(webhookPort), c.webhookCert.CA))
}

// urlClientConfig points every webhook of a rendered webhook configuration at url (+ the
// path of its service reference, if any) with the CA: the API server reaches a process on
// loopback only through clientConfig.url.
func urlClientConfig(o *unstructured.Unstructured, url string, ca []byte) error {
	hooks, ok, err := unstructured.NestedSlice(o.Object, "webhooks")
	if err != nil || !ok {
		return fmt.Errorf("%s %s has no webhooks: %v", o.GetKind(), o.GetName(), err)
	}
	for i, h := range hooks {
		hm := h.(map[string]any)
		cc, _ := hm["clientConfig"].(map[string]any)
		path := ""
		if svc, ok := cc["service"].(map[string]any); ok {
			path, _ = svc["path"].(string)
		}
		hm["clientConfig"] = map[string]any{"url": url + path, "caBundle": b64(ca)}
		hooks[i] = hm
	}
	o.Object["webhooks"] = hooks
	return nil
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
