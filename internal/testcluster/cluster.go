package testcluster

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// Options tunes Start.
type Options struct {
	// Dir holds data, certificates, logs and the kubeconfig; a temp dir when empty.
	Dir string
	// SkipCRDs leaves the runtime CRDs out.
	SkipCRDs bool
	// CRDs selects the runtime CRD releases installed (default DefaultCRDSet(): current).
	CRDs CRDSet
	// NoControllerManager skips kube-controller-manager (no garbage collection then).
	NoControllerManager bool
	// Kwok starts kube-scheduler and kwok: pods the scheduler binds to nodes made with
	// CreateKwokNode (or CreateGPUNode) run, in kwok's simulation, and turn Running and Ready.
	Kwok bool
	// Operators starts these real operators as local processes (and implies Kwok). The
	// current-release runtime CRDs are installed instead of the previous pins.
	Operators []Operator
	// KubeRayVersion selects the KubeRay operator release (and its CRDs) that OperatorKubeRay
	// runs: KubeRay170 (default) or KubeRay162.
	KubeRayVersion string
	// GatewayAPI installs the Gateway API standard-channel CRDs and the Inference Extension's
	// InferencePool CRD (gatewaycrds.go) before the operators start. No Gateway controller runs.
	GatewayAPI bool
	// LWS starts the LeaderWorkerSet controller v0.9.0 with its webhooks (and implies Kwok),
	// for vLLM multi-node deployments; its CRDs come from the sigs.k8s.io/lws module
	// (scripts/lws-build.sh).
	LWS bool
	// MetricsServer runs metrics-server v0.8.1 (scripts/metrics-server-build.sh) behind the API
	// server's aggregation layer (v1beta1.metrics.k8s.io), scraping the pod usage kwok
	// simulates (SetPodUsage) from kwok's kubelet resource-metrics endpoint, so the real HPA
	// controller scales on CPU use. Implies Kwok; see metricsserver.go.
	MetricsServer bool
	// KEDA installs KEDA's CRDs (ScaledObject, ...; kedacrds.go) so the ScaledObjects a test
	// creates are validated by the API server. KEDA's operator does not run.
	KEDA bool
	// KServe starts KServe's LLMInferenceService controller v0.19.0 with its webhooks,
	// configuration and presets (and implies Kwok); its CRDs come from the
	// github.com/kserve/kserve module (scripts/kserve-build.sh). Combine with GatewayAPI for
	// routes and the scheduler's InferencePool, and LWS for multi-node workloads.
	KServe bool
	// EndpointPicker makes the llm-d router v0.10.0 endpoint picker available
	// (scripts/llmd-router-build.sh) and installs its llm-d.ai CRDs: a test then runs one
	// picker per InferencePool with StartEndpointPicker (epp.go). Combine with GatewayAPI.
	EndpointPicker bool
	// LoopbackPodIPs makes kwok give pods IPs from a /16 inside 127.0.0.0/8 (PodCIDR), which
	// route to this host's loopback: a test can then listen on a pod's IP and answer for it
	// (e.g. serve an engine's /metrics to the endpoint picker). Needs Kwok.
	LoopbackPodIPs bool
}

// Cluster is a running control plane.
type Cluster struct {
	Dir        string
	Kubeconfig string // path of an admin kubeconfig
	Host       string
	Token      string // static admin token (system:masters)
	CAData     []byte
	RESTConfig *rest.Config
	Clientset  kubernetes.Interface
	Dynamic    dynamic.Interface

	// OperatorBin holds kwok and the operator binaries (OperatorBinDir), when used.
	OperatorBin string

	mu              sync.Mutex
	procs           []*exec.Cmd
	tempDir         bool
	kwok            bool
	operators       []Operator
	webhookCert     *webhookCert
	operatorStartup map[Operator]time.Duration
	phases          []string // how long each startup phase took, for startupSummary
	byName          map[string]*exec.Cmd
	serviceAccounts bool // the ServiceAccount admission plugin and controller run
	kubeRayVersion  string
	lws             bool // the LeaderWorkerSet controller runs (Options.LWS)
	metrics         *metricsPipeline
	kserve          bool   // the KServe controller runs (Options.KServe)
	llmdRouter      string // the llm-d router build directory (Options.EndpointPicker)
	podCIDR         string // kwok's --cidr
}

const adminToken = "kubefoundry-test-admin-token"

// Start launches etcd, kube-apiserver and (unless disabled) kube-controller-manager on
// loopback ports, waits until the API server is ready and installs the CRDs.
func Start(ctx context.Context, opts Options) (_ *Cluster, err error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	started := time.Now()
	c := &Cluster{Dir: opts.Dir, Token: adminToken, kwok: opts.Kwok || len(opts.Operators) > 0 || opts.LWS || opts.MetricsServer || opts.KServe,
		operators: opts.Operators, operatorStartup: map[Operator]time.Duration{}, kubeRayVersion: opts.KubeRayVersion,
		podCIDR: "10.244.0.0/16"}
	if opts.LoopbackPodIPs {
		c.podCIDR = loopbackPodCIDR()
	}
	if c.kubeRayVersion == "" {
		c.kubeRayVersion = DefaultKubeRayVersion
	}
	if _, err := kubeRayBinary(c.kubeRayVersion); err != nil {
		return nil, err
	}
	if c.kwok {
		if c.OperatorBin, err = OperatorBinDirFor(opts.Operators...); err != nil {
			return nil, err
		}
	}
	if opts.MetricsServer {
		c.metrics = &metricsPipeline{}
		if c.metrics.dir, err = MetricsServerDir(); err != nil {
			return nil, err
		}
	}
	if c.Dir == "" {
		if c.Dir, err = os.MkdirTemp("", "kubefoundry-cluster-"); err != nil {
			return nil, err
		}
		c.tempDir = true
	}
	defer func() {
		if err != nil {
			c.Stop()
		}
	}()
	for _, d := range []string{"etcd", "certs", "logs"} {
		if err := os.MkdirAll(filepath.Join(c.Dir, d), 0o700); err != nil {
			return nil, err
		}
	}
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	etcdURL := "http://127.0.0.1:" + strconv.Itoa(ports[0])
	peerURL := "http://127.0.0.1:" + strconv.Itoa(ports[1])
	if err := c.run(filepath.Join(bin, "etcd"), "etcd",
		"--name=default", "--data-dir="+filepath.Join(c.Dir, "etcd"),
		"--listen-client-urls="+etcdURL, "--advertise-client-urls="+etcdURL,
		"--listen-peer-urls="+peerURL, "--initial-advertise-peer-urls="+peerURL,
		"--initial-cluster=default="+peerURL, "--unsafe-no-fsync", "--log-level=warn",
	); err != nil {
		return nil, err
	}

	saKey, saPub, err := writeServiceAccountKeys(c.Dir)
	if err != nil {
		return nil, err
	}
	tokenFile := filepath.Join(c.Dir, "tokens.csv")
	if err := os.WriteFile(tokenFile, []byte(adminToken+`,kubefoundry-admin,kubefoundry-admin,"system:masters"`+"\n"+dynamoOperatorTokenLine()), 0o600); err != nil {
		return nil, err
	}
	c.Host = "https://127.0.0.1:" + strconv.Itoa(ports[2])
	apiserverArgs := []string{
		"--etcd-servers=" + etcdURL, "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(ports[2]), "--cert-dir=" + filepath.Join(c.Dir, "certs"),
		"--service-account-key-file=" + saPub, "--service-account-signing-key-file=" + saKey,
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--token-auth-file=" + tokenFile, "--authorization-mode=RBAC",
		"--service-cluster-ip-range=10.96.0.0/16", "--allow-privileged=true",
		"--audit-log-path=" + filepath.Join(c.Dir, "logs", "audit.log"),
		"--audit-policy-file=" + writeAuditPolicy(c.Dir),
	}
	// The ServiceAccount admission plugin is on, as in every real cluster: a pod naming a
	// missing account is refused and its controller reports FailedCreate. Its accounts come
	// from kube-controller-manager's serviceaccount controller ("default" in every
	// namespace), so a cluster started without the controller-manager, where no namespace
	// would ever get one, runs without the plugin.
	c.serviceAccounts = !opts.NoControllerManager
	if !c.serviceAccounts {
		apiserverArgs = append(apiserverArgs, "--disable-admission-plugins=ServiceAccount")
	}
	if c.metrics != nil {
		agg, err := aggregationArgs(c.Dir)
		if err != nil {
			return nil, err
		}
		apiserverArgs = append(apiserverArgs, agg...)
	}
	if err := c.run(filepath.Join(bin, "kube-apiserver"), "kube-apiserver", apiserverArgs...); err != nil {
		return nil, err
	}
	if err := c.waitReady(ctx); err != nil {
		return nil, err
	}
	if err := c.writeKubeconfig(); err != nil {
		return nil, err
	}
	if c.Clientset, err = kubernetes.NewForConfig(c.RESTConfig); err != nil {
		return nil, err
	}
	if c.Dynamic, err = dynamic.NewForConfig(c.RESTConfig); err != nil {
		return nil, err
	}
	if !opts.NoControllerManager {
		if err := c.run(filepath.Join(bin, "kube-controller-manager"), "kube-controller-manager",
			"--kubeconfig="+c.Kubeconfig, "--leader-elect=false", "--secure-port=0",
			"--service-account-private-key-file="+saKey, "--controllers=*,-serviceaccount-token",
			"--concurrent-gc-syncs=5", "--concurrent-namespace-syncs=5",
		); err != nil {
			return nil, err
		}
	}
	// Tests create pods in "default" right away: its account must exist first (the plugin
	// itself retries only about a second for it).
	if err := c.WaitForDefaultServiceAccount(ctx, "default"); err != nil {
		return nil, err
	}
	if c.kwok {
		if err := c.startScheduler(bin); err != nil {
			return nil, err
		}
		if c.metrics != nil {
			// kwok watches its usage CRDs from the start.
			if err := InstallCRDs(ctx, c.RESTConfig, filepath.Join(c.metrics.dir, "kwok", "crds")); err != nil {
				return nil, err
			}
			p, err := freePorts(1)
			if err != nil {
				return nil, err
			}
			c.metrics.kwokPort = p[0]
		}
		if err := c.startKwok(); err != nil {
			return nil, err
		}
		if c.metrics != nil {
			t := time.Now()
			if err := c.startMetricsServer(ctx); err != nil {
				return nil, fmt.Errorf("metrics-server: %w", err)
			}
			c.phases = append(c.phases, "metrics-server "+time.Since(t).Round(time.Millisecond).String())
		}
	}
	if opts.GatewayAPI {
		if err := InstallGatewayCRDs(ctx, c.RESTConfig); err != nil {
			return nil, err
		}
	}
	if opts.EndpointPicker {
		if err := c.startEndpointPickerSupport(ctx); err != nil {
			return nil, fmt.Errorf("endpoint picker: %w", err)
		}
	}
	if opts.KEDA {
		if err := InstallKEDACRDs(ctx, c.RESTConfig); err != nil {
			return nil, err
		}
	}
	if len(opts.Operators) > 0 {
		c.phases = append(c.phases, "control plane "+time.Since(started).Round(time.Millisecond).String())
		t := time.Now()
		if err := c.startOperators(ctx, opts.Operators); err != nil {
			return nil, err
		}
		c.phases = append(c.phases, "CRDs and operators "+time.Since(t).Round(time.Millisecond).String())
	} else if !opts.SkipCRDs {
		set := opts.CRDs
		if set == "" {
			set = DefaultCRDSet()
		}
		if err := InstallCRDSet(ctx, c.RESTConfig, set); err != nil {
			return nil, err
		}
	}
	if opts.LWS {
		t := time.Now()
		if err := c.startLWS(ctx); err != nil {
			return nil, fmt.Errorf("LeaderWorkerSet controller: %w", err)
		}
		c.lws = true
		c.phases = append(c.phases, "LeaderWorkerSet controller "+time.Since(t).Round(time.Millisecond).String())
	}
	if opts.KServe {
		t := time.Now()
		if err := c.startKServe(ctx); err != nil {
			return nil, fmt.Errorf("KServe controller: %w", err)
		}
		c.kserve = true
		c.phases = append(c.phases, "KServe controller "+time.Since(t).Round(time.Millisecond).String())
	}
	return c, nil
}

// Stop ends every process and removes a temporary directory.
func (c *Cluster) Stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.procs) - 1; i >= 0; i-- {
		p := c.procs[i]
		if p.Process == nil {
			continue
		}
		_ = syscall.Kill(-p.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = p.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-p.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}
	c.procs = nil
	if c.tempDir {
		_ = os.RemoveAll(c.Dir)
	}
}

// run starts a process in its own process group that dies with the test binary.
func (c *Cluster) run(path, name string, args ...string) error {
	return c.runEnv(nil, path, name, args...)
}

// runEnv is run with extra environment variables.
func (c *Cluster) runEnv(env []string, path, name string, args ...string) error {
	logf, err := os.Create(filepath.Join(c.Dir, "logs", name+".log"))
	if err != nil {
		return err
	}
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", name, err)
	}
	c.mu.Lock()
	c.procs = append(c.procs, cmd)
	if c.byName == nil {
		c.byName = map[string]*exec.Cmd{}
	}
	c.byName[name] = cmd
	c.mu.Unlock()
	return nil
}

// LogFile returns the path of a component's log (for failure messages).
func (c *Cluster) LogFile(name string) string { return filepath.Join(c.Dir, "logs", name+".log") }

func (c *Cluster) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 120*time.Second)
	defer cancel()
	caPath := filepath.Join(c.Dir, "certs", "apiserver.crt")
	insecure := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // probing our own loopback server before its CA is read
	}}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.Host+"/readyz", nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		if resp, err := insecure.Do(req); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				ca, err := os.ReadFile(caPath)
				if err != nil {
					return fmt.Errorf("reading the API server certificate: %w", err)
				}
				c.CAData = ca
				c.RESTConfig = &rest.Config{Host: c.Host, BearerToken: adminToken, QPS: 100, Burst: 200,
					TLSClientConfig: rest.TLSClientConfig{CAData: ca}}
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("kube-apiserver not ready at %s (logs: %s): %w", c.Host, c.LogFile("kube-apiserver"), ctx.Err())
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func (c *Cluster) writeKubeconfig() error {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["kubefoundry-test"] = &clientcmdapi.Cluster{Server: c.Host, CertificateAuthorityData: c.CAData}
	cfg.AuthInfos["admin"] = &clientcmdapi.AuthInfo{Token: adminToken}
	cfg.Contexts["kubefoundry-test"] = &clientcmdapi.Context{Cluster: "kubefoundry-test", AuthInfo: "admin"}
	cfg.CurrentContext = "kubefoundry-test"
	c.Kubeconfig = filepath.Join(c.Dir, "kubeconfig")
	return clientcmd.WriteToFile(*cfg, c.Kubeconfig)
}

func writeServiceAccountKeys(dir string) (keyPath, pubPath string, err error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", "", err
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return "", "", err
	}
	keyPath, pubPath = filepath.Join(dir, "sa.key"), filepath.Join(dir, "sa.pub")
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600); err != nil {
		return "", "", err
	}
	return keyPath, pubPath, os.WriteFile(pubPath, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), 0o600)
}

// writeAuditPolicy logs request metadata only: benchmarks count requests from it.
func writeAuditPolicy(dir string) string {
	p := filepath.Join(dir, "audit-policy.yaml")
	_ = os.WriteFile(p, []byte("apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n"), 0o600)
	return p
}

func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			_ = l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	if len(ports) != n {
		return nil, errors.New("no free ports")
	}
	return ports, nil
}
