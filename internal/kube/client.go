package kube

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
)

// Client bundles the clients every resource and data source uses.
type Client struct {
	REST    *rest.Config
	Typed   kubernetes.Interface
	Dynamic dynamic.Interface
	// Mapper resolves kinds to resources lazily: discovery runs only when a kind is first
	// looked up, and its answers are cached for the life of the provider process.
	Mapper *restmapper.DeferredDiscoveryRESTMapper
	// Requests counts HTTP requests sent to the API server (for benchmarks and logs).
	Requests *atomic.Int64
}

// NewClient builds clients from a rest.Config. Nothing is sent to the server here.
func NewClient(cfg *rest.Config) (*Client, error) {
	cfg = rest.CopyConfig(cfg)
	counter := &atomic.Int64{}
	cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper {
		return countingTransport{next: rt, n: counter}
	})
	typed, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("creating the Kubernetes client: %w", err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("creating the dynamic client: %w", err)
	}
	disc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("creating the discovery client: %w", err)
	}
	return &Client{
		REST:     cfg,
		Typed:    typed,
		Dynamic:  dyn,
		Mapper:   restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(disc)),
		Requests: counter,
	}, nil
}

var _ meta.RESTMapper = (*restmapper.DeferredDiscoveryRESTMapper)(nil)

type countingTransport struct {
	next http.RoundTripper
	n    *atomic.Int64
}

func (t countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return t.next.RoundTrip(r)
}

// Lazy creates the client on first use, once per provider process. Resources that only
// plan never connect, so plans work before the cluster exists.
type Lazy struct {
	cfg    Config
	once   sync.Once
	client *Client
	err    error
}

// NewLazy returns a Lazy for the configuration.
func NewLazy(cfg Config) *Lazy { return &Lazy{cfg: cfg} }

// NewLazyFromREST wraps an already built rest.Config (tests, benchmarks).
func NewLazyFromREST(cfg *rest.Config) *Lazy {
	l := &Lazy{}
	l.once.Do(func() { l.client, l.err = NewClient(cfg) })
	return l
}

// Client returns the shared client, or the configuration error that prevents one.
func (l *Lazy) Client(_ context.Context) (*Client, error) {
	l.once.Do(func() {
		cfg, err := l.cfg.RESTConfig()
		if err != nil {
			l.err = err
			return
		}
		l.client, l.err = NewClient(cfg)
	})
	return l.client, l.err
}
