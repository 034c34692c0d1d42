package gguf

import (
	"regexp"
	"strings"
)

// DefaultTag is used when no quantization can be read from the file name.
const DefaultTag = "custom"

// quantPatterns are tried in order. KubeFoundry only accepted "." before the
// quantization, so "model-Q4_K_M.gguf" became "custom"; "-" and "_" are accepted here too.
var quantPatterns = func() []*regexp.Regexp {
	var out []*regexp.Regexp
	for _, p := range []string{
		`Q\d+_K_[SML]`,
		`Q\d+_K`,
		`Q\d+_\d`,
		`Q\d+`,
		`IQ\d+_[A-Z]+`,
		`BF16`,
		`F\d+`,
	} {
		out = append(out, regexp.MustCompile(`(?i)(?:^|[._-])(`+p+`)\.gguf$`))
	}
	return out
}()

// QuantizationTag returns the quantization named at the end of a GGUF file name
// (e.g. "Q4_K_M" for "Llama-3.2-1B-Instruct-Q4_K_M.gguf"), upper-cased, or DefaultTag.
func QuantizationTag(file string) string {
	base := file
	if i := strings.LastIndex(base, "/"); i >= 0 {
		base = base[i+1:]
	}
	for _, re := range quantPatterns {
		if m := re.FindStringSubmatch(base); m != nil {
			return strings.ToUpper(m[1])
		}
	}
	return DefaultTag
}
