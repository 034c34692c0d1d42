package kube

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Retry defaults: about 15 s of backoff in all, enough to ride out an API server restart
// or a burst of throttling, short enough that a dead server fails the apply quickly.
const (
	DefaultMaxRetries = 6
	retryBase         = 250 * time.Millisecond
	retryCap          = 8 * time.Second
	retryAfterCap     = 30 * time.Second
)

// retryTransport retries requests that failed transiently: 429 and 5xx answers, and
// connection errors. Only requests that are safe to send twice are retried after they may
// have reached the server (reads, server-side apply, delete); any request is retried when
// the connection was refused, because then it never arrived.
type retryTransport struct {
	next       http.RoundTripper
	maxRetries int
	retries    func() // counts retries, for logs and benchmarks; may be nil
	sleep      func(ctx context.Context, d time.Duration) error
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	idempotent := isIdempotent(req)
	for attempt := 0; ; attempt++ {
		if attempt > 0 && req.Body != nil && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req = req.Clone(req.Context())
			req.Body = body
		}
		resp, err := t.next.RoundTrip(req)
		wait, retry := t.decide(req, resp, err, idempotent, attempt)
		if !retry {
			return resp, err
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			_ = resp.Body.Close()
		}
		if t.retries != nil {
			t.retries()
		}
		if serr := t.sleep(req.Context(), wait); serr != nil {
			if err == nil {
				err = serr
			}
			return nil, err
		}
	}
}

// decide says whether to retry and after how long.
func (t *retryTransport) decide(req *http.Request, resp *http.Response, err error, idempotent bool, attempt int) (time.Duration, bool) {
	if attempt >= t.maxRetries || req.Context().Err() != nil {
		return 0, false
	}
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		return 0, false // the body cannot be sent again
	}
	if err != nil {
		if isConnRefused(err) || (idempotent && isTransientNetErr(err)) {
			return backoff(attempt), true
		}
		return 0, false
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		// Throttling (APF) and a server that is starting or shutting down have not acted on
		// the request, so even a non-idempotent one may be sent again.
		if d, ok := retryAfter(resp); ok {
			return d, true
		}
		return backoff(attempt), true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		if idempotent {
			if d, ok := retryAfter(resp); ok {
				return d, true
			}
			return backoff(attempt), true
		}
	}
	return 0, false
}

// isIdempotent: reads, watches, deletes and server-side apply give the same result when sent twice.
func isIdempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodDelete:
		return true
	case http.MethodPatch:
		return strings.HasPrefix(req.Header.Get("Content-Type"), "application/apply-patch")
	}
	return false
}

func retryAfter(resp *http.Response) (time.Duration, bool) {
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return min(time.Duration(s)*time.Second, retryAfterCap), true
	}
	if at, err := http.ParseTime(v); err == nil {
		return min(max(time.Until(at), 0), retryAfterCap), true
	}
	return 0, false
}

// backoff is exponential with full jitter in its upper half, so parallel resources that
// failed together do not come back together.
func backoff(attempt int) time.Duration {
	d := min(retryBase<<attempt, retryCap)
	return d/2 + rand.N(d/2+1) //nolint:gosec // jitter, not security
}

func isConnRefused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }

func isTransientNetErr(err error) bool {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNABORTED) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "connection reset") || strings.Contains(s, "broken pipe") ||
		strings.Contains(s, "server closed idle connection") || strings.Contains(s, "http2: client connection lost")
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
