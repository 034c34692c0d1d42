package engineflags

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// TRTLLMArgsTable describes TensorRT-LLM's LLM arguments (TorchLlmArgs) as dotted paths:
// the keys dynamo.trtllm's --trtllm.<path> flags set. It is a window of two main-branch
// commits just after the 1.3.0rc23 cut, not the release (EnginePins says how near).
const TRTLLMArgsTable = "trtllm-main-after-17277"

// LLMArgs checks dotted paths of TensorRT-LLM's LLM arguments. A table flag is one path: a
// field of TorchLlmArgs, or of a config model below one (Closed: its fields are all listed).
type LLMArgs struct {
	Name   string // for messages
	Prefix string // how a path is spelled as a key, e.g. "trtllm."
	Table  *Table
	// Types: values are checked against the field's type as pydantic reads what
	// dynamic_flags.py infer_type makes of them. Off for a table of another version, whose
	// field types may differ: only the structure (names, fields of closed groups, a value
	// where a group or list is expected) is checked then.
	Types bool
}

// DynamoTRTLLMArgs is what Dynamo 1.4.0's --trtllm.<path> flags are checked against: the
// nearest TensorRT-LLM table, structure only (EnginePins).
func DynamoTRTLLMArgs() LLMArgs {
	t := MustLoad(TRTLLMArgsTable)
	return LLMArgs{Name: "TensorRT-LLM " + t.Version, Prefix: "trtllm.", Table: t}
}

// Lookup returns the table entry of path.
func (a LLMArgs) Lookup(path string) (Flag, bool) {
	f, ok := a.Table.byName[path]
	return f, ok
}

// Check returns what is wrong with path = value (the value as rendered after the flag), or
// "" when nothing is known to be.
func (a LLMArgs) Check(path, value string) string {
	segs := strings.Split(path, ".")
	for i := range segs {
		here := strings.Join(segs[:i+1], ".")
		f, ok := a.Table.byName[here]
		if !ok {
			parent := strings.Join(segs[:i], ".")
			if i > 0 {
				if pf := a.Table.byName[parent]; !pf.Closed {
					return "" // a group whose fields this table does not know
				}
			}
			msg := fmt.Sprintf("%s has no LLM argument %q", a.Name, here)
			if i > 0 {
				msg = fmt.Sprintf("%s has no field %q in %q", a.Name, segs[i], parent)
			}
			if near := a.Suggest(here, 3); len(near) > 0 {
				msg += ": did you mean " + quoteJoin(near) + "?"
			}
			return msg
		}
		last := i == len(segs)-1
		switch {
		case !last && f.Kind != JSON && f.Kind != Any:
			return fmt.Sprintf("%q is one %s value with no fields: set %q itself", a.Prefix+here, f.Kind, a.Prefix+here)
		case last && (f.Kind == JSON || f.Kind == List) && !isNone(value):
			// dynamic_flags.py passes one scalar per flag; a group or list is never one.
			what := "a group of settings: set its fields one by one"
			if f.Kind == List {
				what = "a list, which a --trtllm.* flag cannot pass (one scalar per flag)"
			}
			msg := fmt.Sprintf("%q is %s", a.Prefix+here, what)
			if ex := a.firstChild(here); ex != "" {
				msg += fmt.Sprintf(", e.g. %q", a.Prefix+ex)
			}
			return msg
		case last && a.Types:
			return checkLLMArgValue(a.Prefix+here, value, f)
		}
	}
	return ""
}

func (a LLMArgs) firstChild(path string) string {
	for _, f := range a.Table.Flags {
		if strings.HasPrefix(f.Name, path+".") && !strings.Contains(f.Name[len(path)+1:], ".") {
			return f.Name
		}
	}
	return ""
}

// Suggest returns up to n keys (with Prefix) near path: its siblings by edit distance of the
// last name, and fields anywhere named exactly like it (a path missing its group).
func (a LLMArgs) Suggest(path string, n int) []string {
	parent, name := "", path
	if i := strings.LastIndex(path, "."); i >= 0 {
		parent, name = path[:i], path[i+1:]
	}
	var cs []candidate
	limit := max(2, len(name)/3)
	for _, f := range a.Table.Flags {
		fp, fn := "", f.Name
		if i := strings.LastIndex(f.Name, "."); i >= 0 {
			fp, fn = f.Name[:i], f.Name[i+1:]
		}
		switch {
		case fn == name && fp != parent:
			cs = append(cs, candidate{f.Name, 0})
		case fp == parent:
			if d, ok := near(name, fn, limit); ok {
				cs = append(cs, candidate{f.Name, d})
			}
		}
	}
	return closest(cs, n, a.Prefix)
}

func isNone(v string) bool { return strings.EqualFold(v, "none") || strings.EqualFold(v, "null") }

// checkLLMArgValue checks a value as dynamic_flags.py infer_type types it (None, int, float,
// true/false, else text) and pydantic's lax mode then accepts it for the field's type.
func checkLLMArgValue(key, value string, f Flag) string {
	if isNone(value) {
		return "" // Optional fields take None; required ones are not told apart here
	}
	_, intErr := strconv.ParseInt(value, 10, 64)
	num, floatErr := strconv.ParseFloat(value, 64)
	switch f.Kind {
	case Bool:
		if !slices.Contains([]string{"true", "false", "1", "0", "yes", "no", "on", "off", "t", "f", "y", "n"}, strings.ToLower(value)) {
			return fmt.Sprintf("%s takes true or false, got %q", key, value)
		}
	case Int:
		if intErr != nil && (floatErr != nil || num != float64(int64(num))) {
			return fmt.Sprintf("%s takes an integer, got %q", key, value)
		}
	case Float:
		if floatErr != nil {
			return fmt.Sprintf("%s takes a number, got %q", key, value)
		}
	case String:
		if floatErr == nil || strings.EqualFold(value, "true") || strings.EqualFold(value, "false") {
			return fmt.Sprintf("%s takes text, but %q is passed as a number or boolean (dynamic_flags.py infer_type), which the field refuses", key, value)
		}
	case Choice:
		if !slices.Contains(f.Choices, value) {
			return fmt.Sprintf("%s takes one of %s, got %q", key, quoteJoin(f.Choices), value)
		}
	}
	return ""
}
