package llmd

import (
	"strings"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// The llm-d labels the guides put on model-server pods (guides/*/modelserver kustomizations
// and gaie values): the pool selects llm-d.ai/inference-serving=true, the P/D filters read
// llm-d.ai/role, llm-d.ai/model and llm-d.ai/guide name the model and the well-lit path.
const (
	LabelInferenceServing = "llm-d.ai/inference-serving"
	LabelModel            = "llm-d.ai/model"
	LabelRole             = "llm-d.ai/role"
	LabelGuide            = "llm-d.ai/guide"

	RoleDecode  = "decode"
	RolePrefill = "prefill"

	GuideBaseline = "optimized-baseline"
	GuidePD       = "pd-disaggregation"

	componentEPP = "endpoint-picker"
)

// Annotations on the decode Deployment that let Parse and Status see the prefill pool (the
// primary object is all they read).
const (
	annotationPrefix          = "llmd.kubefoundry.io/"
	annotationPrefillReplicas = annotationPrefix + "prefill-replicas"
	annotationPrefillGPUs     = annotationPrefix + "prefill-gpus"
	annotationPrefillTemplate = annotationPrefix + "prefill-template"
)

// ModelLabel is the llm-d.ai/model value: the model id's last path element (as the guides
// write "Qwen3-32B" for Qwen/Qwen3-32B), reduced to a label value (63 characters of
// [A-Za-z0-9._-], alphanumeric at both ends).
func ModelLabel(model string) string {
	if i := strings.LastIndex(model, "/"); i >= 0 {
		model = model[i+1:]
	}
	b := []byte(model)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			b[i] = '-'
		}
	}
	out := string(b)
	if len(out) > 63 {
		out = out[:63]
	}
	out = strings.Trim(out, "._-")
	if out == "" {
		return "model"
	}
	return out
}

// PoolSelector selects the model-server pods of deployment name: both roles, never the EPP.
func PoolSelector(name string) map[string]string {
	return map[string]string{runtimes.LabelInstance: name, runtimes.LabelProvider: ID, LabelInferenceServing: "true"}
}

func deploymentSelector(name, role string) map[string]any {
	return map[string]any{runtimes.LabelInstance: name, runtimes.LabelProvider: ID, runtimes.LabelComponent: role}
}
