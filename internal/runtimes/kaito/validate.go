package kaito

import (
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/engineflags"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/basics"
)

// Validate checks a defaulted config against what each KAITO model source supports.
func (r Runtime) Validate(cfg runtimes.DeploymentConfig) runtimes.Problems {
	ps := runtimes.ValidateCommon(cfg, ID)
	gateway.Validate(&ps, cfg, gatewaySupport)
	runtimes.CheckName(&ps, cfg.Name, MaxNameLength, "KAITO creates the Services \"<name>\" and \"<name>-headless\" (Service names are DNS-1035 labels) and a StatefulSet \"<name>\" whose pods are labelled \"<name>-<revision hash>\" (at most 63 characters), next to our \"<name>-llamacpp\" or \"<name>-vllm\" Service; a longer or digit-leading name never deploys")
	if cfg.KAITO != nil {
		runtimes.ValidateWorkload(&ps, cfg, workloadSupport(cfg))
	}
	if cfg.Mode != runtimes.ModeAggregated {
		ps.Add("mode", "KAITO does not support disaggregated prefill/decode serving: set mode = \"aggregated\" or use runtime \"dynamo\" or \"kuberay\"")
	}
	if cfg.Disaggregated != nil {
		ps.Add("disaggregated", "KAITO does not support disaggregated serving: remove the block")
	}
	basics.RefuseOtherBlocks(&ps, cfg, "kuberay")
	if cfg.RouterMode != runtimes.RouterNone {
		ps.Add("router_mode", "KAITO has no request router: set router_mode = \"none\" (router modes are a Dynamo feature)")
	}
	k := cfg.KAITO
	if k == nil {
		ps.Add("kaito", "missing: call Defaults before Validate")
		return ps
	}
	validateCompute(&ps, cfg)
	runtimes.CheckToken(&ps, "kaito.gguf_file", k.GGUFFile)
	runtimes.CheckToken(&ps, "kaito.image_ref", k.ImageRef)
	switch k.ModelSource {
	case runtimes.KaitoSourcePremade:
		validatePremade(&ps, cfg)
	case runtimes.KaitoSourceHuggingFace:
		validateHuggingFace(&ps, cfg)
	case runtimes.KaitoSourceVLLM:
		validateVLLM(&ps, cfg)
	case "":
		ps.Add("kaito.model_source", "must be set: \"premade\" (kaito.premade_model), \"huggingface\" (a GGUF file, kaito.gguf_file) or \"vllm\"")
	default:
		ps.Add("kaito.model_source", "unknown value %q: use \"premade\", \"huggingface\" or \"vllm\"", k.ModelSource)
	}
	return ps
}

// reservedSelectorLabels are ignored in a Workspace label selector by KAITO 0.12
// (api/v1beta1/labels.go reservedSelectorLabelKeys, kaito-project/kaito v0.12.0).
var reservedSelectorLabels = map[string]bool{
	"kaito.sh/workspace": true, "kaito.sh/ragengine": true,
	"kaito.sh/workspacenamespace": true, "kaito.sh/ragenginenamespace": true,
	"karpenter.kaito.sh/workspace-name": true, "karpenter.kaito.sh/workspace-namespace": true,
	"karpenter.kaito.sh/inferenceset": true, "karpenter.kaito.sh/inferenceset-namespace": true,
}

func validateCompute(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	k := cfg.KAITO
	runtimes.CheckOneOf(ps, "kaito.compute_type", k.ComputeType, runtimes.ComputeCPU, runtimes.ComputeGPU)
	if cfg.GPUs != nil && k.ComputeType != runtimes.ComputeGPU {
		ps.Add("gpus", "only used with kaito.compute_type = \"gpu\": remove gpus or switch the compute type")
	}
	runtimes.CheckAtLeast(ps, "gpus", cfg.GPUs, 1)
	if k.CPU != "" {
		runtimes.CheckQuantity(ps, "kaito.cpu", k.CPU)
	}
	if len(k.LabelSelector) == 0 {
		ps.Add("kaito.label_selector", "must select the nodes to run on (the Workspace CRD requires a label selector)")
	}
	for _, key := range runtimes.SortedKeys(k.LabelSelector) {
		if reservedSelectorLabels[key] {
			ps.AddKey("kaito.label_selector", key, "%q is a label KAITO sets on its own nodes; KAITO 0.12 silently drops it from the selector (and rejects a selector of only such keys): select nodes by your own labels", key)
		}
		if errs := validation.IsQualifiedName(key); len(errs) > 0 {
			ps.AddKey("kaito.label_selector", key, "%q is not a valid label key: %s", key, strings.Join(errs, "; "))
		}
		if errs := validation.IsValidLabelValue(k.LabelSelector[key]); len(errs) > 0 {
			ps.AddKey("kaito.label_selector", key, "%q is not a valid label value: %s", k.LabelSelector[key], strings.Join(errs, "; "))
		}
	}
}

// validateLlamaCpp rejects the vLLM-only settings for the llama.cpp sources.
func validateLlamaCpp(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	if cfg.Engine != runtimes.EngineLlamaCpp {
		ps.Add("engine", "kaito.model_source %q runs llama.cpp: set engine = \"llamacpp\" (or use model_source \"vllm\" for vLLM)", cfg.KAITO.ModelSource)
	}
	unsupported := func(path string, set bool) {
		if set {
			ps.Add(path, "not supported by the llama.cpp runner (model_source %q): remove it or use model_source \"vllm\"", cfg.KAITO.ModelSource)
		}
	}
	unsupported("served_model_name", cfg.ServedModelName != "")
	unsupported("context_length", cfg.ContextLength != nil)
	unsupported("enforce_eager", runtimes.Deref(cfg.EnforceEager))
	unsupported("enable_prefix_caching", runtimes.Deref(cfg.EnablePrefixCaching))
	unsupported("trust_remote_code", cfg.TrustRemoteCode)
	unsupported("engine_args", len(cfg.EngineArgs) > 0)
}

func validatePremade(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	validateLlamaCpp(ps, cfg)
	k := cfg.KAITO
	m, ok := FindPremade(k.PremadeModel)
	switch {
	case k.PremadeModel == "":
		ps.Add("kaito.premade_model", "must be set for model_source \"premade\": one of %s", strings.Join(PremadeIDs(), ", "))
	case !ok:
		ps.Add("kaito.premade_model", "unknown premade model %q: use one of %s", k.PremadeModel, strings.Join(PremadeIDs(), ", "))
	case cfg.Model != "" && cfg.Model != m.CatalogID:
		ps.Add("model", "%q does not match kaito.premade_model %q: leave model unset or set it to %q", cfg.Model, m.ID, m.CatalogID)
	}
	if k.GGUFFile != "" {
		ps.Add("kaito.gguf_file", "only used with model_source \"huggingface\": premade images already contain their model")
	}
	if k.RunMode != "" {
		ps.Add("kaito.run_mode", "only used with model_source \"huggingface\": remove it")
	}
	if k.ImageRef != "" {
		ps.Add("kaito.image_ref", "only used with model_source \"huggingface\" and run_mode \"build\": premade models use their catalogue image")
	}
	if cfg.HFTokenSecret != "" {
		ps.Add("hf_token_secret", "premade images download nothing from Hugging Face: remove it")
	}
}

func validateHuggingFace(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	validateLlamaCpp(ps, cfg)
	k := cfg.KAITO
	if parts := strings.Split(cfg.Model, "/"); len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		ps.Add("model", "must be a Hugging Face repository id \"<owner>/<repo>\" that holds the GGUF file, got %q", cfg.Model)
	}
	switch {
	case k.GGUFFile == "":
		ps.Add("kaito.gguf_file", "must be set for model_source \"huggingface\": the .gguf file in the repository, e.g. \"Llama-3.2-1B-Instruct-Q4_K_M.gguf\"")
	case !strings.HasSuffix(strings.ToLower(k.GGUFFile), ".gguf"):
		ps.Add("kaito.gguf_file", "%q is not a GGUF file: the name must end in .gguf", k.GGUFFile)
	case strings.Contains(k.GGUFFile, "..") || strings.HasPrefix(k.GGUFFile, "/"):
		ps.Add("kaito.gguf_file", "%q must be a plain path inside the repository (no leading '/', no '..')", k.GGUFFile)
	}
	if k.PremadeModel != "" {
		ps.Add("kaito.premade_model", "only used with model_source \"premade\": remove it")
	}
	switch k.RunMode {
	case runtimes.KaitoRunDirect:
		if k.ImageRef != "" {
			ps.Add("kaito.image_ref", "run_mode \"direct\" uses the runner image and downloads the file at start: remove image_ref or set run_mode = \"build\"")
		}
	case runtimes.KaitoRunBuild:
		if k.ImageRef == "" {
			ps.Add("kaito.image_ref", "run_mode \"build\" runs an image built for this GGUF file: set image_ref, e.g. to kubefoundry_gguf_image.<name>.image_by_digest")
		}
		if cfg.HFTokenSecret != "" {
			ps.Add("hf_token_secret", "a built image already contains the model: remove it")
		}
	default:
		ps.Add("kaito.run_mode", "unknown value %q: use \"direct\" or \"build\"", k.RunMode)
	}
}

func validateVLLM(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	k := cfg.KAITO
	if cfg.Engine != runtimes.EngineVLLM {
		ps.Add("engine", "kaito.model_source \"vllm\" runs vLLM: set engine = \"vllm\"")
	}
	if strings.TrimSpace(cfg.Model) == "" {
		ps.Add("model", "must be set to a Hugging Face model id such as \"Qwen/Qwen3-0.6B\"")
	}
	if k.ComputeType != runtimes.ComputeGPU {
		ps.Add("kaito.compute_type", "vLLM needs GPUs: set compute_type = \"gpu\"")
	}
	if cfg.GPUs == nil {
		ps.Add("gpus", "must be set for vLLM (GPUs per replica, used as tensor parallel size)")
	}
	for _, f := range []struct {
		path string
		set  bool
	}{
		{"kaito.premade_model", k.PremadeModel != ""},
		{"kaito.gguf_file", k.GGUFFile != ""},
		{"kaito.run_mode", k.RunMode != ""},
		{"kaito.image_ref", k.ImageRef != ""},
	} {
		if f.set {
			ps.Add(f.path, "not used with model_source \"vllm\": remove it")
		}
	}
	runtimes.CheckEngineArgs(ps, cfg.EngineArgs, map[string]string{
		"model": "model", "served-model-name": "served_model_name", "tensor-parallel-size": "gpus",
		"max-model-len": "context_length", "enforce-eager": "enforce_eager",
		"enable-prefix-caching": "enable_prefix_caching", "no-enable-prefix-caching": "enable_prefix_caching", "trust-remote-code": "trust_remote_code",
		"port": "nothing (the Service expects port 8000)",
	})
	// Switch or value, read from vLLM main of the weeks before 0.25.1 (engineflags.EnginePins:
	// no source pins the vllm==0.25.1 of KAITO 0.12's base image exactly).
	engineflags.VLLMNearest(engineflags.VLLMKAITOTable, "vLLM 0.25.1", true).CheckArgs(cfg.EngineArgs,
		func(k string) bool { return ps.HasKey("engine_args", k) },
		func(k, msg string) { ps.AddKey("engine_args", k, "%s", msg) })
}
