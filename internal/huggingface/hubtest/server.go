// Package hubtest is an in-process fake of the Hugging Face Hub endpoints the
// provider uses, for tests of any package:
//
//	GET /api/models?search=…&limit=…&expand[]=…   (Link: rel="next" pagination)
//	GET /api/models/{owner}/{name}
//	GET /api/models/{owner}/{name}/tree/{rev}[/{path}]?recursive=true
//	GET|HEAD /{owner}/{name}/resolve/{rev}/{file}  (Range requests supported)
//
// New starts it with the fixtures in fixtures/ plus a GGUF repository
// (GGUFModel) whose files are real, tiny GGUF v3 models:
//
//	s := hubtest.New(t, hubtest.WithToken("hf_test"))
//	s.AddFile("acme/model-GGUF", "model-Q4_K_M.gguf", hubtest.BuildGGUF(hubtest.DefaultGGUFSpec))
//	client := huggingface.New(s.URL, "hf_test")
package hubtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Well-known fixture ids.
const (
	QwenModel    = "Qwen/Qwen3-0.6B"                      // transformers, Qwen3ForCausalLM
	GatedModel   = "meta-llama/Llama-3.2-1B-Instruct"     // gated "manual", no config.architectures
	GGUFModel    = "bartowski/Llama-3.2-1B-Instruct-GGUF" // library gguf, three .gguf files
	EmbedModel   = "sentence-transformers/all-MiniLM-L6-v2"
	ExoticModel  = "acme-labs/Exotic-7B"  // architecture no engine supports
	PrivateModel = "acme-labs/Private-3B" // private: 401 without the token
)

// GGUFFiles are the files of GGUFModel, with their general.file_type.
var GGUFFiles = map[string]uint32{
	"Llama-3.2-1B-Instruct-Q4_K_M.gguf": 15,
	"Llama-3.2-1B-Instruct-Q8_0.gguf":   7,
	"Llama-3.2-1B-Instruct-f16.gguf":    1,
}

// Server is the fake Hub. All methods are safe for concurrent use.
type Server struct {
	*httptest.Server
	// URL is the endpoint to configure clients with.
	URL string

	latency  time.Duration
	token    string
	pageSize int

	mu       sync.Mutex
	models   map[string]*model
	failures []failure
	requests map[string]int
	served   map[string]int64
	inFlight int
	maxIn    int
}

type failure struct {
	prefix     string
	remaining  int
	status     int
	retryAfter string
}

// Option configures New.
type Option func(*Server)

// WithLatency delays every answer by d (per request, like network latency).
func WithLatency(d time.Duration) Option { return func(s *Server) { s.latency = d } }

// WithToken sets the only bearer token the server accepts; gated files and
// private models need it.
func WithToken(token string) Option { return func(s *Server) { s.token = token } }

// WithPageSize sets how many items a list page holds before Link: rel="next".
func WithPageSize(n int) Option { return func(s *Server) { s.pageSize = n } }

// WithoutFixtures starts with no models at all.
func WithoutFixtures() Option { return func(s *Server) { s.models = map[string]*model{} } }

// New starts a server that is closed when the test ends.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	models, err := loadFixtures()
	if err != nil {
		t.Fatalf("hubtest fixtures: %v", err)
	}
	s := &Server{models: models, pageSize: 20, requests: map[string]int{}, served: map[string]int64{}}
	for _, o := range opts {
		o(s)
	}
	if _, ok := s.models[GGUFModel]; ok {
		s.addDefaultFiles()
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.Server.URL
	t.Cleanup(s.Close)
	return s
}

func (s *Server) addDefaultFiles() {
	for name, ft := range GGUFFiles {
		spec := DefaultGGUFSpec
		spec.Name, spec.FileType = "Llama-3.2-1B-Instruct", ft
		s.AddFile(GGUFModel, name, BuildGGUF(spec))
	}
	s.AddFile(GGUFModel, "README.md", []byte("# Llama-3.2-1B-Instruct-GGUF\n"))
	s.AddFile(GatedModel, "config.json", []byte(`{"architectures":["LlamaForCausalLM"],"model_type":"llama","max_position_embeddings":131072,"torch_dtype":"bfloat16"}`))
	s.AddFile(GatedModel, "model.safetensors", bytes.Repeat([]byte{0}, 4096))
	s.AddFile(QwenModel, "config.json", []byte(`{"architectures":["Qwen3ForCausalLM"],"model_type":"qwen3","max_position_embeddings":40960,"torch_dtype":"bfloat16"}`))
	s.AddFile(QwenModel, "model.safetensors", bytes.Repeat([]byte{1}, 4096))
}

// AddModel adds or replaces a model from its Hub JSON document (must have "id").
func (s *Server) AddModel(doc string) {
	m := &model{doc: map[string]any{}, files: map[string][]byte{}}
	if err := json.Unmarshal([]byte(doc), &m.doc); err != nil {
		panic("hubtest.AddModel: " + err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.models[m.str("id")]; ok {
		m.files = old.files
	}
	m.refreshSiblings()
	s.models[m.str("id")] = m
}

// AddFile adds (or replaces) a file; the model is created if unknown.
func (s *Server) AddFile(modelID, name string, content []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.models[modelID]
	if !ok {
		m = &model{doc: newModelDoc(modelID), files: map[string][]byte{}}
		s.models[modelID] = m
	}
	m.files[name] = content
	m.refreshSiblings()
}

// SetGated sets a model's "gated" field: "auto", "manual" or "" (not gated).
func (s *Server) SetGated(modelID, gated string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.models[modelID]; ok {
		if gated == "" {
			m.doc["gated"] = false
		} else {
			m.doc["gated"] = gated
		}
	}
}

// FailNext answers the next times requests whose path starts with prefix
// with status (and a Retry-After header when retryAfter is not empty).
func (s *Server) FailNext(prefix string, times, status int, retryAfter string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, failure{prefix, times, status, retryAfter})
}

// Requests returns how many requests hit exactly path (failed ones included).
func (s *Server) Requests(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path]
}

// TotalRequests returns the number of requests served so far.
func (s *Server) TotalRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, v := range s.requests {
		n += v
	}
	return n
}

// BytesServed returns the body bytes sent for one file of a model.
func (s *Server) BytesServed(modelID, name string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.served[modelID+"/"+name]
}

// MaxInFlight returns the highest number of concurrent requests seen.
func (s *Server) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxIn
}

// FileSHA256 returns the hex sha256 of a file, as the tree reports in lfs.oid.
func (s *Server) FileSHA256(modelID, name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.models[modelID]
	if !ok {
		return ""
	}
	e := treeEntry(name, m.files[name])
	if l, ok := e["lfs"].(map[string]any); ok {
		return l["oid"].(string)
	}
	return ""
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests[r.URL.Path]++
	s.inFlight++
	s.maxIn = max(s.maxIn, s.inFlight)
	f := s.takeFailure(r.URL.Path)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()

	if s.latency > 0 {
		select {
		case <-time.After(s.latency):
		case <-r.Context().Done():
			return
		}
	}
	if f != nil {
		if f.retryAfter != "" {
			w.Header().Set("Retry-After", f.retryAfter)
		}
		writeError(w, f.status, http.StatusText(f.status))
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	if auth := r.Header.Get("Authorization"); auth != "" && !s.validAuth(auth) {
		writeError(w, http.StatusUnauthorized, "Invalid credentials in Authorization header")
		return
	}

	p := r.URL.EscapedPath()
	switch {
	case p == "/api/models":
		s.handleSearch(w, r)
	case strings.HasPrefix(p, "/api/models/"):
		s.handleModelAPI(w, r, strings.TrimPrefix(p, "/api/models/"))
	default:
		s.handleResolve(w, r, strings.TrimPrefix(p, "/"))
	}
}

func (s *Server) takeFailure(path string) *failure {
	for i := range s.failures {
		f := &s.failures[i]
		if f.remaining > 0 && strings.HasPrefix(path, f.prefix) {
			f.remaining--
			c := *f
			return &c
		}
	}
	return nil
}

func (s *Server) validAuth(h string) bool {
	return s.token != "" && h == "Bearer "+s.token
}

func (s *Server) lookup(id string) *model {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.models[id]
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
