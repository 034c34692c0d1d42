package huggingface

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// searchExpand lists the properties a search page returns. The Hub ignores
// full/config when expand[] is present (and vice versa), so only expand[] is
// used; the heavier per-model data comes from ModelInfo.
var searchExpand = []string{"pipeline_tag", "library_name", "gated", "downloads", "likes", "tags"}

// maxPageSize is the page size asked of the Hub; later pages follow Link.
const maxPageSize = 100

// Search lists up to limit models matching query, most downloaded first,
// following the Link header across pages. Each item carries only the
// searchExpand properties.
func (c *Client) Search(ctx context.Context, query string, limit int) ([]ModelInfo, error) {
	if limit <= 0 {
		return nil, nil
	}
	q := url.Values{}
	q.Set("search", query)
	q.Set("sort", "downloads")
	q.Set("direction", "-1")
	q.Set("limit", strconv.Itoa(min(limit, maxPageSize)))
	for _, e := range searchExpand {
		q.Add("expand[]", e)
	}
	next := c.endpoint() + "/api/models?" + q.Encode()

	var out []ModelInfo
	for next != "" && len(out) < limit {
		var page []ModelInfo
		h, err := c.getJSON(ctx, next, "", &page)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) == 0 {
			break
		}
		next, err = nextLink(next, h.Get("Link"))
		if err != nil {
			return nil, err
		}
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// ModelInfo returns the model document of id (config, safetensors, gguf,
// siblings, card data).
func (c *Client) ModelInfo(ctx context.Context, id string) (*ModelInfo, error) {
	if err := validateModelID(id); err != nil {
		return nil, err
	}
	var info ModelInfo
	if _, err := c.getJSON(ctx, c.endpoint()+"/api/models/"+escapePath(id), id, &info); err != nil {
		return nil, err
	}
	return &info, nil
}

// ModelResult is the outcome of one lookup of ModelInfos.
type ModelResult struct {
	Info *ModelInfo
	Err  error
}

// ModelInfos fetches the documents of ids concurrently with at most
// Concurrency requests in flight; results keep the order of ids.
func (c *Client) ModelInfos(ctx context.Context, ids []string) []ModelResult {
	out := make([]ModelResult, len(ids))
	forEach(ctx, len(ids), c.concurrency(), func(i int) {
		out[i].Info, out[i].Err = c.ModelInfo(ctx, ids[i])
	})
	return out
}

// SearchModels runs Search and then fetches each result's full document
// concurrently. A model whose lookup fails keeps its search item and its error.
func (c *Client) SearchModels(ctx context.Context, query string, limit int) ([]ModelResult, error) {
	found, err := c.Search(ctx, query, limit)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(found))
	for i := range found {
		ids[i] = found[i].ID
	}
	res := c.ModelInfos(ctx, ids)
	for i := range res {
		if res[i].Info == nil {
			res[i].Info = &found[i]
		}
	}
	return res, ctx.Err()
}

// forEach runs fn(0..n-1) on at most workers goroutines; it stops handing
// out work once ctx is done.
func forEach(ctx context.Context, n, workers int, fn func(i int)) {
	if n == 0 {
		return
	}
	workers = max(1, min(workers, n))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				fn(i)
			}
		})
	}
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}

// Tree lists every file of model at revision ("main" if empty), recursively,
// following pagination. Directories are omitted.
func (c *Client) Tree(ctx context.Context, model, revision string) ([]TreeEntry, error) {
	if err := validateModelID(model); err != nil {
		return nil, err
	}
	if revision == "" {
		revision = "main"
	}
	next := fmt.Sprintf("%s/api/models/%s/tree/%s?recursive=true", c.endpoint(), escapePath(model), url.PathEscape(revision))
	var out []TreeEntry
	for next != "" {
		var page []TreeEntry
		h, err := c.getJSON(ctx, next, model, &page)
		if err != nil {
			return nil, err
		}
		for _, e := range page {
			if e.Type == "file" {
				out = append(out, e)
			}
		}
		if len(page) == 0 {
			break
		}
		if next, err = nextLink(next, h.Get("Link")); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// nextLink returns the rel="next" target of an RFC 8288 Link header,
// resolved against the current URL, or "" when there is none.
func nextLink(current, header string) (string, error) {
	for _, part := range strings.Split(header, ",") {
		segs := strings.Split(part, ";")
		target := strings.TrimSpace(segs[0])
		if !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
			continue
		}
		for _, p := range segs[1:] {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(k, "rel") && strings.Trim(v, `"`) == "next" {
				base, err := url.Parse(current)
				if err != nil {
					return "", err
				}
				ref, err := url.Parse(target[1 : len(target)-1])
				if err != nil {
					return "", fmt.Errorf("Hugging Face Hub: bad Link header: %w", err) //nolint:staticcheck // ST1005: a proper noun
				}
				return base.ResolveReference(ref).String(), nil
			}
		}
	}
	return "", nil
}

// validateModelID rejects ids that could escape the API path.
func validateModelID(id string) error {
	if id == "" || strings.HasPrefix(id, "/") || strings.Contains(id, "..") || strings.ContainsAny(id, "?#\\ ") {
		return fmt.Errorf("invalid Hugging Face model id %q (expected \"owner/name\")", id)
	}
	return nil
}

// TreeResult is the outcome of one listing of Trees.
type TreeResult struct {
	Files []TreeEntry
	Err   error
}

// Trees lists the files of several models at revision concurrently (bounded
// like ModelInfos); results keep the order of ids.
func (c *Client) Trees(ctx context.Context, ids []string, revision string) []TreeResult {
	out := make([]TreeResult, len(ids))
	forEach(ctx, len(ids), c.concurrency(), func(i int) {
		out[i].Files, out[i].Err = c.Tree(ctx, ids[i], revision)
	})
	return out
}
