// Package catalog holds KubeFoundry's model knowledge: the curated model
// list, engine compatibility rules, parameter counts, GPU memory estimates and
// GGUF quantization names. It has no network access of its own.
package catalog

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

//go:embed catalog.json
var catalogJSON []byte

// Entry is one curated model (catalog.json).
type Entry struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Description      string   `json:"description"`
	Size             string   `json:"size"`
	ParameterCount   int64    `json:"parameterCount"`
	Task             string   `json:"task"`
	ContextLength    int64    `json:"contextLength,omitempty"`
	SupportedEngines []string `json:"supportedEngines"`
	MinGPUMemory     string   `json:"minGpuMemory,omitempty"`
	MinGPUs          int64    `json:"minGpus"`
	Gated            bool     `json:"gated"`
	License          string   `json:"license"`
	PremadeID        string   `json:"premadeId,omitempty"`
	PremadeImage     string   `json:"premadeImage,omitempty"`
	ComputeType      string   `json:"computeType,omitempty"`
}

var loadCurated = sync.OnceValue(func() []Entry {
	var doc struct {
		Models []Entry `json:"models"`
	}
	if err := json.Unmarshal(catalogJSON, &doc); err != nil {
		panic(fmt.Sprintf("catalog.json: %v", err)) // embedded at build time; tests cover it
	}
	return doc.Models
})

// Curated returns a copy of the curated entries in catalog order.
func Curated() []Entry {
	src := loadCurated()
	out := make([]Entry, len(src))
	copy(out, src)
	return out
}

// Lookup finds a curated entry by id (case-insensitive, as Hub ids are).
func Lookup(id string) (Entry, bool) {
	for _, e := range loadCurated() {
		if strings.EqualFold(e.ID, id) {
			return e, true
		}
	}
	return Entry{}, false
}

// PremadeID maps a "kaito/<name>-<size>" id to the AIKit premade image id
// "<name>:<size>". The size is after the LAST hyphen, so "kaito/gpt-oss-20b"
// gives "gpt-oss:20b" (KubeFoundry split at the first one: "gpt:oss-20b").
func PremadeID(id string) (string, bool) {
	rest, ok := strings.CutPrefix(id, "kaito/")
	if !ok {
		return "", false
	}
	i := strings.LastIndex(rest, "-")
	if i <= 0 || i == len(rest)-1 {
		return "", false
	}
	return rest[:i] + ":" + rest[i+1:], true
}

// MinGPUMemoryGB parses "16GB" into 16; 0 when unset.
func (e Entry) MinGPUMemoryGB() int64 {
	var n int64
	if _, err := fmt.Sscanf(strings.TrimSpace(e.MinGPUMemory), "%dGB", &n); err != nil {
		return 0
	}
	return n
}
