package gguftest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Hub is a fake Hugging Face Hub serving resolve and tree URLs.
type Hub struct {
	URL       string
	Token     string // when set, every request must carry "Authorization: Bearer <Token>"
	mu        sync.Mutex
	files     map[string]*hubFile // key: model@rev/file
	Downloads atomic.Int64
	// SawToken records whether a request carried the expected token.
	SawToken atomic.Bool
}

type hubFile struct {
	model *Model
	sha   string // advertised sha256; differs from the model's to simulate corruption
}

// NewHub starts a fake Hub that stops when the test ends.
func NewHub(tb testing.TB) *Hub {
	h := &Hub{files: map[string]*hubFile{}}
	srv := httptest.NewServer(http.HandlerFunc(h.route))
	tb.Cleanup(srv.Close)
	h.URL = srv.URL
	return h
}

// Add publishes m as model@rev/file.
func (h *Hub) Add(model, rev, file string, m *Model) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.files[model+"@"+rev+"/"+file] = &hubFile{model: m, sha: m.SHA256()}
}

// Advertise makes the tree listing claim sha for a file (for checksum-mismatch tests).
func (h *Hub) Advertise(model, rev, file, sha string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.files[model+"@"+rev+"/"+file].sha = sha
}

func (h *Hub) authorized(w http.ResponseWriter, r *http.Request) bool {
	if h.Token == "" {
		return true
	}
	if r.Header.Get("Authorization") != "Bearer "+h.Token {
		http.Error(w, `{"error":"Access to model is restricted"}`, http.StatusUnauthorized)
		return false
	}
	h.SawToken.Store(true)
	return true
}

// route splits the Hub's two URL layouts by hand: ServeMux patterns for them overlap.
func (h *Hub) route(w http.ResponseWriter, r *http.Request) {
	parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 6)
	set := func(names ...string) {
		for i, n := range names {
			r.SetPathValue(n, parts[i])
		}
	}
	switch {
	case len(parts) == 6 && parts[0] == "api" && parts[1] == "models" && parts[4] == "tree" && r.Method == http.MethodGet:
		rest := strings.SplitN(parts[5], "/", 2) // rev[/dir]
		parts = append([]string{parts[2], parts[3]}, rest...)
		if len(parts) == 4 {
			set("org", "name", "rev", "dir")
		} else {
			set("org", "name", "rev")
		}
		h.tree(w, r)
	case len(parts) >= 5 && parts[2] == "resolve" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		rest := strings.SplitN(strings.Join(parts[3:], "/"), "/", 2)
		parts = []string{parts[0], parts[1], rest[0], rest[1]}
		set("org", "name", "rev", "file")
		h.resolve(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (h *Hub) tree(w http.ResponseWriter, r *http.Request) {
	if !h.authorized(w, r) {
		return
	}
	model := r.PathValue("org") + "/" + r.PathValue("name")
	prefix := model + "@" + r.PathValue("rev") + "/"
	dir := r.PathValue("dir")
	type lfs struct {
		OID  string `json:"oid"`
		Size int64  `json:"size"`
	}
	type entry struct {
		Type string `json:"type"`
		OID  string `json:"oid"`
		Size int64  `json:"size"`
		Path string `json:"path"`
		LFS  *lfs   `json:"lfs,omitempty"`
	}
	out := []entry{{Type: "file", OID: "0000000000000000000000000000000000000000", Size: 12, Path: path.Join(dir, "README.md")}}
	h.mu.Lock()
	for k, f := range h.files {
		p, ok := strings.CutPrefix(k, prefix)
		if !ok || path.Dir(p) != path.Clean("./"+dir) && !(dir == "" && path.Dir(p) == ".") {
			continue
		}
		out = append(out, entry{Type: "file", OID: "1111111111111111111111111111111111111111", Size: f.model.Size, Path: p, LFS: &lfs{OID: f.sha, Size: f.model.Size}})
	}
	h.mu.Unlock()
	if len(out) == 1 && dir == "" {
		found := false
		h.mu.Lock()
		for k := range h.files {
			found = found || strings.HasPrefix(k, prefix)
		}
		h.mu.Unlock()
		if !found {
			http.Error(w, `{"error":"Repository not found"}`, http.StatusNotFound)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

func (h *Hub) resolve(w http.ResponseWriter, r *http.Request) {
	if !h.authorized(w, r) {
		return
	}
	key := r.PathValue("org") + "/" + r.PathValue("name") + "@" + r.PathValue("rev") + "/" + r.PathValue("file")
	h.mu.Lock()
	f := h.files[key]
	h.mu.Unlock()
	if f == nil {
		http.Error(w, "Entry not found", http.StatusNotFound)
		return
	}
	if r.Method == http.MethodGet {
		h.Downloads.Add(1)
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("ETag", `"`+f.model.SHA256()+`"`)
	http.ServeContent(w, r, path.Base(key), time.Unix(1700000000, 0), f.model.Reader())
}
