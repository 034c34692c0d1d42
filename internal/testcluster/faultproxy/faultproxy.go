// Package faultproxy is a fault-injecting HTTPS reverse proxy for tests: it sits on
// loopback between the provider and the test API server and, per request rule, answers
// 429 with Retry-After or 5xx, resets the connection, adds latency, or cuts a watch
// stream after a while. Everything else passes through untouched.
package faultproxy

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// Rule matches requests and says what to do with them. The zero matchers match every
// request; the first rule that matches and fires decides.
type Rule struct {
	Name string // for Stats
	// Method matches the HTTP method ("" any).
	Method string
	// Path matches the URL path ("" any).
	Path *regexp.Regexp
	// Watch restricts the rule to watch requests (true) or to anything else (false); nil matches both.
	Watch *bool
	// Probability fires the rule for this share of matching requests; 0 means always.
	Probability float64
	// Every fires the rule for every Every-th matching request only (after Skip), a
	// deterministic alternative to Probability: 2 fails every other request.
	Every int
	// Skip lets the first Skip matching requests through.
	Skip int
	// Count stops the rule after it fired Count times; 0 means no limit.
	Count int

	// Status answers with this HTTP status (a metav1.Status body) instead of forwarding.
	Status int
	// RetryAfter adds a Retry-After header (whole seconds) to a Status answer.
	RetryAfter time.Duration
	// Reset closes the client connection with a TCP reset instead of answering.
	Reset bool
	// Latency delays the request before anything else happens.
	Latency time.Duration
	// CutAfter forwards a (watch) request and aborts its response stream after this long.
	CutAfter time.Duration

	matched, fired int
}

// IsWatch is a helper for Rule.Watch.
func IsWatch(b bool) *bool { return &b }

// Proxy is a running fault proxy.
type Proxy struct {
	URL    string // https://127.0.0.1:port
	CAData []byte // PEM of the proxy's certificate

	srv    *httptest.Server
	target *url.URL
	proxy  *httputil.ReverseProxy

	mu       sync.Mutex
	rules    []*Rule
	requests int
	fired    map[string]int
	rand     *rand.Rand
}

// Start proxies to the API server that cfg describes (its CA is trusted; the client's
// credentials pass through, the proxy adds none).
func Start(cfg *rest.Config) (*Proxy, error) {
	target, err := url.Parse(cfg.Host)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if len(cfg.CAData) > 0 && !pool.AppendCertsFromPEM(cfg.CAData) {
		return nil, fmt.Errorf("faultproxy: no certificate in the CA data")
	}
	upstream := &http.Transport{
		TLSClientConfig:     &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2:   true,
		MaxIdleConnsPerHost: 100,
	}
	p := &Proxy{target: target, fired: map[string]int{}, rand: rand.New(rand.NewPCG(1, 2))} //nolint:gosec // test randomness, seeded for repeatability
	p.proxy = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Host = target.Host
		},
		Transport:     upstream,
		FlushInterval: -1, // stream watch events as they come
		ErrorLog:      nil,
	}
	p.srv = httptest.NewUnstartedServer(http.HandlerFunc(p.serve))
	p.srv.StartTLS() // HTTP/1.1 only, so a connection can be hijacked and reset
	p.URL = p.srv.URL
	p.CAData = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.srv.Certificate().Raw})
	return p, nil
}

// Close stops the proxy and drops its connections.
func (p *Proxy) Close() {
	p.srv.CloseClientConnections()
	p.srv.Close()
}

// SetRules replaces the rules (nil: pass everything through).
func (p *Proxy) SetRules(rules ...*Rule) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = rules
}

// Fired returns how often the named rule fired since Start.
func (p *Proxy) Fired(name string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fired[name]
}

// Requests returns how many requests reached the proxy since Start.
func (p *Proxy) Requests() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.requests
}

// RESTConfig is cfg pointed at the proxy.
func (p *Proxy) RESTConfig(cfg *rest.Config) *rest.Config {
	c := rest.CopyConfig(cfg)
	c.Host = p.URL
	c.CAData = p.CAData
	c.CAFile = ""
	return c
}

// WriteKubeconfig writes a kubeconfig that reaches the API server through the proxy with
// the given bearer token, and returns its path.
func (p *Proxy) WriteKubeconfig(dir, token string) (string, error) {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["faultproxy"] = &clientcmdapi.Cluster{Server: p.URL, CertificateAuthorityData: p.CAData}
	cfg.AuthInfos["admin"] = &clientcmdapi.AuthInfo{Token: token}
	cfg.Contexts["faultproxy"] = &clientcmdapi.Context{Cluster: "faultproxy", AuthInfo: "admin"}
	cfg.CurrentContext = "faultproxy"
	path := filepath.Join(dir, "faultproxy-kubeconfig")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return path, clientcmd.WriteToFile(*cfg, path)
}

func isWatch(r *http.Request) bool {
	w := r.URL.Query().Get("watch")
	return w == "true" || w == "1"
}

// pick returns the rule that fires for r, or nil.
func (p *Proxy) pick(r *http.Request) *Rule {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests++
	watch := isWatch(r)
	for _, rule := range p.rules {
		if rule.Method != "" && rule.Method != r.Method {
			continue
		}
		if rule.Path != nil && !rule.Path.MatchString(r.URL.Path) {
			continue
		}
		if rule.Watch != nil && *rule.Watch != watch {
			continue
		}
		if rule.Count > 0 && rule.fired >= rule.Count {
			continue
		}
		rule.matched++
		if rule.matched <= rule.Skip {
			continue
		}
		if rule.Every > 1 && (rule.matched-rule.Skip)%rule.Every != 0 {
			continue
		}
		if rule.Probability > 0 && p.rand.Float64() >= rule.Probability {
			continue
		}
		rule.fired++
		p.fired[rule.Name]++
		return rule
	}
	return nil
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	rule := p.pick(r)
	if rule == nil {
		p.proxy.ServeHTTP(w, r)
		return
	}
	if rule.Latency > 0 {
		select {
		case <-time.After(rule.Latency):
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case rule.Reset:
		reset(w)
	case rule.Status != 0:
		if rule.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(rule.RetryAfter/time.Second)))
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rule.Status)
		_, _ = fmt.Fprintf(w, `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"faultproxy: injected %d","reason":%q,"code":%d}`,
			rule.Status, reason(rule.Status), rule.Status)
	case rule.CutAfter > 0:
		ctx, cancel := context.WithTimeout(r.Context(), rule.CutAfter)
		defer cancel()
		// The proxy aborts the client connection when the upstream stream breaks off: the
		// client sees the watch end mid-stream, as when a server or load balancer drops it.
		p.proxy.ServeHTTP(w, r.WithContext(ctx))
	default:
		p.proxy.ServeHTTP(w, r)
	}
}

func reason(code int) string {
	switch code {
	case http.StatusTooManyRequests:
		return "TooManyRequests"
	case http.StatusServiceUnavailable:
		return "ServiceUnavailable"
	case http.StatusInternalServerError:
		return "InternalError"
	}
	return "Unknown"
}

// reset hijacks the connection and closes it with SO_LINGER 0, which sends a TCP RST.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	raw := conn
	if tc, ok := conn.(*tls.Conn); ok {
		raw = tc.NetConn() // no TLS close_notify: the client sees a bare reset
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = raw.Close()
}
