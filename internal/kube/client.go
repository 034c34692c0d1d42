package kube

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/util/flowcontrol"
)

// Client bundles the clients every resource and data source uses.
type Client struct {
	REST *rest.Config
	// Typed speaks protobuf: built-in kinds (nodes, pods, events) decode several times
	// faster than from JSON, which matters for cluster-wide lists.
	Typed   kubernetes.Interface
	Dynamic dynamic.Interface
	// Mapper resolves kinds to resources lazily: discovery runs only when a kind is first
	// looked up, and its answers are cached for the life of the provider process.
	Mapper *restmapper.DeferredDiscoveryRESTMapper
	// Requests counts HTTP requests sent to the API server (for benchmarks and logs).
	Requests *atomic.Int64
	// Retries counts requests sent again after a transient failure.
	Retries *atomic.Int64
}

// NewClient builds clients from a rest.Config with the default retry budget. Nothing is
// sent to the server here.
func NewClient(cfg *rest.Config) (*Client, error) {
	return NewClientWithRetries(cfg, DefaultMaxRetries)
}

// NewClientWithRetries builds the clients of one provider process. They share one rate
// limiter (cfg.QPS/cfg.Burst), so parallel resources together stay within the budget, and
// one retrying transport for transient failures (maxRetries 0 turns retries off).
func NewClientWithRetries(cfg *rest.Config, maxRetries int) (*Client, error) {
	cfg = rest.CopyConfig(cfg)
	if cfg.RateLimiter == nil && cfg.QPS > 0 {
		cfg.RateLimiter = flowcontrol.NewTokenBucketRateLimiter(cfg.QPS, max(cfg.Burst, 1))
	}
	counter, retries := &atomic.Int64{}, &atomic.Int64{}
	cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper {
		counted := countingTransport{next: rt, n: counter}
		if maxRetries <= 0 {
			return counted
		}
		return &retryTransport{next: counted, maxRetries: maxRetries, retries: func() { retries.Add(1) }, sleep: sleepCtx}
	})
	protoCfg := rest.CopyConfig(cfg)
	protoCfg.ContentType = runtime.ContentTypeProtobuf
	protoCfg.AcceptContentTypes = runtime.ContentTypeProtobuf + "," + runtime.ContentTypeJSON
	typed, err := kubernetes.NewForConfig(protoCfg)
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
		Retries:  retries,
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
		l.client, l.err = NewClientWithRetries(cfg, l.cfg.retries())
	})
	return l.client, l.err
}
