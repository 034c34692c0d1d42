package kaito

import "strings"

// PremadeModel is one prebuilt AIKit image that serves a GGUF model with llama.cpp.
type PremadeModel struct {
	ID        string // premade id, e.g. "llama3.2:1b"
	CatalogID string // KubeFoundry model catalogue id, e.g. "kaito/llama3.2-1b"
	Image     string
	ModelName string // the model name the image serves
	License   string
}

const premadeRegistry = "ghcr.io/kaito-project/aikit/"

// Premade is KubeFoundry's catalogue of premade models (notes §5). The catalogue id is
// listed explicitly: deriving it by replacing the first "-" broke "gpt-oss-20b" upstream.
var Premade = []PremadeModel{
	premade("llama3.2:1b", "llama-3.2-1b-instruct", "Llama"),
	premade("llama3.2:3b", "llama-3.2-3b-instruct", "Llama"),
	premade("llama3.1:8b", "llama-3.1-8b-instruct", "Llama"),
	premade("llama3.3:70b", "llama-3.3-70b-instruct", "Llama"),
	premade("mixtral:8x7b", "mixtral-8x7b-instruct", "Apache"),
	premade("phi4:14b", "phi-4-14b-instruct", "MIT"),
	premade("gemma2:2b", "gemma-2-2b-instruct", "Gemma"),
	premade("qwq:32b", "qwq-32b", "Apache 2.0"),
	premade("codestral:22b", "codestral-22b", "MNLP"),
	premade("gpt-oss:20b", "gpt-oss-20b", "Apache 2.0"),
}

func premade(id, modelName, license string) PremadeModel {
	return PremadeModel{
		ID:        id,
		CatalogID: "kaito/" + strings.Replace(id, ":", "-", 1),
		Image:     premadeRegistry + id,
		ModelName: modelName,
		License:   license,
	}
}

// FindPremade looks a premade model up by premade id ("gpt-oss:20b") or catalogue id
// ("kaito/gpt-oss-20b").
func FindPremade(id string) (PremadeModel, bool) {
	for _, m := range Premade {
		if m.ID == id || m.CatalogID == id {
			return m, true
		}
	}
	return PremadeModel{}, false
}

func premadeByImage(image string) (PremadeModel, bool) {
	for _, m := range Premade {
		if m.Image == image {
			return m, true
		}
	}
	return PremadeModel{}, false
}

// PremadeIDs lists the premade ids in catalogue order.
func PremadeIDs() []string {
	ids := make([]string, len(Premade))
	for i, m := range Premade {
		ids[i] = m.ID
	}
	return ids
}
