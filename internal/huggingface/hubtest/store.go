package hubtest

import (
	"crypto/sha1"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
)

//go:embed fixtures/*.json
var fixtureFS embed.FS

// model is one repository: its Hub document (kept as generic JSON so fixtures
// can carry every real field) and its files.
type model struct {
	doc   map[string]any
	files map[string][]byte
}

// lfsExtensions are stored through Git LFS on the Hub (as .gitattributes does).
var lfsExtensions = []string{".gguf", ".safetensors", ".bin", ".pt", ".pth", ".onnx", ".h5", ".msgpack"}

func isLFS(name string, size int) bool {
	ext := strings.ToLower(path.Ext(name))
	for _, e := range lfsExtensions {
		if ext == e {
			return true
		}
	}
	return size >= 10<<20
}

// lfsPointer is the text Git stores in place of an LFS file.
func lfsPointer(content []byte) string {
	sum := sha256.Sum256(content)
	return fmt.Sprintf("version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n", hex.EncodeToString(sum[:]), len(content))
}

func gitBlobOID(content []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(content))
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}

// treeEntry renders a file the way GET /api/models/{id}/tree/{rev} does.
func treeEntry(name string, content []byte) map[string]any {
	e := map[string]any{"type": "file", "path": name, "size": len(content)}
	if isLFS(name, len(content)) {
		ptr := lfsPointer(content)
		sum := sha256.Sum256(content)
		e["oid"] = gitBlobOID([]byte(ptr))
		e["lfs"] = map[string]any{"oid": hex.EncodeToString(sum[:]), "size": len(content), "pointerSize": len(ptr)}
	} else {
		e["oid"] = gitBlobOID(content)
	}
	return e
}

// treeEntries lists files and the directories implied by their paths, sorted
// by path, like the Hub's recursive listing.
func (m *model) treeEntries() []map[string]any {
	dirs := map[string]bool{}
	var out []map[string]any
	for name, c := range m.files {
		out = append(out, treeEntry(name, c))
		for d := path.Dir(name); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	for d := range dirs {
		out = append(out, map[string]any{"type": "directory", "path": d, "size": 0, "oid": gitBlobOID([]byte(d))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i]["path"].(string) < out[j]["path"].(string) })
	return out
}

// refreshSiblings keeps the document's "siblings" and "usedStorage" in step
// with the files.
func (m *model) refreshSiblings() {
	names := make([]string, 0, len(m.files))
	var used int
	for n, c := range m.files {
		names = append(names, n)
		used += len(c)
	}
	sort.Strings(names)
	sib := make([]any, len(names))
	for i, n := range names {
		sib[i] = map[string]any{"rfilename": n}
	}
	m.doc["siblings"] = sib
	m.doc["usedStorage"] = used
}

func (m *model) str(key string) string {
	s, _ := m.doc[key].(string)
	return s
}

func (m *model) gated() bool {
	switch g := m.doc["gated"].(type) {
	case bool:
		return g
	case string:
		return g != "" && g != "false"
	}
	return false
}

func (m *model) private() bool {
	p, _ := m.doc["private"].(bool)
	return p
}

func (m *model) downloads() float64 {
	d, _ := m.doc["downloads"].(float64)
	return d
}

func loadFixtures() (map[string]*model, error) {
	entries, err := fixtureFS.ReadDir("fixtures")
	if err != nil {
		return nil, err
	}
	out := map[string]*model{}
	for _, e := range entries {
		b, err := fixtureFS.ReadFile("fixtures/" + e.Name())
		if err != nil {
			return nil, err
		}
		m := &model{doc: map[string]any{}, files: map[string][]byte{}}
		if err := json.Unmarshal(b, &m.doc); err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		out[m.str("id")] = m
	}
	return out, nil
}

func newModelDoc(id string) map[string]any {
	owner, _, _ := strings.Cut(id, "/")
	return map[string]any{
		"_id": gitBlobOID([]byte(id))[:24], "id": id, "modelId": id, "author": owner,
		"sha": gitBlobOID([]byte("sha:" + id)), "private": false, "disabled": false,
		"gated": false, "downloads": 0, "likes": 0, "tags": []any{},
		"siblings": []any{}, "createdAt": "2025-01-01T00:00:00.000Z",
	}
}
