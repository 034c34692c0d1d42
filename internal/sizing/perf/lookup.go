package perf

import (
	"sort"
	"strings"
)

// LookupArch finds a model in the embedded table by Hub id (case-insensitive), directly or
// through aliases.json. A quantized re-upload named like its base (…-FP8, …-NVFP4) takes the base's
// architecture with its own precision.
func LookupArch(model string) (Arch, bool) {
	id := strings.TrimSpace(model)
	if a, ok := findArch(id); ok {
		return a, true
	}
	if base, ok := findAlias(id); ok {
		a, _ := findArch(base)
		if q := quantFromName(id); q != "" {
			a.WeightQuant, a.MoEQuant = q, q
		}
		return a, true
	}
	return Arch{}, false
}

// KnownModels lists the table's Hub ids and aliases, sorted.
func KnownModels() []string {
	out := make([]string, 0, len(archTable)+len(archAliases))
	for k := range archTable {
		out = append(out, k)
	}
	for k := range archAliases {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func findArch(id string) (Arch, bool) {
	if a, ok := archTable[id]; ok {
		return a, true
	}
	for k, a := range archTable {
		if strings.EqualFold(k, id) {
			return a, true
		}
	}
	return Arch{}, false
}

func findAlias(id string) (string, bool) {
	for k, v := range archAliases {
		if strings.EqualFold(k, id) {
			return v, true
		}
	}
	return "", false
}

func quantFromName(id string) string {
	u := strings.ToUpper(id)
	switch {
	case strings.Contains(u, "NVFP4"), strings.Contains(u, "FP4"):
		return "nvfp4"
	case strings.Contains(u, "FP8"):
		return "fp8"
	}
	return ""
}
