package huggingface_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface/hubtest"
)

const testToken = "hf_secretTestToken123"

// recorder is an injectable sleeper that records waits instead of sleeping.
type recorder struct {
	mu     sync.Mutex
	delays []time.Duration
}

func (r *recorder) sleep(_ context.Context, d time.Duration) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.delays = append(r.delays, d)
	return nil
}

func newClient(s *hubtest.Server, token string) (*huggingface.Client, *recorder) {
	rec := &recorder{}
	return &huggingface.Client{
		Endpoint: s.URL,
		Token:    token,
		Cache:    huggingface.NewCache(time.Minute),
		Retry:    huggingface.RetryPolicy{Sleep: rec.sleep},
	}, rec
}

func TestSearchPaginatesWithExpand(t *testing.T) {
	s := hubtest.New(t, hubtest.WithPageSize(2))
	c, _ := newClient(s, "")
	got, err := c.Search(context.Background(), "", 5)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range got {
		ids = append(ids, m.ID)
	}
	// Sorted by downloads; the private model is hidden from anonymous search.
	want := []string{hubtest.EmbedModel, hubtest.QwenModel, hubtest.GatedModel, hubtest.GGUFModel, hubtest.ExoticModel}
	if strings.Join(ids, ",") != strings.Join(want, ",") {
		t.Fatalf("ids = %v, want %v", ids, want)
	}
	if s.Requests("/api/models") != 3 {
		t.Errorf("pages fetched = %d, want 3", s.Requests("/api/models"))
	}
	if got[1].PipelineTag != "text-generation" || got[1].LibraryName != "transformers" {
		t.Errorf("expand fields missing: %+v", got[1])
	}
	if got[1].Config != nil {
		t.Errorf("config is not in the expand list, got %+v", got[1].Config)
	}
	if !got[2].Gated.IsGated() || got[2].Gated != "manual" {
		t.Errorf("gated = %q", got[2].Gated)
	}
}

func TestSearchLimitStopsPaging(t *testing.T) {
	s := hubtest.New(t, hubtest.WithPageSize(2))
	c, _ := newClient(s, "")
	got, err := c.Search(context.Background(), "llama", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != hubtest.GatedModel || s.Requests("/api/models") != 1 {
		t.Fatalf("got %v after %d requests", got, s.Requests("/api/models"))
	}
}

func TestModelInfo(t *testing.T) {
	s := hubtest.New(t)
	c, _ := newClient(s, "")
	ctx := context.Background()

	q, err := c.ModelInfo(ctx, hubtest.QwenModel)
	if err != nil {
		t.Fatal(err)
	}
	if q.Config == nil || q.Config.Architectures[0] != "Qwen3ForCausalLM" || q.Safetensors.Total != 751632384 {
		t.Errorf("qwen = %+v", q)
	}
	g, err := c.ModelInfo(ctx, hubtest.GatedModel)
	if err != nil {
		t.Fatal(err)
	}
	if g.Config != nil || g.Gated != "manual" {
		t.Errorf("gated model: config %+v gated %q", g.Config, g.Gated)
	}
	f, err := c.ModelInfo(ctx, hubtest.GGUFModel)
	if err != nil {
		t.Fatal(err)
	}
	if f.GGUF == nil || f.GGUF.ContextLength != 131072 || len(f.Siblings) != 4 {
		t.Errorf("gguf = %+v siblings %v", f.GGUF, f.Siblings)
	}
	if _, err := c.ModelInfo(ctx, "nobody/missing"); !errors.Is(err, huggingface.ErrNotFound) {
		t.Errorf("missing model: %v", err)
	}
	if _, err := c.ModelInfo(ctx, "../etc/passwd"); err == nil {
		t.Error("path traversal id accepted")
	}
}

func TestGatedErrorsNeverShowToken(t *testing.T) {
	s := hubtest.New(t, hubtest.WithToken(testToken))
	ctx := context.Background()

	anon, _ := newClient(s, "")
	_, err := anon.File(ctx, hubtest.GatedModel, "", "config.json")
	if !errors.Is(err, huggingface.ErrGated) {
		t.Fatalf("want ErrGated, got %v", err)
	}
	if !strings.Contains(err.Error(), "accept the license on the Hub and set a token (provider huggingface.token or HF_TOKEN)") ||
		!strings.Contains(err.Error(), hubtest.GatedModel) {
		t.Errorf("message = %q", err)
	}

	wrong, _ := newClient(s, "hf_wrongToken")
	_, err = wrong.ModelInfo(ctx, hubtest.PrivateModel)
	if !errors.Is(err, huggingface.ErrGated) || strings.Contains(err.Error(), "hf_wrongToken") {
		t.Errorf("private with wrong token: %v", err)
	}

	good, _ := newClient(s, testToken)
	n, err := good.ContextLength(ctx, hubtest.GatedModel, "main")
	if err != nil || n != 131072 {
		t.Fatalf("context length = %d, %v", n, err)
	}
	if _, err := good.ModelInfo(ctx, hubtest.PrivateModel); err != nil {
		t.Fatal(err)
	}
}

func TestRetriesHonourRetryAfter(t *testing.T) {
	s := hubtest.New(t)
	s.FailNext("/api/models/Qwen", 2, 429, "7")
	c, rec := newClient(s, "")
	if _, err := c.ModelInfo(context.Background(), hubtest.QwenModel); err != nil {
		t.Fatal(err)
	}
	if len(rec.delays) != 2 || rec.delays[0] != 7*time.Second || rec.delays[1] != 7*time.Second {
		t.Errorf("delays = %v", rec.delays)
	}
}

func TestRetryAfterIsCapped(t *testing.T) {
	s := hubtest.New(t)
	s.FailNext("/api/models/Qwen", 1, 503, "3600")
	c, rec := newClient(s, "")
	c.Retry.MaxDelay = 5 * time.Second
	if _, err := c.ModelInfo(context.Background(), hubtest.QwenModel); err != nil {
		t.Fatal(err)
	}
	if len(rec.delays) != 1 || rec.delays[0] != 5*time.Second {
		t.Errorf("delays = %v", rec.delays)
	}
}

func TestRetriesAreBounded(t *testing.T) {
	s := hubtest.New(t)
	s.FailNext("/api/models", 100, 502, "")
	c, rec := newClient(s, "")
	_, err := c.Search(context.Background(), "x", 3)
	var apiErr *huggingface.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 502 {
		t.Fatalf("err = %v", err)
	}
	if s.Requests("/api/models") != 4 || len(rec.delays) != 3 {
		t.Errorf("requests %d, delays %v", s.Requests("/api/models"), rec.delays)
	}
	// Exponential: each backoff at least doubles the base.
	if rec.delays[0] < 500*time.Millisecond || rec.delays[2] < 2*time.Second {
		t.Errorf("backoff %v", rec.delays)
	}
}

func TestNoRetryOnClientError(t *testing.T) {
	s := hubtest.New(t)
	c, rec := newClient(s, "")
	_, err := c.ModelInfo(context.Background(), "nobody/missing")
	if err == nil || len(rec.delays) != 0 || s.Requests("/api/models/nobody/missing") != 1 {
		t.Errorf("err %v delays %v", err, rec.delays)
	}
}

func TestCacheAndCollapse(t *testing.T) {
	s := hubtest.New(t, hubtest.WithLatency(20*time.Millisecond))
	c, _ := newClient(s, "")
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if _, err := c.ModelInfo(context.Background(), hubtest.QwenModel); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if _, err := c.ModelInfo(context.Background(), hubtest.QwenModel); err != nil {
		t.Fatal(err)
	}
	if n := s.Requests("/api/models/" + hubtest.QwenModel); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
	// A different token is a different cache identity.
	other := *c
	other.Token = "hf_other"
	_, _ = other.ModelInfo(context.Background(), hubtest.QwenModel)
	if n := s.Requests("/api/models/" + hubtest.QwenModel); n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
}

func TestTreeAndFileURL(t *testing.T) {
	s := hubtest.New(t, hubtest.WithPageSize(2))
	c, _ := newClient(s, "")
	files, err := c.Tree(context.Background(), hubtest.GGUFModel, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 4 {
		t.Fatalf("files = %+v", files)
	}
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".gguf") {
			if f.SHA256() != s.FileSHA256(hubtest.GGUFModel, f.Path) || f.LFS.Size != f.Size || f.Size == 0 {
				t.Errorf("%s: lfs %+v size %d", f.Path, f.LFS, f.Size)
			}
		} else if f.LFS != nil {
			t.Errorf("%s should not be LFS", f.Path)
		}
	}
	got := c.FileURL("org/model", "refs/pr/1", "sub dir/x.gguf")
	want := s.URL + "/org/model/resolve/refs%2Fpr%2F1/sub%20dir/x.gguf"
	if got != want {
		t.Errorf("FileURL = %s, want %s", got, want)
	}
}

func TestSearchModelsIsConcurrentAndBounded(t *testing.T) {
	s := hubtest.New(t, hubtest.WithoutFixtures(), hubtest.WithLatency(30*time.Millisecond), hubtest.WithPageSize(100))
	for i := range 12 {
		s.AddModel(`{"id":"org/m-` + string(rune('a'+i)) + `-1B","pipeline_tag":"text-generation","downloads":1}`)
	}
	c, _ := newClient(s, "")
	c.Concurrency = 4
	start := time.Now()
	res, err := c.SearchModels(context.Background(), "org/", 12)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 12 {
		t.Fatalf("results %d", len(res))
	}
	for _, r := range res {
		if r.Err != nil || r.Info == nil {
			t.Fatalf("result %+v", r)
		}
	}
	if s.MaxInFlight() > 4 {
		t.Errorf("max in flight %d > 4", s.MaxInFlight())
	}
	// 1 search + 3 waves of 4 lookups at 30 ms: far below 13 sequential requests.
	if el := time.Since(start); el > 13*30*time.Millisecond {
		t.Errorf("took %v; lookups look sequential", el)
	}
}
