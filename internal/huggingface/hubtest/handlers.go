package hubtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// searchDefaultFields are returned by GET /api/models without expand[].
var searchDefaultFields = []string{"_id", "id", "likes", "downloads", "private", "pipeline_tag", "library_name", "tags", "createdAt", "modelId"}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	expand := q["expand[]"]
	if len(expand) > 0 && (q.Has("full") || q.Has("config") || q.Has("cardData")) {
		// The real Hub rejects this combination (hub-docs #1632).
		writeError(w, http.StatusBadRequest, `"expand" cannot be combined with "full", "config" or "cardData"`)
		return
	}
	search := strings.ToLower(q.Get("search"))
	filter := q.Get("filter")
	authed := s.validAuth(r.Header.Get("Authorization"))

	s.mu.Lock()
	var hits []*model
	for id, m := range s.models {
		if m.private() && !authed {
			continue
		}
		if search != "" && !strings.Contains(strings.ToLower(id), search) {
			continue
		}
		if filter != "" && m.str("pipeline_tag") != filter && !hasTag(m, filter) {
			continue
		}
		hits = append(hits, m)
	}
	sort.Slice(hits, func(i, j int) bool {
		if a, b := hits[i].downloads(), hits[j].downloads(); a != b {
			return a > b
		}
		return hits[i].str("id") < hits[j].str("id")
	})

	fields := expand
	if len(fields) == 0 {
		fields = searchDefaultFields
		if q.Get("full") == "true" {
			fields = append(fields, "siblings", "lastModified", "gated", "sha", "author")
		}
		if q.Get("config") == "true" {
			fields = append(fields, "config")
		}
	}
	items := make([]map[string]any, len(hits))
	for i, m := range hits {
		items[i] = pick(m.doc, fields)
	}
	s.mu.Unlock()

	page, next := s.paginate(r, len(items))
	if next != "" {
		w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next"`, next))
	}
	writeJSON(w, http.StatusOK, items[page[0]:page[1]])
}

func hasTag(m *model, tag string) bool {
	tags, _ := m.doc["tags"].([]any)
	for _, t := range tags {
		if t == tag {
			return true
		}
	}
	return false
}

// pick keeps _id and id plus the listed properties that exist.
func pick(doc map[string]any, fields []string) map[string]any {
	out := map[string]any{"_id": doc["_id"], "id": doc["id"]}
	for _, f := range fields {
		if v, ok := doc[f]; ok {
			out[f] = v
		}
	}
	return out
}

// paginate returns the [start,end) window for this request and the absolute
// URL of the next page ("" on the last). The cursor is an opaque offset, as
// the Hub's cursors are opaque.
func (s *Server) paginate(r *http.Request, total int) ([2]int, string) {
	q := r.URL.Query()
	size := s.pageSize
	if l, err := strconv.Atoi(q.Get("limit")); err == nil && l > 0 && l < size {
		size = l
	}
	start := 0
	if c := q.Get("cursor"); c != "" {
		if b, err := base64.RawURLEncoding.DecodeString(c); err == nil {
			start, _ = strconv.Atoi(string(b))
		}
	}
	start = min(max(start, 0), total)
	end := min(start+size, total)
	if end >= total {
		return [2]int{start, end}, ""
	}
	q.Set("cursor", base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end))))
	next := *r.URL
	next.RawQuery = q.Encode()
	return [2]int{start, end}, s.URL + next.RequestURI()
}

// handleModelAPI serves {owner}/{name} and {owner}/{name}/tree/{rev}[/{path}].
func (s *Server) handleModelAPI(w http.ResponseWriter, r *http.Request, rest string) {
	segs := strings.Split(rest, "/")
	if len(segs) < 2 {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	id := unescape(segs[0]) + "/" + unescape(segs[1])
	m := s.lookup(id)
	if m == nil {
		writeError(w, http.StatusNotFound, "Repository not found")
		return
	}
	if m.private() && !s.validAuth(r.Header.Get("Authorization")) {
		writeError(w, http.StatusUnauthorized, "Invalid username or password.")
		return
	}
	switch {
	case len(segs) == 2:
		s.mu.Lock()
		doc := m.doc
		if exp := r.URL.Query()["expand[]"]; len(exp) > 0 {
			doc = pick(m.doc, exp)
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, doc)
	case len(segs) >= 4 && segs[2] == "tree":
		s.handleTree(w, r, m, strings.Join(segs[4:], "/"))
	default:
		writeError(w, http.StatusNotFound, "Not Found")
	}
}

func (s *Server) handleTree(w http.ResponseWriter, r *http.Request, m *model, dir string) {
	dir = strings.Trim(unescape(dir), "/")
	recursive := r.URL.Query().Get("recursive") == "true" || r.URL.Query().Get("recursive") == "1"
	s.mu.Lock()
	all := m.treeEntries()
	s.mu.Unlock()
	var items []map[string]any
	for _, e := range all {
		p := e["path"].(string)
		rel := p
		if dir != "" {
			if !strings.HasPrefix(p, dir+"/") {
				continue
			}
			rel = strings.TrimPrefix(p, dir+"/")
		}
		if !recursive && strings.Contains(rel, "/") {
			continue
		}
		items = append(items, e)
	}
	if items == nil {
		items = []map[string]any{}
	}
	page, next := s.paginate(r, len(items))
	if next != "" {
		w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next"`, next))
	}
	writeJSON(w, http.StatusOK, items[page[0]:page[1]])
}

// handleResolve serves {owner}/{name}/resolve/{rev}/{file...} with Range support.
func (s *Server) handleResolve(w http.ResponseWriter, r *http.Request, rest string) {
	segs := strings.Split(rest, "/")
	if len(segs) < 5 || segs[2] != "resolve" {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	id := unescape(segs[0]) + "/" + unescape(segs[1])
	name := unescape(strings.Join(segs[4:], "/"))
	m := s.lookup(id)
	if m == nil {
		writeError(w, http.StatusNotFound, "Repository not found")
		return
	}
	authed := s.validAuth(r.Header.Get("Authorization"))
	if (m.private() || m.gated()) && !authed {
		writeError(w, http.StatusUnauthorized, fmt.Sprintf(
			"Access to model %s is restricted. You must have access to it and be authenticated to access it. Please log in.", id))
		return
	}
	s.mu.Lock()
	content, ok := m.files[name]
	sha := m.str("sha")
	s.mu.Unlock()
	if !ok {
		w.Header().Set("X-Error-Code", "EntryNotFound")
		writeError(w, http.StatusNotFound, "Entry not found")
		return
	}
	entry := treeEntry(name, content)
	etag := entry["oid"].(string)
	if l, ok := entry["lfs"].(map[string]any); ok {
		etag = l["oid"].(string)
	}
	w.Header().Set("ETag", `"`+etag+`"`)
	w.Header().Set("X-Repo-Commit", sha)
	w.Header().Set("Accept-Ranges", "bytes")
	cw := &countingWriter{ResponseWriter: w}
	http.ServeContent(cw, r, name, time.Unix(0, 0), bytes.NewReader(content))
	s.mu.Lock()
	s.served[id+"/"+name] += cw.n
	s.mu.Unlock()
}

type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.n += int64(n)
	return n, err
}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

var _ io.Writer = (*countingWriter)(nil)
