package gguf

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSourceInfo(t *testing.T) {
	sha := strings.Repeat("a1", 32)
	tree := func(w http.ResponseWriter, r *http.Request) {
		// Page 1 of the sub-directory listing points at page 2, where the file is.
		if r.URL.Query().Get("cursor") == "" {
			w.Header().Set("Link", `</api/models/org/repo/tree/refs%2Fpr%2F1/sub?cursor=2>; rel="next"`)
			_, _ = w.Write([]byte(`[{"type":"file","path":"sub/other.gguf","lfs":{"oid":"` + sha + `","size":1}}]`))
			return
		}
		_, _ = w.Write([]byte(`[{"type":"file","path":"sub/m-Q8_0.gguf","size":135,"lfs":{"oid":"` + sha + `","size":42}},
			{"type":"file","path":"sub/small.gguf","oid":"abc","size":10}]`))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.EscapedPath() {
		case "/api/models/org/repo/tree/refs%2Fpr%2F1/sub":
			tree(w, r)
		case "/api/models/org/gated/tree/main":
			http.Error(w, "restricted", http.StatusUnauthorized)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	s := Source{Endpoint: srv.URL + "/", Model: "org/repo", Revision: "refs/pr/1", File: "sub/m-Q8_0.gguf"}
	info, err := s.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if info.SHA256 != sha || info.Size != 42 || info.URL != srv.URL+"/org/repo/resolve/refs%2Fpr%2F1/sub/m-Q8_0.gguf" {
		t.Fatalf("info %+v", info)
	}

	s.File = "sub/small.gguf"
	if _, err := s.Info(t.Context()); err == nil || !strings.Contains(err.Error(), "no LFS sha256") {
		t.Fatalf("non-LFS file: %v", err)
	}
	s.File = "sub/missing.gguf"
	if _, err := s.Info(t.Context()); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("missing file: %v", err)
	}
	g := Source{Endpoint: srv.URL, Model: "org/gated", File: "x.gguf"}
	if _, err := g.Info(t.Context()); err == nil || !strings.Contains(err.Error(), "set a token") {
		t.Fatalf("gated without token: %v", err)
	}
	g.Token = "hf_x"
	if _, err := g.Info(t.Context()); err == nil || !strings.Contains(err.Error(), "has access") || strings.Contains(err.Error(), "hf_x") {
		t.Fatalf("gated with token: %v", err)
	}
}

func TestSourceValidate(t *testing.T) {
	for _, s := range []Source{
		{Model: "", File: "a.gguf"},
		{Model: "a/b/c", File: "a.gguf"},
		{Model: "a/b", File: "a.bin"},
		{Model: "a/b", File: "/abs.gguf"},
		{Model: "a/b", File: "x/../../y.gguf"},
	} {
		if err := s.validate(); err == nil {
			t.Errorf("%+v: want an error", s)
		}
	}
}

func TestRegistryAddressOverride(t *testing.T) {
	r := Registry{Address: "http://127.0.0.1:5000/"}
	ref, err := r.tagRef("localhost:30500/team/llama", "Q4_K_M")
	if err != nil {
		t.Fatal(err)
	}
	if got := ref.String(); got != "127.0.0.1:5000/team/llama:Q4_K_M" {
		t.Fatalf("push ref %s", got)
	}
	base, err := parseBase("localhost:30500/base/llama:server", r, "localhost:30500/team/llama")
	if err != nil || base.String() != "127.0.0.1:5000/base/llama:server" {
		t.Fatalf("base in the push registry: %v %v", base, err)
	}
	base, err = parseBase("ghcr.io/ggml-org/llama.cpp:server", r, "localhost:30500/team/llama")
	if err != nil || base.String() != "ghcr.io/ggml-org/llama.cpp:server" {
		t.Fatalf("base elsewhere: %v %v", base, err)
	}
	if _, err := (Registry{}).tagRef("Bad Repo", "x"); err == nil {
		t.Fatal("want an error for an invalid repository")
	}
}

func TestSetEnv(t *testing.T) {
	got := setEnv([]string{"PATH=/bin", "LLAMA_ARG_HOST=127.0.0.1", "X"}, map[string]string{"LLAMA_ARG_HOST": "0.0.0.0", "LLAMA_ARG_PORT": "5000"})
	want := []string{"PATH=/bin", "LLAMA_ARG_HOST=0.0.0.0", "X", "LLAMA_ARG_PORT=5000"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got %q want %q", got, want)
	}
}
