// Package kube is the provider's only way to reach Kubernetes: it turns the provider
// configuration into a client-go rest.Config, and offers typed and dynamic clients, a
// cached RESTMapper, server-side apply and watch-based waiting.
package kube

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// FieldManager is the server-side apply field manager for everything this provider writes.
const FieldManager = "kubefoundry"

// ExecConfig configures a client-go credential plugin (for example `aws eks get-token`).
type ExecConfig struct {
	APIVersion string
	Command    string
	Args       []string
	Env        map[string]string
}

// Config mirrors what kubectl users know: kubeconfig files and contexts, or explicit
// connection settings that override the kubeconfig.
type Config struct {
	ConfigPaths          []string
	Context              string
	Host                 string
	Token                string
	ClusterCACertificate string
	ClientCertificate    string
	ClientKey            string
	Insecure             bool
	Exec                 *ExecConfig
	// QPS and Burst size the client-side rate limiter shared by all resources of one
	// provider process; 0 takes DefaultQPS and DefaultBurst.
	QPS   float32
	Burst int
	// MaxRetries bounds the retries of one request after a transient failure; nil takes
	// DefaultMaxRetries, 0 turns retries off.
	MaxRetries *int
}

// Client-side rate limit defaults. client-go's own (5 QPS, burst 10) would serialise a
// plan of 50 resources run 10 or 20 at a time; these stay well inside the API server's
// default priority-and-fairness share for one client.
const (
	DefaultQPS   = 50
	DefaultBurst = 100
)

func (c Config) retries() int {
	if c.MaxRetries == nil {
		return DefaultMaxRetries
	}
	return *c.MaxRetries
}

// ErrNotConfigured says that the provider was given no way to reach a cluster.
var ErrNotConfigured = errors.New("no Kubernetes cluster is configured: set `config_path` (or `config_paths`) " +
	"and optionally `config_context` in the provider block, or `host` with `token`, client certificates or an `exec` block; " +
	"or set the KUBECONFIG environment variable, or create ~/.kube/config. The provider never falls back to localhost or in-cluster credentials")

// resolvePaths applies the environment fallbacks: KUBECONFIG, then ~/.kube/config.
func (c Config) resolvePaths() []string {
	if len(c.ConfigPaths) > 0 || c.Host != "" {
		return c.ConfigPaths
	}
	if env := os.Getenv("KUBECONFIG"); env != "" {
		return filepath.SplitList(env)
	}
	if home, err := os.UserHomeDir(); err == nil {
		p := filepath.Join(home, ".kube", "config")
		if _, err := os.Stat(p); err == nil {
			return []string{p}
		}
	}
	return nil
}

// RESTConfig builds a rest.Config through clientcmd, so kubeconfig semantics (contexts,
// exec plugins, auth providers) are exactly kubectl's.
func (c Config) RESTConfig() (*rest.Config, error) {
	paths := c.resolvePaths()
	if len(paths) == 0 && c.Host == "" {
		return nil, ErrNotConfigured
	}
	for _, p := range paths {
		if _, err := os.Stat(expandHome(p)); err != nil {
			return nil, fmt.Errorf("kubeconfig file %q cannot be read: %w; fix `config_path`/`config_paths` or KUBECONFIG", p, err)
		}
	}
	rules := &clientcmd.ClientConfigLoadingRules{Precedence: expandAll(paths)}
	overrides := &clientcmd.ConfigOverrides{CurrentContext: c.Context}
	if c.Host != "" {
		overrides.ClusterInfo.Server = c.Host
	}
	if c.ClusterCACertificate != "" {
		overrides.ClusterInfo.CertificateAuthorityData = []byte(c.ClusterCACertificate)
	}
	if c.Insecure {
		overrides.ClusterInfo.InsecureSkipTLSVerify = true
	}
	if c.Token != "" {
		overrides.AuthInfo.Token = c.Token
	}
	if c.ClientCertificate != "" {
		overrides.AuthInfo.ClientCertificateData = []byte(c.ClientCertificate)
	}
	if c.ClientKey != "" {
		overrides.AuthInfo.ClientKeyData = []byte(c.ClientKey)
	}
	if c.Exec != nil {
		exec := &clientcmdapi.ExecConfig{
			APIVersion:      c.Exec.APIVersion,
			Command:         c.Exec.Command,
			Args:            c.Exec.Args,
			InteractiveMode: clientcmdapi.NeverExecInteractiveMode,
		}
		for k, v := range c.Exec.Env {
			exec.Env = append(exec.Env, clientcmdapi.ExecEnvVar{Name: k, Value: v})
		}
		overrides.AuthInfo.Exec = exec
	}

	var loader clientcmd.ClientConfig
	if len(paths) == 0 {
		// Host-only configuration: start from an empty kubeconfig, never the in-cluster one.
		loader = clientcmd.NewNonInteractiveClientConfig(*clientcmdapi.NewConfig(), "", overrides, nil)
	} else {
		loader = clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides)
		if c.Context != "" {
			raw, err := loader.RawConfig()
			if err != nil {
				return nil, fmt.Errorf("reading kubeconfig: %w", err)
			}
			if _, ok := raw.Contexts[c.Context]; !ok {
				return nil, fmt.Errorf("context %q (from `config_context`) is not in the kubeconfig; available contexts: %s",
					c.Context, strings.Join(contextNames(raw), ", "))
			}
		}
	}
	cfg, err := loader.ClientConfig()
	if err != nil {
		if clientcmd.IsEmptyConfig(err) {
			return nil, ErrNotConfigured
		}
		return nil, fmt.Errorf("building the Kubernetes client configuration: %w", err)
	}
	cfg.UserAgent = "terraform-provider-kubefoundry"
	cfg.QPS, cfg.Burst = DefaultQPS, DefaultBurst
	if c.QPS > 0 {
		cfg.QPS = c.QPS
	}
	if c.Burst > 0 {
		cfg.Burst = c.Burst
	}
	return cfg, nil
}

func contextNames(c clientcmdapi.Config) []string {
	names := make([]string, 0, len(c.Contexts))
	for n := range c.Contexts {
		names = append(names, n)
	}
	if len(names) == 0 {
		return []string{"(none)"}
	}
	return names
}

func expandAll(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = expandHome(p)
	}
	return out
}

func expandHome(p string) string {
	if strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[2:])
		}
	}
	return p
}
