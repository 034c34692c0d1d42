package kube

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// server answers the first `fail` requests with the fault, then 200.
func server(t *testing.T, fail int, fault func(w http.ResponseWriter)) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if int(n.Add(1)) <= fail {
			fault(w)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(s.Close)
	return s, &n
}

func status(code int, retryAfter string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(code)
	}
}

func reset(w http.ResponseWriter) {
	conn, _, _ := w.(http.Hijacker).Hijack()
	_ = conn.(*net.TCPConn).SetLinger(0)
	_ = conn.Close()
}

func send(t *testing.T, url, method, contentType string, maxRetries int) (*http.Response, []time.Duration, error) {
	t.Helper()
	var waits []time.Duration
	rt := &retryTransport{next: &http.Transport{DisableKeepAlives: true}, maxRetries: maxRetries,
		sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
	req, _ := http.NewRequestWithContext(context.Background(), method, url, strings.NewReader("{}"))
	req.Header.Set("Content-Type", contentType)
	resp, err := rt.RoundTrip(req)
	if resp != nil {
		_ = resp.Body.Close()
	}
	return resp, waits, err
}

func TestRetryTransport(t *testing.T) {
	const apply, merge = "application/apply-patch+yaml", "application/merge-patch+json"
	cases := []struct {
		name          string
		fault         func(http.ResponseWriter)
		method, ctype string
		fail          int
		wantCalls     int32
		wantOK        bool
	}{
		{"503 on a read is retried", status(503, ""), http.MethodGet, "", 2, 3, true},
		{"429 honours Retry-After", status(429, "1"), http.MethodPost, "application/json", 1, 2, true},
		{"500 on server-side apply is retried", status(500, ""), http.MethodPatch, apply, 2, 3, true},
		{"500 on a create is not retried", status(500, ""), http.MethodPost, "application/json", 1, 1, false},
		{"500 on a merge patch is not retried", status(500, ""), http.MethodPatch, merge, 1, 1, false},
		{"reset on server-side apply is retried", reset, http.MethodPatch, apply, 2, 3, true},
		{"reset on a delete is retried", reset, http.MethodDelete, "", 1, 2, true},
		{"reset on a create is not retried", reset, http.MethodPost, "application/json", 1, 1, false},
		{"gives up after maxRetries", status(503, ""), http.MethodGet, "", 10, 4, false},
		{"404 is an answer, not a fault", status(404, ""), http.MethodGet, "", 1, 1, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, calls := server(t, tc.fail, tc.fault)
			resp, waits, err := send(t, s.URL, tc.method, tc.ctype, 3)
			ok := err == nil && resp.StatusCode == http.StatusOK
			if ok != tc.wantOK || calls.Load() != tc.wantCalls {
				t.Fatalf("ok=%v (err %v) after %d calls; want ok=%v after %d", ok, err, calls.Load(), tc.wantOK, tc.wantCalls)
			}
			if tc.name == "429 honours Retry-After" && (len(waits) != 1 || waits[0] != time.Second) {
				t.Errorf("waits %v, want [1s]", waits)
			}
		})
	}
}

func TestRetryRefusedConnectionForAnyMethod(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens: connection refused
	_, waits, err := send(t, "http://"+addr, http.MethodPost, "application/json", 2)
	if err == nil || len(waits) != 2 {
		t.Fatalf("err %v after %d retries; want an error after 2 retries", err, len(waits))
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	for attempt := range 10 {
		d := backoff(attempt)
		hi := min(retryBase<<attempt, retryCap)
		if d < hi/2 || d > hi {
			t.Errorf("attempt %d: %s outside [%s, %s]", attempt, d, hi/2, hi)
		}
	}
}
