package huggingface

import (
	"encoding/json"
	"fmt"
)

// ModelInfo is the subset of a Hub model document (GET /api/models/{id}, or an
// item of GET /api/models with expand[]) the provider uses. Fields absent from
// the response stay at their zero value.
type ModelInfo struct {
	ID           string       `json:"id"`
	Author       string       `json:"author,omitempty"`
	SHA          string       `json:"sha,omitempty"`
	Private      bool         `json:"private,omitempty"`
	Gated        Gated        `json:"gated,omitempty"`
	Downloads    int64        `json:"downloads,omitempty"`
	Likes        int64        `json:"likes,omitempty"`
	PipelineTag  string       `json:"pipeline_tag,omitempty"`
	LibraryName  string       `json:"library_name,omitempty"`
	Tags         []string     `json:"tags,omitempty"`
	Config       *ModelConfig `json:"config,omitempty"`
	Safetensors  *Safetensors `json:"safetensors,omitempty"`
	GGUF         *GGUFSummary `json:"gguf,omitempty"`
	Siblings     []Sibling    `json:"siblings,omitempty"`
	CardData     *CardData    `json:"cardData,omitempty"`
	LastModified string       `json:"lastModified,omitempty"`
}

// ModelConfig is the abridged config the Hub returns under "config"; it is not
// the repository's full config.json.
type ModelConfig struct {
	Architectures []string `json:"architectures,omitempty"`
	ModelType     string   `json:"model_type,omitempty"`
}

// Safetensors holds the parameter counts the Hub computes from safetensors
// headers: per dtype and in total.
type Safetensors struct {
	Parameters map[string]int64 `json:"parameters,omitempty"`
	Total      int64            `json:"total,omitempty"`
}

// GGUFSummary is the Hub's summary of the GGUF files of a repository.
type GGUFSummary struct {
	Total         int64  `json:"total,omitempty"`
	Architecture  string `json:"architecture,omitempty"`
	ContextLength int64  `json:"context_length,omitempty"`
}

// Sibling is one file of the repository as listed in the model document.
type Sibling struct {
	RFilename string `json:"rfilename"`
}

// CardData is the parsed front matter of the model card.
type CardData struct {
	License string `json:"license,omitempty"`
}

// Gated is the Hub's "gated" field: false, "auto" or "manual".
type Gated string

// IsGated reports whether the model requires accepting its license.
func (g Gated) IsGated() bool { return g != "" && g != "false" }

// UnmarshalJSON accepts both the boolean and the string forms.
func (g *Gated) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch t := v.(type) {
	case nil:
		*g = ""
	case bool:
		if t {
			*g = "true"
		} else {
			*g = ""
		}
	case string:
		if t == "false" {
			t = ""
		}
		*g = Gated(t)
	default:
		return fmt.Errorf("gated: unexpected JSON value %s", b)
	}
	return nil
}

// TreeEntry is one item of GET /api/models/{id}/tree/{revision}.
type TreeEntry struct {
	Type string   `json:"type"` // "file" or "directory"
	OID  string   `json:"oid"`  // git blob id
	Size int64    `json:"size"`
	Path string   `json:"path"`
	LFS  *LFSInfo `json:"lfs,omitempty"`
}

// LFSInfo describes a file stored with Git LFS; OID is the sha256 of the content.
type LFSInfo struct {
	OID         string `json:"oid"`
	Size        int64  `json:"size"`
	PointerSize int64  `json:"pointerSize,omitempty"`
}

// SHA256 returns the content digest when known (only LFS files carry one).
func (e TreeEntry) SHA256() string {
	if e.LFS != nil {
		return e.LFS.OID
	}
	return ""
}
