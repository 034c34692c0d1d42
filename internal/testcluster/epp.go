package testcluster

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// EndpointPicker says which endpoints one endpoint picker serves and how it picks.
type EndpointPicker struct {
	// Pool and Namespace name the InferencePool (inference.networking.k8s.io) whose pods the
	// picker watches (--pool-name, --pool-namespace).
	Pool, Namespace string
	// Config is the EndpointPickerConfig document (--config-file), e.g. the one the provider
	// rendered into the picker's ConfigMap.
	Config string
	// ServiceAccount, when set, is the account of Namespace the picker authenticates as (a
	// token from the TokenRequest API), as its pod would: it then has only the RBAC bound to
	// that account. Empty: the cluster's admin credentials.
	ServiceAccount string
}

// RunningPicker is an endpoint picker process started by StartEndpointPicker.
type RunningPicker struct {
	// Addr is the ext_proc gRPC address (127.0.0.1:<port>). The picker serves it over TLS
	// with a self-signed certificate (--secure-serving defaults to true), as in the chart.
	Addr string
	// LogName names its log (Cluster.LogFile, LogTail).
	LogName string
}

// StartEndpointPicker runs the llm-d router v0.10.0 endpoint picker as a local process
// against the cluster (KUBECONFIG: admin or p.ServiceAccount's credentials) and waits until its gRPC health service
// reports SERVING, which it does once the InferencePool has been read and synced
// (cmd/epp/runner/health.go). The flags are those of pkg/epp/server/options.go @ v0.10.0,
// as the rendered picker Deployment passes them (internal/gateway EndpointPickerWithConfig),
// with ports chosen free on loopback: --grpc-port, --grpc-health-port, --metrics-port.
// The cluster must have been started with Options.EndpointPicker. It is stopped with the
// cluster, or earlier by StopEndpointPicker.
func (c *Cluster) StartEndpointPicker(ctx context.Context, p EndpointPicker) (*RunningPicker, error) {
	if c.llmdRouter == "" {
		return nil, errors.New("this cluster was started without Options.EndpointPicker")
	}
	name := EndpointPickerLogName(p.Namespace, p.Pool)
	configFile := filepath.Join(c.Dir, name+".yaml")
	if err := os.WriteFile(configFile, []byte(p.Config), 0o600); err != nil {
		return nil, err
	}
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	grpcPort, healthPort, metricsPort := ports[0], ports[1], ports[2]
	kubeconfig := c.Kubeconfig
	if p.ServiceAccount != "" {
		if kubeconfig, err = c.serviceAccountKubeconfig(ctx, p.Namespace, p.ServiceAccount, name); err != nil {
			return nil, err
		}
	}
	env := []string{"KUBECONFIG=" + kubeconfig, "NAMESPACE=" + p.Namespace, "POD_NAME=" + name}
	if err := c.runEnv(env, filepath.Join(c.llmdRouter, "llmd-epp"), name,
		"--pool-name", p.Pool,
		"--pool-namespace", p.Namespace,
		"--config-file", configFile,
		"--grpc-port", strconv.Itoa(grpcPort),
		"--grpc-health-port", strconv.Itoa(healthPort),
		"--metrics-port", strconv.Itoa(metricsPort),
		"--tracing=false",
		"--metrics-endpoint-auth=false",
		"--enable-pprof=false",
		// A SIGTERM otherwise keeps the ext_proc server up for 30 s (DefaultDrainTimeout).
		"--drain-timeout=0s",
		"--zap-encoder", "json",
	); err != nil {
		return nil, err
	}
	if err := c.waitUntil(ctx, name, "gRPC health SERVING", 120*time.Second, grpcServing(loopback(healthPort))); err != nil {
		return nil, fmt.Errorf("%w\n%s", err, c.LogTail(name, 30))
	}
	// Health turns SERVING once the pool is synced; the ext_proc listener opens a moment later.
	if err := c.waitUntil(ctx, name, "ext_proc listening", 60*time.Second, listening(loopback(grpcPort))); err != nil {
		return nil, fmt.Errorf("%w\n%s", err, c.LogTail(name, 30))
	}
	return &RunningPicker{Addr: loopback(grpcPort), LogName: name}, nil
}

// serviceAccountKubeconfig writes a kubeconfig that authenticates as ns/account with a
// token the API server issues for it (an hour long).
func (c *Cluster) serviceAccountKubeconfig(ctx context.Context, ns, account, file string) (string, error) {
	hour := int64(3600)
	tok, err := c.Clientset.CoreV1().ServiceAccounts(ns).CreateToken(ctx, account,
		&authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: &hour}}, metav1.CreateOptions{})
	if err != nil {
		return "", fmt.Errorf("token for service account %s/%s: %w", ns, account, err)
	}
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["kubefoundry-test"] = &clientcmdapi.Cluster{Server: c.Host, CertificateAuthorityData: c.CAData}
	cfg.AuthInfos[account] = &clientcmdapi.AuthInfo{Token: tok.Status.Token}
	cfg.Contexts["kubefoundry-test"] = &clientcmdapi.Context{Cluster: "kubefoundry-test", AuthInfo: account, Namespace: ns}
	cfg.CurrentContext = "kubefoundry-test"
	path := filepath.Join(c.Dir, file+".kubeconfig")
	return path, clientcmd.WriteToFile(*cfg, path)
}

// EndpointPickerLogName names the log of the picker for pool in namespace.
func EndpointPickerLogName(namespace, pool string) string { return "epp-" + namespace + "-" + pool }

// StopEndpointPicker ends a picker StartEndpointPicker started (its log is kept).
func (c *Cluster) StopEndpointPicker(p *RunningPicker) error { return c.stopProcess(p.LogName) }

// listening probes a TCP port.
func listening(addr string) func(context.Context) error {
	return func(ctx context.Context) error {
		conn, err := (&net.Dialer{Timeout: 2 * time.Second}).DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		return conn.Close()
	}
}

// grpcServing probes a gRPC health service (the picker's health port serves it in plain text).
func grpcServing(addr string) func(context.Context) error {
	return func(ctx context.Context) error {
		conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			return err
		}
		defer func() { _ = conn.Close() }()
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		// The service the llm-d chart's readiness probe asks for; without leader election every
		// service name gets the same answer.
		resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{Service: "readiness"})
		if err != nil {
			return err
		}
		if s := resp.GetStatus(); s != healthpb.HealthCheckResponse_SERVING {
			return fmt.Errorf("health %s", strings.ToLower(s.String()))
		}
		return nil
	}
}

// startEndpointPickerSupport locates (or builds) the picker and installs the llm-d router's
// CRDs (llm-d.ai InferenceObjective, InferenceModelRewrite), which the picker watches when
// they exist (pkg/epp/server/controller_config.go) and which the rendered picker's Role names.
func (c *Cluster) startEndpointPickerSupport(ctx context.Context) error {
	dir, err := LLMDRouterDir(false)
	if err != nil {
		return err
	}
	if err := InstallCRDs(ctx, c.RESTConfig, filepath.Join(dir, "crds")); err != nil {
		return err
	}
	c.llmdRouter = dir
	return nil
}

// loopbackPodCIDR is kwok's pod CIDR with Options.LoopbackPodIPs: a /16 inside 127.0.0.0/8,
// so every pod IP is a loopback address of this host; a random one, so that two clusters on
// the machine do not hand out the same addresses.
func loopbackPodCIDR() string { return fmt.Sprintf("127.%d.0.0/16", 100+rand.IntN(150)) }

// PodCIDR is the range kwok gives pod IPs from.
func (c *Cluster) PodCIDR() string { return c.podCIDR }
