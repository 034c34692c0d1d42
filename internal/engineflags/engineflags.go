// Package engineflags holds the command-line flags of the inference engines the provider
// renders arguments for, generated from the engines' own argument parsers at the versions
// the pinned images carry (tools/engineflags/gen.py writes tables/*.json), and checks
// engine_args entries against them offline: unknown flags (with the nearest valid ones),
// values of the wrong type, and "true" on a flag that takes a value.
//
// The committed dynamo-*.json tables were generated with
//
//	tools/engineflags/gen.py --out internal/engineflags/tables --dynamo-version 1.4.0 \
//	    --dynamo-git <fetch github:wxsms/dynamo> --dynamo-commit e147ceeac0563354f530b9624d0fc90ccfa6952a
//
// The vllm-0.11*.json tables (KubeRay's engine_kwargs) come from excerpts of
// vllm/engine/arg_utils.py @ 99d7eb5d and vllm/entrypoints/openai/cli_args.py @ 789340fb
// (--vllm/--vllm-frontend with --vllm-name vllm-0.11 --vllm-version 0.11.1.dev).
//
// The vllm-0.26.0*, vllm-main-2026-07* and vllm-main-2026-03* tables are windows of
// vLLM's main branch (upstream commits, read from the fork snapshot modal-projects/vllm):
//
//	tools/engineflags/gen.py --out internal/engineflags/tables --vllm-git <fetch github:modal-projects/vllm> \
//	    --vllm-window ba47bb5be..3de4b2bf3 --vllm-name vllm-0.26.0 --vllm-version 0.26.0 --vllm-note <the note>
//	    (4708292d4..0b54201a0 as vllm-main-2026-07, cc16b24b1..729eb59f6 as vllm-main-2026-03)
//
// and sglang-main-2026-07 is SGLang main read from the fork snapshot modal-projects/sglang:
//
//	tools/engineflags/gen.py --out internal/engineflags/tables --sglang-git <fetch github:modal-projects/sglang> \
//	    --sglang-commit 8905cbd42... --sglang-name sglang-main-2026-07 --sglang-version "main 2026-07-21"
//
// trtllm-main-after-17277 is TensorRT-LLM's LLM arguments (llmargs.go) read from two fork
// snapshots of TensorRT-LLM main just after 1.3.0rc23's #17277 (no source at the rc23 tag
// was reachable), from excerpts of tensorrt_llm/llmapi/llm_args.py (class and field
// statements) taken through the code index:
//
//	tools/engineflags/gen.py --out internal/engineflags/tables \
//	    --trtllm <Maxritz/TensorRT-LLM-RDNA4@275c98aa llm_args.py> --trtllm-source ... \
//	    --trtllm <DhineshPonnarasan/TensorRT-LLM@bc9be572 llm_args.py> --trtllm-source ... \
//	    --trtllm-name trtllm-main-after-17277 --trtllm-version "..." --trtllm-note <the note>
//
// Each table's note says what it truly is.
package engineflags

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Kind is what a flag takes.
type Kind string

const (
	Bool   Kind = "bool"   // a switch: --x (and --no-x when Negatable)
	Int    Kind = "int"    // --x 3
	Float  Kind = "float"  // --x 0.5
	Choice Kind = "choice" // --x one-of-Choices
	String Kind = "string" // --x text
	JSON   Kind = "json"   // --x '{"a":1}'
	List   Kind = "list"   // --x a [b ...] (nargs); one engine_args value is one element
	// Any: a window table's flag whose kind changed between the window's commits, so
	// neither its value nor whether it takes one is checked.
	Any Kind = "any"
)

// Flag is one flag of a table, named without leading dashes.
type Flag struct {
	Name      string   `json:"name"`
	Kind      Kind     `json:"kind"`
	Choices   []string `json:"choices,omitempty"`
	Negatable bool     `json:"negatable,omitempty"`
	// AliasOf names the flag this one is another spelling of ("no:<flag>" for a negation).
	AliasOf string `json:"alias_of,omitempty"`
	// Closed (TensorRT-LLM argument tables, llmargs.go): a group whose fields are all
	// listed as <name>.<field>, so any other path below it does not exist.
	Closed bool `json:"closed,omitempty"`
}

// Table is the flag set of one parser at one version.
type Table struct {
	Engine  string `json:"engine"`  // e.g. "vllm", "dynamo.vllm"
	Version string `json:"version"` // the engine version the flags were read at
	Source  string `json:"source"`  // repository@commit:paths they were read from
	Note    string `json:"note,omitempty"`
	Flags   []Flag `json:"flags"`

	byName map[string]Flag
}

//go:embed tables/*.json
var tableFiles embed.FS

var (
	loadOnce sync.Once
	tables   map[string]*Table
	loadErr  error
)

// Load returns the embedded table of that file name (without ".json").
func Load(name string) (*Table, error) {
	loadOnce.Do(func() {
		tables = map[string]*Table{}
		entries, err := tableFiles.ReadDir("tables")
		if err != nil {
			loadErr = err
			return
		}
		for _, e := range entries {
			raw, err := tableFiles.ReadFile(path.Join("tables", e.Name()))
			if err != nil {
				loadErr = err
				return
			}
			var t Table
			if err := json.Unmarshal(raw, &t); err != nil {
				loadErr = fmt.Errorf("engineflags: %s: %w", e.Name(), err)
				return
			}
			t.byName = make(map[string]Flag, len(t.Flags))
			for _, f := range t.Flags {
				t.byName[f.Name] = f
			}
			tables[strings.TrimSuffix(e.Name(), ".json")] = &t
		}
	})
	if loadErr != nil {
		return nil, loadErr
	}
	t, ok := tables[name]
	if !ok {
		return nil, fmt.Errorf("engineflags: no table %q", name)
	}
	return t, nil
}

// MustLoad is Load for tables the package is built with (a missing one is a build bug,
// caught by this package's tests).
func MustLoad(name string) *Table {
	t, err := Load(name)
	if err != nil {
		panic(err)
	}
	return t
}

// Parser is what one worker process accepts: the union of its tables, in order (the first
// table naming a flag wins, as the first parser to consume it does).
type Parser struct {
	Name   string // for messages, e.g. "dynamo.vllm 1.4.0 + vLLM 0.26.0"
	Tables []*Table
	// Underscores: the parser also takes --a_b for --a-b (vLLM's FlexibleArgumentParser).
	Underscores bool
	// Dotted: --<json flag>.<key> value sets one key of a JSON flag (vLLM >= 0.9).
	Dotted bool
	// Complete: the tables cover every flag the process accepts, so an unknown flag is an
	// error. When false (an engine's own table is missing) unknown flags pass unchecked.
	Complete bool
	// KindOnly: the tables are another version of the engine (EnginePins "Nearest"), so
	// only what rarely changes between versions is checked: a switch given a value, and
	// "true" (a bare flag) on a flag that takes one. Unknown flags and value types pass.
	KindOnly bool
	// Kwargs: keys are Python keyword arguments (Ray Serve's engine_kwargs), not CLI flags:
	// a bool takes "true" or "false" and nothing is rendered bare.
	Kwargs bool
}

// Lookup finds key (an engine_args key) and returns the flag it sets. A negation (no-x of a
// negatable x) is returned as that bool flag.
func (p Parser) Lookup(key string) (Flag, bool) {
	for _, k := range p.spellings(key) {
		for _, t := range p.Tables {
			if f, ok := t.byName[k]; ok {
				return f, true
			}
			if base, ok := strings.CutPrefix(k, "no-"); ok {
				if f, ok := t.byName[base]; ok && f.Kind == Bool && f.Negatable {
					return f, true
				}
			}
		}
	}
	return Flag{}, false
}

func (p Parser) spellings(key string) []string {
	out := []string{key}
	if p.Underscores && strings.Contains(key, "_") {
		out = append(out, strings.ReplaceAll(key, "_", "-"))
	}
	return out
}

// Check returns what is wrong with engine_args entry key = value for this parser, or "".
// Renderers pass "true" as a bare flag and anything else as the flag's value.
func (p Parser) Check(key, value string) string {
	f, ok := p.Lookup(key)
	if !ok && p.Dotted {
		if base, _, found := strings.Cut(key, "."); found {
			if bf, ok := p.Lookup(base); ok && bf.Kind == JSON {
				return "" // one key of a JSON flag: any value, parsed by the engine
			}
		}
	}
	if !ok {
		if !p.Complete {
			return ""
		}
		msg := fmt.Sprintf("%s has no flag --%s", p.Name, key)
		if p.Kwargs {
			msg = fmt.Sprintf("%s has no keyword argument %q", p.Name, key)
		}
		if near := p.Suggest(key, 3); len(near) > 0 {
			msg += ": did you mean " + quoteJoin(near) + "?"
		}
		return msg
	}
	if f.Kind == Any {
		return ""
	}
	if p.Kwargs {
		return checkKwarg(key, value, f)
	}
	if p.KindOnly {
		return p.checkKind(key, value, f)
	}
	if f.Kind == Bool {
		if value != "true" {
			neg := ""
			if f.Negatable {
				neg = fmt.Sprintf(", or %q = \"true\" to turn it off", "no-"+strings.TrimPrefix(key, "no-"))
			}
			return fmt.Sprintf("--%s is a switch that takes no value: set it to \"true\"%s", key, neg)
		}
		return ""
	}
	if value == "true" {
		return fmt.Sprintf("--%s takes a value (%s); \"true\" would render it bare, which the engine refuses", key, describe(f))
	}
	switch f.Kind {
	case Int:
		if _, err := strconv.ParseInt(value, 10, 64); err != nil && !nullable(value) {
			return fmt.Sprintf("--%s takes an integer, got %q", key, value)
		}
	case Float:
		if _, err := strconv.ParseFloat(value, 64); err != nil && !nullable(value) {
			return fmt.Sprintf("--%s takes a number, got %q", key, value)
		}
	case Choice:
		if !slices.Contains(f.Choices, value) {
			return fmt.Sprintf("--%s takes one of %s, got %q", key, quoteJoin(f.Choices), value)
		}
	case JSON:
		if !json.Valid([]byte(value)) {
			return fmt.Sprintf("--%s takes JSON (e.g. '{\"key\": 1}'), got %q", key, value)
		}
	}
	return ""
}

// checkKind is Check for a nearest table: switch or value, nothing else.
func (p Parser) checkKind(key, value string, f Flag) string {
	switch {
	case f.Kind == Bool && value != "true":
		return fmt.Sprintf("--%s is a switch that takes no value (%s): set it to \"true\"", key, p.Name)
	case f.Kind != Bool && value == "true":
		return fmt.Sprintf("--%s takes a value (%s); \"true\" would render it bare, which the engine refuses", key, p.Name)
	}
	return ""
}

// checkKwarg checks a keyword argument's value, rendered as a YAML scalar (true/false and
// canonical numbers become bools and numbers, the rest strings).
func checkKwarg(key, value string, f Flag) string {
	switch f.Kind {
	case Bool:
		if value != "true" && value != "false" {
			return fmt.Sprintf("%s takes true or false, got %q", key, value)
		}
	case Int:
		if _, err := strconv.ParseInt(value, 10, 64); err != nil {
			return fmt.Sprintf("%s takes an integer, got %q", key, value)
		}
	case Float:
		if _, err := strconv.ParseFloat(value, 64); err != nil {
			return fmt.Sprintf("%s takes a number, got %q", key, value)
		}
	case Choice:
		if !slices.Contains(f.Choices, value) {
			return fmt.Sprintf("%s takes one of %s, got %q", key, quoteJoin(f.Choices), value)
		}
	case JSON:
		if !json.Valid([]byte(value)) {
			return fmt.Sprintf("%s takes a mapping, got %q", key, value)
		}
	}
	return ""
}

// nullable: argparse types such as vLLM's optional_type / Dynamo's nullable_int read
// "None" as unset.
func nullable(v string) bool { return v == "None" }

func describe(f Flag) string {
	if f.Kind == Choice {
		return "one of " + quoteJoin(f.Choices)
	}
	return string(f.Kind)
}

// Suggest returns up to n flag names closest to key by edit distance (ties by name), among
// those close enough to be a plausible typo.
func (p Parser) Suggest(key string, n int) []string {
	seen := map[string]bool{}
	var cs []candidate
	limit := max(2, len(key)/3)
	for _, t := range p.Tables {
		for _, f := range t.Flags {
			if seen[f.Name] {
				continue
			}
			seen[f.Name] = true
			if d, ok := near(key, f.Name, limit); ok {
				cs = append(cs, candidate{f.Name, d})
			}
		}
	}
	return closest(cs, n, "")
}

// distance is the Levenshtein edit distance.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func quoteJoin(names []string) string {
	q := make([]string, len(names))
	for i, s := range names {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// candidate is a valid name and its edit distance from what the user wrote.
type candidate struct {
	name string
	d    int
}

// near reports how far name is from key, and whether it is near enough to suggest: within
// limit edits, or one containing the other.
func near(key, name string, limit int) (int, bool) {
	d := distance(key, name)
	if strings.Contains(name, key) || strings.Contains(key, name) {
		d = min(d, limit)
	}
	return d, d <= limit
}

// closest returns the n nearest candidates, nearest first, then by name, each with prefix.
func closest(cs []candidate, n int, prefix string) []string {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].name < cs[j].name
	})
	out := []string{}
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, prefix+cs[i].name)
	}
	return out
}
