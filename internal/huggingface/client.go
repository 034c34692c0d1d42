// Package huggingface is a small client for the Hugging Face Hub API: model
// search, model info, file trees and file URLs, with retries, a per-process
// cache and gated-model errors that never reveal the token.
package huggingface

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultEndpoint is the public Hub.
const DefaultEndpoint = "https://huggingface.co"

// DefaultConcurrency bounds parallel per-model lookups.
const DefaultConcurrency = 8

// Client talks to one Hub endpoint. The zero value is usable; fields must not
// change after the first request.
type Client struct {
	// Endpoint is the Hub base URL (mirrors allowed); DefaultEndpoint if empty.
	Endpoint string
	// Token is sent as a bearer token when set (gated/private models).
	Token string
	// HTTPClient defaults to a client with a 60 s timeout.
	HTTPClient *http.Client
	// Concurrency bounds parallel per-model lookups; DefaultConcurrency if <= 0.
	Concurrency int
	// Retry configures retries on 429/5xx; DefaultRetry if zero.
	Retry RetryPolicy
	// Cache holds successful GET answers; the process-wide SharedCache if nil.
	Cache *Cache
	// UserAgent is sent with every request.
	UserAgent string
}

var defaultHTTPClient = &http.Client{Timeout: 60 * time.Second}

// New returns a client for endpoint (DefaultEndpoint if empty) and token.
func New(endpoint, token string) *Client {
	return &Client{Endpoint: endpoint, Token: token}
}

func (c *Client) endpoint() string {
	if c.Endpoint == "" {
		return DefaultEndpoint
	}
	return strings.TrimRight(c.Endpoint, "/")
}

func (c *Client) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return defaultHTTPClient
}

func (c *Client) cache() *Cache {
	if c.Cache != nil {
		return c.Cache
	}
	return SharedCache
}

func (c *Client) concurrency() int {
	if c.Concurrency > 0 {
		return c.Concurrency
	}
	return DefaultConcurrency
}

// response is a fully read successful answer.
type response struct {
	body   []byte
	header http.Header
}

// get performs a GET with retries and caching. model names the model the
// request is about (for error messages) and may be empty.
func (c *Client) get(ctx context.Context, rawURL, model string) (*response, error) {
	key := c.cacheKey(rawURL)
	return c.cache().do(key, func() (*response, error) {
		return c.getUncached(ctx, rawURL, model)
	})
}

func (c *Client) cacheKey(rawURL string) string {
	// The token is part of the identity (gated answers differ) but is hashed,
	// so cache keys are safe to log.
	return tokenFingerprint(c.Token) + " " + rawURL
}

func (c *Client) getUncached(ctx context.Context, rawURL, model string) (*response, error) {
	policy := c.Retry.withDefaults()
	for attempt := 0; ; attempt++ {
		resp, retryAfter, err := c.attempt(ctx, rawURL, model)
		if err == nil {
			return resp, nil
		}
		var apiErr *APIError
		retryable := errors.As(err, &apiErr) && isRetryable(apiErr.StatusCode)
		if !retryable && apiErr == nil && ctx.Err() == nil {
			retryable = true // transport error: connection reset, timeout...
		}
		if !retryable || attempt+1 >= policy.MaxAttempts {
			return nil, err
		}
		if err := policy.Sleep(ctx, policy.delay(attempt, retryAfter)); err != nil {
			return nil, err
		}
	}
}

func isRetryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

// attempt performs one request. retryAfter is the server's hint, or -1.
func (c *Client) attempt(ctx context.Context, rawURL, model string) (*response, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, -1, err
	}
	req.Header.Set("Accept", "application/json")
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	res, err := c.httpClient().Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, -1, ctx.Err()
		}
		return nil, -1, &redactedError{msg: "Hugging Face Hub: " + redact(err.Error(), c.Token), err: err}
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return nil, -1, &redactedError{msg: "Hugging Face Hub: reading " + rawURL + ": " + redact(err.Error(), c.Token), err: err}
	}
	if res.StatusCode/100 == 2 {
		return &response{body: body, header: res.Header}, -1, nil
	}
	return nil, parseRetryAfter(res.Header.Get("Retry-After"), time.Now()), &APIError{
		StatusCode: res.StatusCode,
		Method:     http.MethodGet,
		URL:        rawURL,
		Model:      model,
		Message:    redact(hubErrorMessage(body), c.Token),
	}
}

// hubErrorMessage extracts {"error": "..."} from a Hub error body.
func hubErrorMessage(body []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error != "" {
		return e.Error
	}
	s := strings.TrimSpace(string(body))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

func (c *Client) getJSON(ctx context.Context, rawURL, model string, v any) (http.Header, error) {
	resp, err := c.get(ctx, rawURL, model)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(resp.body, v); err != nil {
		return nil, fmt.Errorf("Hugging Face Hub: decoding %s: %w", rawURL, err) //nolint:staticcheck // ST1005: a proper noun
	}
	return resp.header, nil
}

// escapePath escapes each segment of a slash-separated path.
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// FileURL returns the download URL of file in model at revision ("main" if
// empty). The revision is escaped as one segment, as the Hub expects for
// refs like "refs/pr/1".
func (c *Client) FileURL(model, revision, file string) string {
	if revision == "" {
		revision = "main"
	}
	return fmt.Sprintf("%s/%s/resolve/%s/%s", c.endpoint(), escapePath(model), url.PathEscape(revision), escapePath(file))
}
