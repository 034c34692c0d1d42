package catalog

import (
	"path"
	"regexp"
	"strings"
)

// quantPatterns are tried in order on the file name without its shard suffix.
// KubeFoundry only accepted a "." before the quantization; "-" and "_" are
// accepted too, since most Hub GGUF repos name files "Model-Q4_K_M.gguf".
var quantPatterns = func() []*regexp.Regexp {
	var out []*regexp.Regexp
	for _, p := range []string{
		`Q\d+_K_(?:XL|[SML])`,
		`Q\d+_K`,
		`Q\d+_\d(?:_\d+_\d+)?`,
		`IQ\d+_(?:XXS|XS|S|M|NL)`,
		`IQ\d+_[A-Z]+`,
		`TQ\d+_\d`,
		`MXFP4(?:_MOE)?`,
		`BF16`,
		`F\d+`,
		`Q\d+`,
	} {
		out = append(out, regexp.MustCompile(`(?i)[._-](`+p+`)\.gguf$`))
	}
	return out
}()

var shardRe = regexp.MustCompile(`(?i)-\d{5}-of-\d{5}(\.gguf)$`)

// GGUFQuantization returns the quantization named in a GGUF file name,
// upper-cased ("Q4_K_M", "Q8_0", "IQ4_XS", "F16"), or "" if none is recognized.
func GGUFQuantization(fileName string) string {
	base := shardRe.ReplaceAllString(path.Base(fileName), "$1")
	for _, re := range quantPatterns {
		if m := re.FindStringSubmatch(base); m != nil {
			return strings.ToUpper(m[1])
		}
	}
	return ""
}

// IsGGUFFile reports whether name is a .gguf file.
func IsGGUFFile(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), ".gguf")
}
