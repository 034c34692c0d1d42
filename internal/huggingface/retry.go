package huggingface

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy bounds retries of 429 and 5xx answers.
type RetryPolicy struct {
	// MaxAttempts includes the first try; 4 if zero.
	MaxAttempts int
	// BaseDelay is the first backoff, doubled per attempt; 500 ms if zero.
	BaseDelay time.Duration
	// MaxDelay caps every wait, including Retry-After; 30 s if zero.
	MaxDelay time.Duration
	// Sleep waits for d or until ctx is done; injectable so tests are fast.
	Sleep func(ctx context.Context, d time.Duration) error
}

// DefaultRetry is used when Client.Retry is the zero value.
var DefaultRetry = RetryPolicy{MaxAttempts: 4, BaseDelay: 500 * time.Millisecond, MaxDelay: 30 * time.Second}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultRetry.MaxAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultRetry.BaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = DefaultRetry.MaxDelay
	}
	if p.Sleep == nil {
		p.Sleep = SleepContext
	}
	return p
}

// delay returns the wait before retry number attempt+1: the server's
// Retry-After when given, else exponential backoff with jitter, both capped.
func (p RetryPolicy) delay(attempt int, retryAfter time.Duration) time.Duration {
	d := retryAfter
	if d < 0 {
		d = p.BaseDelay << attempt
		d += time.Duration(rand.Int64N(int64(d)/4 + 1)) // jitter spreads concurrent retries
	}
	return min(d, p.MaxDelay)
}

// SleepContext sleeps for d unless ctx ends first.
func SleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// parseRetryAfter accepts delay-seconds or an HTTP date; -1 if absent/invalid.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return -1
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return -1
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return -1
}
