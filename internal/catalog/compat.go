package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// SupportedPipelineTags are the Hub tasks the engines serve.
var SupportedPipelineTags = []string{"text-generation", "text2text-generation", "conversational"}

// SupportedLibraries are the Hub library names the engines load ("" = unset).
var SupportedLibraries = []string{"transformers", "vllm", "gguf", ""}

// Facts is what compatibility is decided on (from the Hub model document).
type Facts struct {
	ID            string
	PipelineTag   string
	LibraryName   string
	Architectures []string // config.architectures; may be empty (gated models)
}

// Compatibility is the verdict for one model.
type Compatibility struct {
	Compatible bool
	// Reason explains why not; empty when compatible.
	Reason string
	// Architectures used for the verdict: config.architectures or inferred.
	Architectures []string
	// ArchitectureInferred is true when Architectures came from the id.
	ArchitectureInferred bool
	GGUF                 bool
	// Engines that can serve the model, in Engines order.
	Engines []string
}

// archInference maps id patterns to an architecture; the first match wins.
var archInference = []struct {
	re   *regexp.Regexp
	arch string
}{
	{regexp.MustCompile(`(?i)llama[-_]?3`), "LlamaForCausalLM"},
	{regexp.MustCompile(`(?i)llama[-_]?2`), "LlamaForCausalLM"},
	{regexp.MustCompile(`(?i)llama`), "LlamaForCausalLM"},
	{regexp.MustCompile(`(?i)\bmixtral`), "MixtralForCausalLM"},
	{regexp.MustCompile(`(?i)\bmistral`), "MistralForCausalLM"},
	{regexp.MustCompile(`(?i)\bqwen[-_]?3`), "Qwen3ForCausalLM"},
	{regexp.MustCompile(`(?i)\bqwen`), "Qwen2ForCausalLM"},
	{regexp.MustCompile(`(?i)\bgemma[-_]?2(?:-|$)`), "Gemma2ForCausalLM"},
	{regexp.MustCompile(`(?i)\bgemma2\b`), "Gemma2ForCausalLM"},
	{regexp.MustCompile(`(?i)\bgemma\b`), "GemmaForCausalLM"},
	{regexp.MustCompile(`(?i)\bphi[-_]?3`), "Phi3ForCausalLM"},
	{regexp.MustCompile(`(?i)\bphi`), "PhiForCausalLM"},
	{regexp.MustCompile(`(?i)\bfalcon`), "FalconForCausalLM"},
	{regexp.MustCompile(`(?i)\bdeepseek`), "DeepseekV2ForCausalLM"},
	{regexp.MustCompile(`(?i)\bgranite`), "GraniteForCausalLM"},
	{regexp.MustCompile(`(?i)\bolmo[-_]?2`), "Olmo2ForCausalLM"},
	{regexp.MustCompile(`(?i)\bolmo`), "OlmoForCausalLM"},
}

// InferArchitecture guesses the architecture from a model id; "" if unknown.
// Used when the Hub hides config.architectures (typically gated models).
func InferArchitecture(id string) string {
	for _, r := range archInference {
		if r.re.MatchString(id) {
			return r.arch
		}
	}
	return ""
}

// IsGGUFRepo reports whether a repository holds GGUF files (llama.cpp only).
func IsGGUFRepo(id, libraryName string) bool {
	return libraryName == "gguf" || strings.Contains(strings.ToLower(id), "gguf")
}

// Evaluate decides which engines can serve a model and, if none, why not.
// Compatible means: a GGUF repository (llama.cpp); or a supported task and
// library with an architecture some engine allows; or, when the Hub hides
// config.architectures, an architecture inferred from the id that some engine
// allows (KubeFoundry's rule, except that a task set to an unsupported value
// still rejects the model here).
func Evaluate(f Facts) Compatibility {
	c := Compatibility{Architectures: slices.Clone(f.Architectures), Engines: []string{}}
	if len(c.Architectures) == 0 {
		if a := InferArchitecture(f.ID); a != "" {
			c.Architectures, c.ArchitectureInferred = []string{a}, true
		}
	}
	if IsGGUFRepo(f.ID, f.LibraryName) {
		c.GGUF, c.Compatible, c.Engines = true, true, []string{EngineLlamaCpp}
		return c
	}
	engines := enginesFor(c.Architectures)
	tagOK := slices.Contains(SupportedPipelineTags, f.PipelineTag)
	libOK := slices.Contains(SupportedLibraries, f.LibraryName)
	explicit := tagOK && libOK && len(engines) > 0
	inferred := c.ArchitectureInferred && len(engines) > 0 && (tagOK || f.PipelineTag == "")
	if explicit || inferred {
		c.Compatible, c.Engines = true, engines
		return c
	}
	switch {
	case f.PipelineTag == "":
		c.Reason = "Model has no pipeline tag"
	case !tagOK:
		c.Reason = fmt.Sprintf("Pipeline tag %q is not supported for inference", f.PipelineTag)
	case !libOK:
		c.Reason = fmt.Sprintf("Library %q is not supported", f.LibraryName)
	case len(c.Architectures) == 0:
		c.Reason = "Model architecture is unknown"
	default:
		c.Reason = fmt.Sprintf("Architecture %q is not supported by any engine", strings.Join(c.Architectures, ", "))
	}
	return c
}

// enginesFor lists engines (except llama.cpp, which needs GGUF files) whose
// allow-list contains any of archs.
func enginesFor(archs []string) []string {
	out := []string{}
	for _, e := range Engines {
		if e == EngineLlamaCpp {
			continue
		}
		for _, a := range archs {
			if EngineSupportsArchitecture(e, a) {
				out = append(out, e)
				break
			}
		}
	}
	return out
}
