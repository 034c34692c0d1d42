package kaito_test

import (
	"testing"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kaito"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

func TestValidateRejects(t *testing.T) {
	premade := rt.DeploymentConfig{Name: "llama", Namespace: "kaito-workspace", KAITO: &rt.KaitoConfig{ModelSource: rt.KaitoSourcePremade, PremadeModel: "llama3.2:1b"}}
	hf := func(c *rt.DeploymentConfig) {
		c.Model = "bartowski/Llama-3.2-1B-Instruct-GGUF"
		c.KAITO = &rt.KaitoConfig{ModelSource: rt.KaitoSourceHuggingFace, GGUFFile: "Llama-3.2-1B-Instruct-Q4_K_M.gguf"}
	}
	vllm := func(c *rt.DeploymentConfig) {
		c.Model = "Qwen/Qwen3-0.6B"
		c.KAITO = &rt.KaitoConfig{ModelSource: rt.KaitoSourceVLLM}
	}
	checkInvalid(t, premade, []invalid{
		{"bad name", func(c *rt.DeploymentConfig) { c.Name = "llama.1b" }, "name", `"llama.1b" is not a valid name`},
		{"disaggregated mode", func(c *rt.DeploymentConfig) { c.Mode = rt.ModeDisaggregated }, "mode", "KAITO does not support disaggregated"},
		{"disaggregated block", func(c *rt.DeploymentConfig) { c.Disaggregated = &rt.DisaggregatedConfig{} }, "disaggregated", "remove the block"},
		{"replicas out of range", func(c *rt.DeploymentConfig) { c.Replicas = rt.Int64(0) }, "replicas", "between 1 and 10, got 0"},
		{"router mode", func(c *rt.DeploymentConfig) { c.RouterMode = rt.RouterRoundRobin }, "router_mode", "KAITO has no request router"},
		{"kuberay block", func(c *rt.DeploymentConfig) { c.KubeRay = &rt.KubeRayConfig{} }, "kuberay", `only applies to runtime "kuberay"`},
		{"unknown premade model", func(c *rt.DeploymentConfig) { c.KAITO.PremadeModel = "llama4:400b" }, "kaito.premade_model", `unknown premade model "llama4:400b"`},
		{"missing premade model", func(c *rt.DeploymentConfig) { c.KAITO.PremadeModel = "" }, "kaito.premade_model", `must be set for model_source "premade"`},
		{"premade model mismatch", func(c *rt.DeploymentConfig) { c.Model = "kaito/phi4-14b" }, "model", `does not match kaito.premade_model "llama3.2:1b"`},
		{"vllm engine on premade", func(c *rt.DeploymentConfig) { c.Engine = rt.EngineVLLM }, "engine", `model_source "premade" runs llama.cpp`},
		{"context length on llama.cpp", func(c *rt.DeploymentConfig) { c.ContextLength = rt.Int64(4096) }, "context_length", "not supported by the llama.cpp runner"},
		{"hf token on premade", func(c *rt.DeploymentConfig) { c.HFTokenSecret = "hf" }, "hf_token_secret", "premade images download nothing"},
		{"image ref on premade", func(c *rt.DeploymentConfig) { c.KAITO.ImageRef = "example.com/x:1" }, "kaito.image_ref", "premade models use their catalogue image"},
		{"gpus on cpu", func(c *rt.DeploymentConfig) { c.GPUs = rt.Int64(1) }, "gpus", `only used with kaito.compute_type = "gpu"`},
		{"unknown compute type", func(c *rt.DeploymentConfig) { c.KAITO.ComputeType = "tpu" }, "kaito.compute_type", `unknown value "tpu"`},
		{"bad label key", func(c *rt.DeploymentConfig) { c.KAITO.LabelSelector = map[string]string{"bad key": "x"} }, `kaito.label_selector["bad key"]`, "not a valid label key"},
		{"bad cpu", func(c *rt.DeploymentConfig) { c.KAITO.CPU = "2 cores" }, "kaito.cpu", "not a Kubernetes quantity"},
		{"unknown model source", func(c *rt.DeploymentConfig) { c.KAITO.ModelSource = "ollama" }, "kaito.model_source", `unknown value "ollama"`},
		{"no model source", func(c *rt.DeploymentConfig) { c.KAITO = &rt.KaitoConfig{} }, "kaito.model_source", "must be set"},
		{"missing gguf file", func(c *rt.DeploymentConfig) { hf(c); c.KAITO.GGUFFile = "" }, "kaito.gguf_file", `must be set for model_source "huggingface"`},
		{"not a gguf file", func(c *rt.DeploymentConfig) { hf(c); c.KAITO.GGUFFile = "model.safetensors" }, "kaito.gguf_file", "is not a GGUF file"},
		{"gguf path traversal", func(c *rt.DeploymentConfig) { hf(c); c.KAITO.GGUFFile = "../x.gguf" }, "kaito.gguf_file", "plain path inside the repository"},
		{"gguf file with space", func(c *rt.DeploymentConfig) { hf(c); c.KAITO.GGUFFile = "my model.gguf" }, "kaito.gguf_file", "must not contain spaces"},
		{"hf model not a repo id", func(c *rt.DeploymentConfig) { hf(c); c.Model = "llama" }, "model", `"<owner>/<repo>"`},
		{"build without image", func(c *rt.DeploymentConfig) { hf(c); c.KAITO.RunMode = rt.KaitoRunBuild }, "kaito.image_ref", `run_mode "build" runs an image built for this GGUF file`},
		{"direct with image", func(c *rt.DeploymentConfig) { hf(c); c.KAITO.ImageRef = "example.com/x:1" }, "kaito.image_ref", `run_mode "direct" uses the runner image`},
		{"unknown run mode", func(c *rt.DeploymentConfig) { hf(c); c.KAITO.RunMode = "pull" }, "kaito.run_mode", `unknown value "pull"`},
		{"premade model on hf", func(c *rt.DeploymentConfig) { hf(c); c.KAITO.PremadeModel = "llama3.2:1b" }, "kaito.premade_model", `only used with model_source "premade"`},
		{"vllm on cpu", func(c *rt.DeploymentConfig) { vllm(c); c.KAITO.ComputeType = rt.ComputeCPU }, "kaito.compute_type", "vLLM needs GPUs"},
		{"vllm without model", func(c *rt.DeploymentConfig) { vllm(c); c.Model = "" }, "model", "must be set to a Hugging Face model id"},
		{"vllm with llamacpp engine", func(c *rt.DeploymentConfig) { vllm(c); c.Engine = rt.EngineLlamaCpp }, "engine", `model_source "vllm" runs vLLM`},
		{"vllm with gguf file", func(c *rt.DeploymentConfig) { vllm(c); c.KAITO.GGUFFile = "x.gguf" }, "kaito.gguf_file", `not used with model_source "vllm"`},
		{"vllm reserved engine arg", func(c *rt.DeploymentConfig) { vllm(c); c.EngineArgs = map[string]string{"port": "9000"} }, `engine_args["port"]`, "Service expects port 8000"},
		// Switch or value, from the nearest vLLM tables (internal/engineflags vllm-main-2026-07*.json:
		// vllm-project/vllm main 4708292d4..0b54201a0, the weeks before 0.25.1), KAITO 0.12
		// running vllm==0.25.1.
		{"vllm bare value flag", func(c *rt.DeploymentConfig) { vllm(c); c.EngineArgs = map[string]string{"max-num-seqs": "true"} }, `engine_args["max-num-seqs"]`, `takes a value (vLLM main 2026-06-29..2026-07-14 table, nearest to the vLLM 0.25.1 that runs)`},
		{"vllm switch with value", func(c *rt.DeploymentConfig) {
			vllm(c)
			c.EngineArgs = map[string]string{"enable-chunked-prefill": "yes"}
		}, `engine_args["enable-chunked-prefill"]`, "is a switch that takes no value"},
	})
}

func TestPremadeCatalogue(t *testing.T) {
	if len(kaito.Premade) != 10 {
		t.Fatalf("catalogue has %d models, want 10", len(kaito.Premade))
	}
	m, ok := kaito.FindPremade("kaito/gpt-oss-20b")
	if !ok || m.ID != "gpt-oss:20b" || m.Image != "ghcr.io/kaito-project/aikit/gpt-oss:20b" {
		t.Errorf("kaito/gpt-oss-20b maps to %+v (found %v), want premade gpt-oss:20b", m, ok)
	}
	for _, m := range kaito.Premade {
		byCatalog, ok := kaito.FindPremade(m.CatalogID)
		if !ok || byCatalog.ID != m.ID {
			t.Errorf("catalogue id %s does not map back to %s", m.CatalogID, m.ID)
		}
	}
}

// invalid is a local mirror of runtimestest.InvalidCase so the table can stay positional.
type invalid struct {
	name    string
	mutate  func(*rt.DeploymentConfig)
	path    string
	message string
}

func checkInvalid(t *testing.T, base rt.DeploymentConfig, cases []invalid) {
	out := make([]runtimestest.InvalidCase, len(cases))
	for i, c := range cases {
		out[i] = runtimestest.InvalidCase{Name: c.name, Mutate: c.mutate, Path: c.path, Message: c.message}
	}
	runtimestest.CheckInvalid(t, kaito.New(), base, out)
}
