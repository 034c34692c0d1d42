package gguf_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gguf"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gguf/buildkittest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gguf/gguftest"
)

// One buildkitd serves every test in the package; it is started lazily so the pure unit
// tests do not pay for it.
var (
	daemonOnce sync.Once
	daemon     *buildkittest.Daemon
	daemonErr  error
)

func builder(t *testing.T) string {
	t.Helper()
	daemonOnce.Do(func() { daemon, daemonErr = startDaemon() })
	if daemonErr != nil {
		t.Fatal(daemonErr)
	}
	return daemon.Address
}

func startDaemon() (*buildkittest.Daemon, error) { return buildkittest.Start(context.Background()) }

func TestMain(m *testing.M) {
	code := m.Run()
	if daemon != nil {
		if err := daemon.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping buildkitd:", err)
		}
	}
	os.Exit(code)
}

var methods = []string{gguf.MethodDirect, gguf.MethodBuildKit}

type fixture struct {
	hub   *gguftest.Hub
	reg   string
	base  string
	model *gguftest.Model
}

const (
	testModel = "kubefoundry/tiny-GGUF"
	testFile  = "tiny-1B-Instruct-Q4_K_M.gguf"
)

func newFixture(t *testing.T) *fixture {
	f := &fixture{hub: gguftest.NewHub(t), reg: gguftest.NewRegistry(t)}
	f.base = gguftest.PushBase(t, f.reg)
	f.model = gguftest.NewModel(3<<20+123, 1)
	f.hub.Add(testModel, "main", testFile, f.model)
	return f
}

func (f *fixture) spec(t *testing.T, method string) gguf.Spec {
	s := gguf.Spec{
		Source:     gguf.Source{Endpoint: f.hub.URL, Model: testModel, File: testFile},
		Repository: f.reg + "/models/tiny",
		BaseImage:  f.base,
		Method:     method,
		Progress:   func(msg string) { t.Log(msg) },
	}
	if method == gguf.MethodBuildKit {
		s.Builder = builder(t)
	}
	return s
}

func TestBuild(t *testing.T) {
	for _, method := range methods {
		t.Run(method, func(t *testing.T) {
			f := newFixture(t)
			ctx := t.Context()
			res, err := gguf.Build(ctx, f.spec(t, method))
			if err != nil {
				t.Fatal(err)
			}
			repo := f.reg + "/models/tiny"
			if res.Image != repo+":Q4_K_M" || res.ImageByDigest != repo+"@"+res.Digest || res.ModelSHA256 != f.model.SHA256() {
				t.Fatalf("unexpected result %+v", res)
			}
			if res.SizeBytes <= 0 {
				t.Fatalf("size_bytes = %d", res.SizeBytes)
			}
			assertImage(t, f, res)

			again, err := gguf.Build(ctx, f.spec(t, method))
			if err != nil {
				t.Fatal(err)
			}
			if again.Digest != res.Digest {
				t.Fatalf("rebuild of identical inputs changed the digest: %s -> %s", res.Digest, again.Digest)
			}

			// A new revision of the model makes a new image.
			f.hub.Add(testModel, "v2", testFile, gguftest.NewModel(2<<20, 2))
			s := f.spec(t, method)
			s.Source.Revision = "v2"
			changed, err := gguf.Build(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			if changed.Digest == res.Digest || changed.ModelSHA256 == res.ModelSHA256 {
				t.Fatalf("changed model kept digest %s", changed.Digest)
			}
		})
	}
}

func assertImage(t *testing.T, f *fixture, res *gguf.Result) {
	t.Helper()
	base := gguftest.Pull(t, f.base)
	img := gguftest.Pull(t, res.ImageByDigest)
	dgst, err := img.Digest()
	if err != nil || dgst.String() != res.Digest {
		t.Fatalf("digest %s, want %s (%v)", dgst, res.Digest, err)
	}
	baseLayers, _ := base.Layers()
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	if len(layers) != len(baseLayers)+1 {
		t.Fatalf("got %d layers, want base's %d + 1", len(layers), len(baseLayers))
	}
	for i, bl := range baseLayers {
		bd, _ := bl.DiffID()
		d, _ := layers[i].DiffID()
		if bd != d {
			t.Fatalf("layer %d: diff id %s, base has %s", i, d, bd)
		}
	}
	file := gguftest.FileInLayer(t, layers[len(layers)-1], "/models/"+testFile)
	if file == nil {
		t.Fatalf("model layer has no /models/%s", testFile)
	}
	if file.SHA256 != f.model.SHA256() || file.Size != f.model.Size || !strings.HasPrefix(string(file.Head), "GGUF") {
		t.Fatalf("model in image: size %d sha %s head %q; want size %d sha %s", file.Size, file.SHA256, file.Head[:4], f.model.Size, f.model.SHA256())
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.Config
	if !slices.Equal(c.Entrypoint, gguftest.BaseEntrypoint) {
		t.Errorf("entrypoint %q, want the base's %q", c.Entrypoint, gguftest.BaseEntrypoint)
	}
	wantCmd := []string{"--model", "/models/" + testFile, "--host", "0.0.0.0", "--port", "5000"}
	if !slices.Equal(c.Cmd, wantCmd) {
		t.Errorf("cmd %q, want %q", c.Cmd, wantCmd)
	}
	if _, ok := c.ExposedPorts["5000/tcp"]; !ok || len(c.ExposedPorts) != 1 {
		t.Errorf("exposed ports %v, want only 5000/tcp", c.ExposedPorts)
	}
	for _, kv := range []string{"LLAMA_ARG_MODEL=/models/" + testFile, "LLAMA_ARG_HOST=0.0.0.0", "LLAMA_ARG_PORT=5000"} {
		if !slices.Contains(c.Env, kv) {
			t.Errorf("env %q lacks %s", c.Env, kv)
		}
	}
	if !slices.ContainsFunc(c.Env, func(s string) bool { return strings.HasPrefix(s, "PATH=") }) {
		t.Errorf("env %q lost the base's PATH", c.Env)
	}
	for k, v := range map[string]string{
		gguf.LabelModel: testModel, gguf.LabelFile: testFile, gguf.LabelSHA256: f.model.SHA256(),
		gguf.LabelRevision: "main", "org.opencontainers.image.title": "fake-llama-cpp",
	} {
		if c.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, c.Labels[k], v)
		}
	}
	if cfg.Architecture != "amd64" || cfg.OS != "linux" {
		t.Errorf("platform %s/%s", cfg.OS, cfg.Architecture)
	}
}

func TestChecksumMismatch(t *testing.T) {
	for _, method := range methods {
		t.Run(method, func(t *testing.T) {
			f := newFixture(t)
			wrong := strings.Repeat("ab", 32)
			f.hub.Advertise(testModel, "main", testFile, wrong)
			_, err := gguf.Build(t.Context(), f.spec(t, method))
			if !errors.Is(err, gguf.ErrChecksumMismatch) {
				t.Fatalf("want ErrChecksumMismatch, got %v", err)
			}
			if !strings.Contains(err.Error(), wrong) {
				t.Errorf("error does not name the expected sha256: %v", err)
			}
			t.Logf("error: %v", err)
			s := f.spec(t, method)
			if ok, err := s.Registry.Exists(t.Context(), s.Repository, "sha256:"+wrong); err != nil || ok {
				t.Fatalf("exists=%v err=%v", ok, err)
			}
			if img := tagExists(t, s.Repository+":Q4_K_M"); img {
				t.Fatal("a corrupt model was pushed")
			}
		})
	}
}

func tagExists(t *testing.T, ref string) bool {
	t.Helper()
	r := gguf.Registry{}
	repo, tag, _ := strings.Cut(ref[strings.LastIndex(ref, "/"):], ":")
	repo = ref[:strings.LastIndex(ref, "/")] + repo
	ok, err := r.TagExists(t.Context(), repo, tag)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestGatedModel(t *testing.T) {
	for _, method := range methods {
		t.Run(method, func(t *testing.T) {
			f := newFixture(t)
			f.hub.Token = "hf_secret_test_token"
			s := f.spec(t, method)
			var logs []string
			s.Progress = func(m string) { logs = append(logs, m) }
			if _, err := gguf.Build(t.Context(), s); err == nil || !strings.Contains(err.Error(), "access denied") {
				t.Fatalf("want access denied without a token, got %v", err)
			}
			s.Source.Token = f.hub.Token
			if _, err := gguf.Build(t.Context(), s); err != nil {
				t.Fatal(err)
			}
			for _, l := range logs {
				if strings.Contains(l, f.hub.Token) {
					t.Fatalf("token leaked into progress: %q", l)
				}
			}
		})
	}
}

func TestDeleteTag(t *testing.T) {
	f := newFixture(t)
	s := f.spec(t, gguf.MethodDirect)
	res, err := gguf.Build(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if ok, err := s.Registry.Exists(ctx, s.Repository, res.Digest); err != nil || !ok {
		t.Fatalf("exists=%v err=%v", ok, err)
	}
	if err := s.Registry.DeleteTag(ctx, s.Repository, "Q4_K_M", res.Digest); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Registry.Exists(ctx, s.Repository, res.Digest); err != nil || ok {
		t.Fatalf("after delete: exists=%v err=%v", ok, err)
	}
	// Deleting again, or an image that never existed, is fine.
	if err := s.Registry.DeleteTag(ctx, s.Repository, "Q4_K_M", res.Digest); err != nil {
		t.Fatal(err)
	}
	if err := s.Registry.DeleteTag(ctx, f.reg+"/never/pushed", "x", "sha256:"+strings.Repeat("0", 64)); err != nil {
		t.Fatal(err)
	}
}

// Pushing through a different address (port-forward, Service name) than the one nodes pull.
func TestBuildPushAddress(t *testing.T) {
	for _, method := range methods {
		t.Run(method, func(t *testing.T) {
			f := newFixture(t)
			s := f.spec(t, method)
			s.Repository = "localhost:30500/models/tiny"
			s.Registry.Address = f.reg
			res, err := gguf.Build(t.Context(), s)
			if err != nil {
				t.Fatal(err)
			}
			if res.Image != "localhost:30500/models/tiny:Q4_K_M" || res.ImageByDigest != "localhost:30500/models/tiny@"+res.Digest {
				t.Fatalf("outputs must name the pull repository: %+v", res)
			}
			pushed := gguftest.Pull(t, f.reg+"/models/tiny@"+res.Digest)
			if d, _ := pushed.Digest(); d.String() != res.Digest {
				t.Fatalf("pushed digest %s, want %s", d, res.Digest)
			}
		})
	}
}

func TestInspect(t *testing.T) {
	f := newFixture(t)
	s := f.spec(t, gguf.MethodDirect)
	res, err := gguf.Build(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{res.Image, res.ImageByDigest} {
		b, err := s.Registry.Inspect(t.Context(), ref)
		if err != nil {
			t.Fatal(err)
		}
		if b.Result != *res || b.Repository != s.Repository || b.Tag != "Q4_K_M" || b.Source.Model != testModel ||
			b.Source.File != testFile || b.Source.Revision != "main" || b.BaseImage != f.base || b.Method != gguf.MethodDirect || b.Platform != "linux/amd64" {
			t.Fatalf("%s: inspected %+v, built %+v", ref, b, res)
		}
	}
	if _, err := s.Registry.Inspect(t.Context(), f.base); err == nil || !strings.Contains(err.Error(), "not built by") {
		t.Fatalf("base image: %v", err)
	}
}
