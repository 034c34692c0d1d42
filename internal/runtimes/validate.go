package runtimes

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"
)

// Replica bounds shared by all runtimes (KubeFoundry's schema: 1..10).
const (
	MinReplicas = 1
	MaxReplicas = 10
)

var (
	engineArgKey = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)
	// Values must be a single argv token's worth of printable text; no newlines or NULs.
	engineArgValue = regexp.MustCompile(`^[^\x00-\x1f\x7f]*$`)
)

// ValidateCommon checks the fields every runtime shares: name, namespace, runtime id, and
// the replica count. The model is checked by the runtime because KAITO premade models have none.
func ValidateCommon(cfg DeploymentConfig, runtimeID string) Problems {
	var ps Problems
	switch {
	case cfg.Name == "":
		ps.Add("name", "must be set: a lower-case DNS label such as \"qwen3-chat\"")
	case len(validation.IsDNS1123Label(cfg.Name)) > 0:
		ps.Add("name", "%q is not a valid name: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit", cfg.Name)
	}
	switch {
	case cfg.Namespace == "":
		ps.Add("namespace", "must be set to an existing namespace")
	case len(validation.IsDNS1123Label(cfg.Namespace)) > 0:
		ps.Add("namespace", "%q is not a valid namespace name: use at most 63 lower-case letters, digits and '-'", cfg.Namespace)
	}
	if cfg.Runtime != "" && cfg.Runtime != runtimeID {
		ps.Add("runtime", "config is for runtime %q but was given to %q", cfg.Runtime, runtimeID)
	}
	CheckRange(&ps, "replicas", cfg.Replicas, MinReplicas, MaxReplicas)
	validateAutoscaling(&ps, cfg, runtimeID)
	if cfg.Dynamo != nil && runtimeID != "dynamo" {
		ps.Add("dynamo", "the dynamo block only applies to runtime \"dynamo\": remove it")
	}
	if cfg.HFTokenSecret != "" && len(validation.IsDNS1123Subdomain(cfg.HFTokenSecret)) > 0 {
		ps.Add("hf_token_secret", "%q is not a valid Secret name: use lower-case letters, digits, '-' and '.'", cfg.HFTokenSecret)
	}
	if cfg.Memory != "" {
		CheckQuantity(&ps, "memory", cfg.Memory)
	}
	CheckToken(&ps, "model", cfg.Model)
	CheckToken(&ps, "served_model_name", cfg.ServedModelName)
	if cfg.ContextLength != nil && *cfg.ContextLength < 1 {
		ps.Add("context_length", "must be a positive number of tokens, got %d", *cfg.ContextLength)
	}
	return ps
}

// CheckName applies a runtime's stricter rule for the deployment name on top of
// ValidateCommon's DNS-1123 label: a DNS-1035 label (starting with a letter) of at most maxLen
// characters. why names the operator object that needs it, so the user learns the cause.
func CheckName(ps *Problems, name string, maxLen int, why string) {
	if name == "" || ps.Has("name") {
		return
	}
	switch {
	case len(name) > maxLen:
		ps.Add("name", "%q is %d characters long; at most %d fit here: %s", name, len(name), maxLen, why)
	case len(validation.IsDNS1035Label(name)) > 0:
		ps.Add("name", "%q must start with a lower-case letter: %s", name, why)
	}
}

// CheckToken reports a value that cannot travel unchanged as one argument or YAML scalar:
// invalid UTF-8 (JSON would rewrite it), whitespace or control characters. Empty is fine.
func CheckToken(ps *Problems, path, v string) {
	switch {
	case !utf8.ValidString(v):
		ps.Add(path, "must be valid UTF-8 text")
	case strings.IndexFunc(v, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		ps.Add(path, "%q must not contain spaces or control characters", v)
	}
}

// CheckRange reports a set value outside [lo, hi]. Nil means "not set" and is fine.
func CheckRange(ps *Problems, path string, v *int64, lo, hi int64) {
	if v == nil {
		return
	}
	if *v < lo || *v > hi {
		ps.Add(path, "must be between %d and %d, got %d", lo, hi, *v)
	}
}

// CheckAtLeast reports a set value below lo.
func CheckAtLeast(ps *Problems, path string, v *int64, lo int64) {
	if v != nil && *v < lo {
		ps.Add(path, "must be at least %d, got %d", lo, *v)
	}
}

// CheckQuantity reports a string that is not a Kubernetes resource quantity.
func CheckQuantity(ps *Problems, path, v string) {
	if _, err := resource.ParseQuantity(v); err != nil {
		ps.Add(path, "%q is not a Kubernetes quantity: use e.g. \"16Gi\" for memory or \"4\" / \"500m\" for CPU", v)
	}
}

// CheckEngine reports an engine the runtime does not support.
func CheckEngine(ps *Problems, runtimeName string, e Engine, supported ...Engine) {
	if slices.Contains(supported, e) {
		return
	}
	names := make([]string, len(supported))
	for i, s := range supported {
		names[i] = string(s)
	}
	if slices.Contains(Engines, e) {
		ps.Add("engine", "%s does not support engine %q: use one of %s", runtimeName, e, strings.Join(names, ", "))
		return
	}
	ps.Add("engine", "unknown engine %q: use one of %s", e, strings.Join(names, ", "))
}

// CheckOneOf reports a value outside the allowed set.
func CheckOneOf(ps *Problems, path, v string, allowed ...string) {
	if !slices.Contains(allowed, v) {
		ps.Add(path, "unknown value %q: use one of %s", v, strings.Join(allowed, ", "))
	}
}

// CheckEngineArgs validates keys and values of engine_args. reserved are keys the runtime
// renders itself (they must be set through their dedicated attributes).
func CheckEngineArgs(ps *Problems, args map[string]string, reserved map[string]string) {
	for _, k := range SortedKeys(args) {
		switch {
		case strings.HasPrefix(k, "-"):
			ps.AddKey("engine_args", k, "write the flag name without leading dashes, e.g. %q", strings.TrimLeft(k, "-"))
		case !engineArgKey.MatchString(k):
			ps.AddKey("engine_args", k, "flag names may only contain letters, digits, '-', '_' and '.'")
		case reserved[k] != "":
			ps.AddKey("engine_args", k, "%q is managed by this provider: set %s instead", k, reserved[k])
		}
		if args[k] == "false" {
			ps.AddKey("engine_args", k, "\"false\" would render nothing: remove the entry to leave the flag off, or use the engine's negated flag (e.g. \"no-%s\" = \"true\")", k)
			continue
		}
		CheckEngineArgText(ps, k, args[k])
	}
}

// CheckEngineArgText reports an engine_args value that cannot travel as one argv token.
func CheckEngineArgText(ps *Problems, k, v string) {
	switch {
	case !utf8.ValidString(v):
		ps.AddKey("engine_args", k, "the value must be valid UTF-8 text")
	case !engineArgValue.MatchString(v):
		ps.AddKey("engine_args", k, "the value must not contain control characters such as newlines")
	case strings.HasPrefix(v, "--"):
		ps.AddKey("engine_args", k, "the value %q looks like a flag: give each flag its own engine_args entry", v)
	}
}

// SortedKeys returns the map keys in lexical order (deterministic rendering).
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// EngineArgFlags renders engine_args as exec-form CLI arguments in key order: "true" is a bare
// flag, any other value follows the flag as its own argument. ("false" is rejected by
// CheckEngineArgs because it could not be read back.)
func EngineArgFlags(args map[string]string) []string {
	var out []string
	for _, k := range SortedKeys(args) {
		switch v := args[k]; v {
		case "true":
			out = append(out, "--"+k)
		default:
			out = append(out, "--"+k, v)
		}
	}
	return out
}
