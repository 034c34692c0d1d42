package huggingface

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"
)

// Cache memoizes successful GET answers and collapses concurrent identical
// requests into one. Terraform calls every data source in one provider
// process, so a shared cache avoids asking the Hub twice per plan.
type Cache struct {
	TTL time.Duration

	mu       sync.Mutex
	entries  map[string]cacheEntry
	inflight map[string]*call
}

type cacheEntry struct {
	resp    *response
	expires time.Time
}

type call struct {
	done chan struct{}
	resp *response
	err  error
}

// SharedCache is the per-process cache used by clients without their own.
var SharedCache = NewCache(10 * time.Minute)

// NewCache returns an empty cache whose entries live for ttl.
func NewCache(ttl time.Duration) *Cache {
	return &Cache{TTL: ttl, entries: map[string]cacheEntry{}, inflight: map[string]*call{}}
}

// Clear drops every entry.
func (c *Cache) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = map[string]cacheEntry{}
}

func (c *Cache) do(key string, fetch func() (*response, error)) (*response, error) {
	c.mu.Lock()
	if e, ok := c.entries[key]; ok && time.Now().Before(e.expires) {
		c.mu.Unlock()
		return e.resp, nil
	}
	if cl, ok := c.inflight[key]; ok {
		c.mu.Unlock()
		<-cl.done
		return cl.resp, cl.err
	}
	cl := &call{done: make(chan struct{})}
	c.inflight[key] = cl
	c.mu.Unlock()

	cl.resp, cl.err = fetch()

	c.mu.Lock()
	delete(c.inflight, key)
	if cl.err == nil {
		c.entries[key] = cacheEntry{resp: cl.resp, expires: time.Now().Add(c.TTL)}
	}
	c.mu.Unlock()
	close(cl.done)
	return cl.resp, cl.err
}

func tokenFingerprint(token string) string {
	if token == "" {
		return "anon"
	}
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:8])
}
