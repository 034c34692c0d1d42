package runtimes

import (
	"fmt"
	"strings"
)

// Problem is one validation finding. Path uses the Terraform attribute names (snake_case,
// nested blocks joined by dots, e.g. "kaito.gguf_file") so callers can attach it to the
// offending attribute; Message says what is wrong and how to fix it.
type Problem struct {
	Path string
	// Key is set when the problem concerns one element of a map attribute (Path names the
	// map, e.g. "engine_args"; Key the element, e.g. "max-model-len").
	Key     string
	Message string
}

// Where renders the location: `path` or `path["key"]`.
func (p Problem) Where() string {
	if p.Key == "" {
		return p.Path
	}
	return fmt.Sprintf("%s[%q]", p.Path, p.Key)
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Where() + ": " + p.Message
}

// Problems is the result of Validate; empty means valid.
type Problems []Problem

// Add appends a problem with a formatted message.
func (ps *Problems) Add(path, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// AddKey appends a problem about one element of a map attribute.
func (ps *Problems) AddKey(path, key, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Key: key, Message: fmt.Sprintf(format, args...)})
}

// Err returns nil when there are no problems, otherwise an error listing all of them.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// Error joins all problems, one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Has reports whether a problem exists for path.
func (ps Problems) Has(path string) bool {
	for _, p := range ps {
		if p.Path == path {
			return true
		}
	}
	return false
}

// HasKey reports whether a problem exists for one key of a map attribute.
func (ps Problems) HasKey(path, key string) bool {
	for _, p := range ps {
		if p.Path == path && p.Key == key {
			return true
		}
	}
	return false
}
