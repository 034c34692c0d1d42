package huggingface

import (
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":                              -1,
		"12":                            12 * time.Second,
		"-3":                            -1,
		"soon":                          -1,
		"Thu, 01 Jan 2026 00:00:05 GMT": 5 * time.Second,
		"Wed, 31 Dec 2025 23:59:00 GMT": 0,
	} {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestNextLink(t *testing.T) {
	cur := "https://hub.example/api/models?search=x"
	for header, want := range map[string]string{
		"": "",
		`<https://hub.example/api/models?cursor=abc>; rel="next"`:                        "https://hub.example/api/models?cursor=abc",
		`</api/models?cursor=d>; rel=next`:                                               "https://hub.example/api/models?cursor=d",
		`<https://a/prev>; rel="prev", <https://hub.example/api/models?c=2>; rel="next"`: "https://hub.example/api/models?c=2",
		`<https://a/prev>; rel="prev"`:                                                   "",
	} {
		got, err := nextLink(cur, header)
		if err != nil || got != want {
			t.Errorf("nextLink(%q) = %q, %v; want %q", header, got, err, want)
		}
	}
}

func TestRedact(t *testing.T) {
	if got := redact("Get x: token hf_abc leaked", "hf_abc"); got != "Get x: token <redacted> leaked" {
		t.Error(got)
	}
}
