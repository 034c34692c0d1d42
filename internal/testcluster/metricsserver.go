package testcluster

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// MetricsServerLogName is metrics-server's log under the cluster's logs/.
const MetricsServerLogName = "metrics-server"

// kwokResourceMetricsPath is the node annotation metrics-server v0.8 reads to scrape a node's
// resource metrics somewhere other than the kubelet's /metrics/resource
// (sigs.k8s.io/metrics-server pkg/scraper/client/resource/client.go AnnotationResourceMetricsPath);
// kwok's Metric serves each node's at this path (kustomize/metrics/resource @ kwok v0.8.0,
// whose kwokctl node template sets the same annotation).
const kwokResourceMetricsPath = "metrics.k8s.io/resource-metrics-path"

// ClusterResourceUsageGVR is kwok's ClusterResourceUsage: the simulated CPU and memory use of
// the pods it selects, which kwok serves as their kubelet resource metrics.
var ClusterResourceUsageGVR = schema.GroupVersionResource{Group: "kwok.x-k8s.io", Version: "v1alpha1", Resource: "clusterresourceusages"}

var apiServiceGVR = schema.GroupVersionResource{Group: "apiregistration.k8s.io", Version: "v1", Resource: "apiservices"}

// MetricsServerDir returns the directory scripts/metrics-server-build.sh fills:
// metrics-server (sigs.k8s.io/metrics-server v0.8.1) and kwok/ (kwok v0.8.0's resource Metric
// and usage CRDs); $KUBEFOUNDRY_METRICS_SERVER_DIR if set.
func MetricsServerDir() (string, error) {
	return scriptDir("KUBEFOUNDRY_METRICS_SERVER_DIR", "metrics-server", "metrics-server-build.sh")
}

// metricsPipeline is what Options.MetricsServer adds: the API server's aggregation layer,
// kwok's kubelet resource-metrics endpoint and metrics-server.
type metricsPipeline struct {
	dir      string // MetricsServerDir
	kwokPort int    // kwok's server: every kwok node's kubelet endpoint
}

// aggregationArgs writes a front-proxy CA and client certificate and returns the API server
// flags of the aggregation layer (as kubeadm sets them): the API server proxies
// metrics.k8s.io to metrics-server with that client certificate and the user in
// X-Remote-* headers, which metrics-server trusts through the requestheader CA the API
// server publishes in kube-system/extension-apiserver-authentication.
func aggregationArgs(dir string) ([]string, error) {
	caPEM, certPEM, keyPEM, err := frontProxyCerts()
	if err != nil {
		return nil, err
	}
	paths := map[string]string{}
	for name, data := range map[string][]byte{"front-proxy-ca.crt": caPEM, "front-proxy-client.crt": certPEM, "front-proxy-client.key": keyPEM} {
		p := filepath.Join(dir, "certs", name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			return nil, err
		}
		paths[name] = p
	}
	return []string{
		"--requestheader-client-ca-file=" + paths["front-proxy-ca.crt"],
		"--requestheader-allowed-names=front-proxy-client",
		"--requestheader-username-headers=X-Remote-User",
		"--requestheader-group-headers=X-Remote-Group",
		"--requestheader-extra-headers-prefix=X-Remote-Extra-",
		"--proxy-client-cert-file=" + paths["front-proxy-client.crt"],
		"--proxy-client-key-file=" + paths["front-proxy-client.key"],
	}, nil
}

func frontProxyCerts() (caPEM, certPEM, keyPEM []byte, err error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, nil, err
	}
	now := time.Now().Add(-time.Hour)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "kubefoundry-test-front-proxy-ca"},
		NotBefore: now, NotAfter: now.Add(10 * 365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, nil, nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, nil, nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "front-proxy-client"},
		NotBefore: now, NotAfter: now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, nil, nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), nil
}

// kwokMetricsArgs are kwok's extra flags for the pipeline: its server on loopback, reported
// as every node's kubelet port and InternalIP (kwok's node stages take them from --node-port
// and --node-ip), the resource Metric of kwok's kustomize/metrics/resource, and the usage
// objects as CRDs so tests change them while kwok runs.
func (p *metricsPipeline) kwokMetricsArgs(stagesConfig string) []string {
	return []string{
		"--config=" + stagesConfig,
		"--config=" + filepath.Join(p.dir, "kwok", "metrics-resource.yaml"),
		"--enable-crds=ClusterResourceUsage,ResourceUsage",
		"--server-address=" + loopback(p.kwokPort),
		"--node-port=" + strconv.Itoa(p.kwokPort),
		"--node-ip=127.0.0.1",
	}
}

// startMetricsServer runs metrics-server v0.8.1 with the flags kwokctl gives it (kwok
// pkg/kwokctl/components/metrics_server.go @ v0.8.0: node status port, InternalIP, no kubelet
// CA since kwok serves a test certificate) and registers it as v1beta1.metrics.k8s.io the way
// metrics-server's own manifest does (insecureSkipTLSVerify), through an ExternalName Service
// naming 127.0.0.1 as kwokctl's does (pkg/kwokctl/components/metrics_server_manifest.go): the
// aggregator proxies to an ExternalName's host (k8s.io/apiserver pkg/util/proxy
// ResolveCluster), so no Service network is needed. It returns once the
// APIService is Available.
func (c *Cluster) startMetricsServer(ctx context.Context) error {
	ports, err := freePorts(1)
	if err != nil {
		return err
	}
	port := ports[0]
	if err := c.run(filepath.Join(c.metrics.dir, "metrics-server"), MetricsServerLogName,
		"--bind-address=127.0.0.1", "--secure-port="+strconv.Itoa(port),
		"--cert-dir="+filepath.Join(c.Dir, "metrics-server-certs"),
		"--kubeconfig="+c.Kubeconfig, "--authentication-kubeconfig="+c.Kubeconfig, "--authorization-kubeconfig="+c.Kubeconfig,
		"--kubelet-preferred-address-types=InternalIP", "--kubelet-use-node-status-port", "--kubelet-insecure-tls",
		"--metric-resolution=15s", // kwokctl's; above the default 10s kubelet request timeout, as metrics-server requires
	); err != nil {
		return err
	}
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "metrics-server", Namespace: "kube-system"},
		Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeExternalName, ExternalName: "127.0.0.1",
			Ports: []corev1.ServicePort{{Name: "https", Port: int32(port), TargetPort: intstr.FromInt(port)}}},
	}
	if _, err := c.Clientset.CoreV1().Services("kube-system").Create(ctx, svc, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("metrics-server Service: %w", err)
	}
	apiService := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService",
		"metadata": map[string]any{"name": "v1beta1.metrics.k8s.io"},
		"spec": map[string]any{
			"group": "metrics.k8s.io", "version": "v1beta1", "groupPriorityMinimum": int64(100), "versionPriority": int64(100),
			"insecureSkipTLSVerify": true,
			"service":               map[string]any{"name": "metrics-server", "namespace": "kube-system", "port": int64(port)},
		},
	}}
	if err := c.applyUnstructured(ctx, apiServiceGVR, apiService); err != nil {
		return fmt.Errorf("APIService v1beta1.metrics.k8s.io: %w", err)
	}
	_, err = c.WaitFor(ctx, apiServiceGVR, "", "v1beta1.metrics.k8s.io", 90*time.Second, func(o *unstructured.Unstructured) bool {
		conds, _, _ := unstructured.NestedSlice(o.Object, "status", "conditions")
		for _, x := range conds {
			if m, ok := x.(map[string]any); ok && m["type"] == "Available" && m["status"] == "True" {
				return true
			}
		}
		return false
	})
	if err != nil {
		return fmt.Errorf("%w\n%s", err, c.LogTail(MetricsServerLogName, 20))
	}
	return nil
}

// SetPodUsage makes kwok report, for every pod in namespace, cpu (e.g. "900m") of CPU use (and
// 64Mi of memory) per container, through a ClusterResourceUsage named after the namespace (created or replaced).
// metrics-server scrapes it from kwok's kubelet endpoint within its 15s resolution. The
// cluster must run with Options.MetricsServer.
func (c *Cluster) SetPodUsage(ctx context.Context, namespace, cpu string) error {
	if c.metrics == nil {
		return fmt.Errorf("usage for %s: this cluster runs no metrics pipeline (set Options.MetricsServer)", namespace)
	}
	obj := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "kwok.x-k8s.io/v1alpha1", "kind": "ClusterResourceUsage",
		"metadata": map[string]any{"name": "usage-" + namespace},
		"spec": map[string]any{
			"selector": map[string]any{"matchNamespaces": []any{namespace}},
			// A working set too: kwok reports none otherwise, and metrics-server wants both.
			"usages": []any{map[string]any{"usage": map[string]any{"cpu": map[string]any{"value": cpu}, "memory": map[string]any{"value": "64Mi"}}}},
		},
	}}
	return c.applyUnstructured(ctx, ClusterResourceUsageGVR, obj)
}

// DeletePodUsage removes what SetPodUsage created (a test's cleanup).
func (c *Cluster) DeletePodUsage(ctx context.Context, namespace string) error {
	err := c.Dynamic.Resource(ClusterResourceUsageGVR).Delete(ctx, "usage-"+namespace, metav1.DeleteOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}
