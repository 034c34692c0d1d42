package hubtest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface/hubtest"
)

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestSearchRejectsExpandWithFull(t *testing.T) {
	s := hubtest.New(t)
	res, body := get(t, s.URL+"/api/models?search=qwen&full=true&config=true&expand[]=safetensors")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "expand") {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	res, body = get(t, s.URL+"/api/models?search=qwen&full=true&config=true")
	if res.StatusCode != 200 || !strings.Contains(body, `"architectures":["Qwen3ForCausalLM"]`) || !strings.Contains(body, `"siblings"`) {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
}

func TestResolveRangeAndGating(t *testing.T) {
	s := hubtest.New(t, hubtest.WithToken("hf_x"))
	url := s.URL + "/" + hubtest.GGUFModel + "/resolve/main/Llama-3.2-1B-Instruct-Q8_0.gguf"
	res, body := get(t, url, "Range", "bytes=0-3")
	if res.StatusCode != http.StatusPartialContent || body != "GGUF" || res.Header.Get("ETag") == "" {
		t.Fatalf("%d %q %v", res.StatusCode, body, res.Header)
	}
	gated := s.URL + "/" + hubtest.GatedModel + "/resolve/main/config.json"
	if res, _ := get(t, gated); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("gated without token: %d", res.StatusCode)
	}
	if res, _ := get(t, gated, "Authorization", "Bearer hf_x"); res.StatusCode != 200 {
		t.Errorf("gated with token: %d", res.StatusCode)
	}
	if res, _ := get(t, gated, "Authorization", "Bearer hf_bad"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("bad token: %d", res.StatusCode)
	}
}

func TestAddFileUpdatesTreeAndSiblings(t *testing.T) {
	s := hubtest.New(t, hubtest.WithoutFixtures())
	s.AddFile("me/new", "sub/w.safetensors", []byte("weights"))
	s.AddFile("me/new", "config.json", []byte("{}"))
	_, tree := get(t, s.URL+"/api/models/me/new/tree/main?recursive=true")
	for _, want := range []string{`"path":"sub"`, `"type":"directory"`, `"lfs":{`, s.FileSHA256("me/new", "sub/w.safetensors")} {
		if !strings.Contains(tree, want) {
			t.Errorf("tree lacks %s: %s", want, tree)
		}
	}
	_, top := get(t, s.URL+"/api/models/me/new/tree/main")
	if strings.Contains(top, "w.safetensors") {
		t.Errorf("non-recursive listing shows nested file: %s", top)
	}
	_, doc := get(t, s.URL+"/api/models/me/new")
	if !strings.Contains(doc, `"siblings":[{"rfilename":"config.json"},{"rfilename":"sub/w.safetensors"}]`) {
		t.Errorf("doc = %s", doc)
	}
}
