package catalog

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

var (
	billionsRe = regexp.MustCompile(`(?:^|[-_./])(\d+(?:\.\d+)?)\s*[Bb](?:$|[-_./]|illion)`)
	millionsRe = regexp.MustCompile(`(?:^|[-_./])(\d+(?:\.\d+)?)\s*[Mm](?:$|[-_./]|illion)`)
)

// ParameterCount returns the model's parameter count: the Hub's safetensors
// total, else the sum of its per-dtype counts, else a size parsed from the id
// ("…-7B", "…_1.5b", "…-135M"); 0 if unknown.
func ParameterCount(id string, safetensorsTotal int64, perDtype map[string]int64) int64 {
	if safetensorsTotal > 0 {
		return safetensorsTotal
	}
	var sum int64
	for _, n := range perDtype {
		sum += n
	}
	if sum > 0 {
		return sum
	}
	return ParseParameterCount(id)
}

// ParseParameterCount reads a size such as "7B" or "135M" from a model id.
// Billions win over millions; values must be in (0, 10000).
func ParseParameterCount(id string) int64 {
	name := id
	if i := strings.LastIndex(id, "/"); i >= 0 {
		name = id[i:] // the owner never names the size; keep "/" as a separator
	}
	if n := parseScaled(billionsRe, name, 1e9); n > 0 {
		return n
	}
	return parseScaled(millionsRe, name, 1e6)
}

func parseScaled(re *regexp.Regexp, s string, scale float64) int64 {
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		v, err := strconv.ParseFloat(m[1], 64)
		if err == nil && v > 0 && v < 10000 {
			return int64(math.Round(v * scale))
		}
	}
	return 0
}

// SizeLabel renders a parameter count the way model names do: "0.6B", "8B",
// "1.5B", "135M"; "" for 0.
func SizeLabel(params int64) string {
	switch {
	case params <= 0:
		return ""
	case params >= 5e8: // "0.6B" reads better than "600M"
		return trimFloat(float64(params)/1e9) + "B"
	default:
		return trimFloat(float64(params)/1e6) + "M"
	}
}

// trimFloat keeps one decimal when it matters: 1.24 → "1.2", 8.03 → "8".
func trimFloat(v float64) string {
	r := math.Round(v*10) / 10
	if r >= 100 || r == math.Trunc(r) {
		return strconv.FormatFloat(math.Round(v), 'f', -1, 64)
	}
	return strconv.FormatFloat(r, 'f', 1, 64)
}
