package catalog

import (
	"path"
	"sort"
	"strings"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface"
)

// Model is the provider's view of one model, from the curated catalog or the Hub.
type Model struct {
	ID                   string
	Name                 string
	Task                 string
	ParameterCount       int64
	SizeLabel            string
	ContextLength        int64
	Gated                bool
	License              string
	Architecture         string
	Engines              []string
	Runtimes             []string
	EstimatedGPUMemoryGB int64
	MinGPUs              int64
	Compatible           bool
	IncompatibleReason   string
	Curated              bool
	PremadeID            string
	PremadeImage         string
	GGUF                 bool
	GGUFFiles            []GGUFFile
	Downloads            int64
	Likes                int64
}

// GGUFFile is one .gguf file of a GGUF repository.
type GGUFFile struct {
	Name         string
	SizeBytes    int64
	Quantization string // "" when the name does not say
	SHA256       string // "" when unknown
}

// FromEntry describes a curated entry; curated models are compatible by definition.
func FromEntry(e Entry) Model {
	m := Model{
		ID: e.ID, Name: e.Name, Task: e.Task, ParameterCount: e.ParameterCount, SizeLabel: e.Size,
		ContextLength: e.ContextLength, Gated: e.Gated, License: e.License,
		Engines: append([]string{}, e.SupportedEngines...), MinGPUs: e.MinGPUs,
		Compatible: true, Curated: true, PremadeID: e.PremadeID, PremadeImage: e.PremadeImage,
		EstimatedGPUMemoryGB: EstimateGPUMemoryGB(float64(e.ParameterCount)),
		GGUF:                 len(e.SupportedEngines) == 1 && e.SupportedEngines[0] == EngineLlamaCpp,
	}
	if len(m.Engines) > 0 {
		m.Architecture = InferArchitecture(e.ID)
	}
	m.Runtimes = RuntimesForEngines(m.Engines)
	return m
}

// FromHub describes a Hub model. tree may be nil; when given, GGUF file sizes
// and digests come from it, else only the names from the document's siblings.
func FromHub(info *huggingface.ModelInfo, tree []huggingface.TreeEntry) Model {
	facts := Facts{ID: info.ID, PipelineTag: info.PipelineTag, LibraryName: info.LibraryName}
	if info.Config != nil {
		facts.Architectures = info.Config.Architectures
	}
	c := Evaluate(facts)

	var total int64
	var perDtype map[string]int64
	if info.Safetensors != nil {
		total, perDtype = info.Safetensors.Total, info.Safetensors.Parameters
	}
	if total == 0 && info.GGUF != nil {
		total = info.GGUF.Total
	}
	params := ParameterCount(info.ID, total, perDtype)

	m := Model{
		ID: info.ID, Name: path.Base(info.ID), Task: info.PipelineTag,
		ParameterCount: params, SizeLabel: SizeLabel(params),
		Gated: info.Gated.IsGated(), Engines: c.Engines, Runtimes: RuntimesForEngines(c.Engines),
		EstimatedGPUMemoryGB: EstimateGPUMemoryGB(float64(params)), MinGPUs: 1,
		Compatible: c.Compatible, IncompatibleReason: c.Reason, GGUF: c.GGUF,
		Downloads: info.Downloads, Likes: info.Likes,
	}
	if len(c.Architectures) > 0 {
		m.Architecture = c.Architectures[0]
	}
	if info.CardData != nil {
		m.License = info.CardData.License
	}
	if info.GGUF != nil {
		m.ContextLength = info.GGUF.ContextLength
	}
	if c.GGUF {
		m.GGUFFiles = ggufFiles(info, tree)
	}
	return m
}

func ggufFiles(info *huggingface.ModelInfo, tree []huggingface.TreeEntry) []GGUFFile {
	out := []GGUFFile{}
	if tree != nil {
		for _, e := range tree {
			if IsGGUFFile(e.Path) {
				size := e.Size
				if e.LFS != nil && e.LFS.Size > 0 {
					size = e.LFS.Size
				}
				out = append(out, GGUFFile{Name: e.Path, SizeBytes: size, Quantization: GGUFQuantization(e.Path), SHA256: e.SHA256()})
			}
		}
	} else {
		for _, s := range info.Siblings {
			if IsGGUFFile(s.RFilename) {
				out = append(out, GGUFFile{Name: s.RFilename, Quantization: GGUFQuantization(s.RFilename)})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// PreferredGGUFFile picks the file KubeFoundry's UI defaults to: the first
// Q4_K_M, else the first file; "" if there are none.
func PreferredGGUFFile(files []GGUFFile) string {
	for _, f := range files {
		if strings.Contains(strings.ToLower(f.Name), "q4_k_m") {
			return f.Name
		}
	}
	if len(files) > 0 {
		return files[0].Name
	}
	return ""
}
