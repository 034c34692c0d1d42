// Package kaito renders and reads KAITO Workspaces (kaito.sh/v1beta1): premade AIKit images,
// GGUF models from Hugging Face (direct or pre-built), and vLLM on the KAITO base image.
package kaito

import (
	"context"
	"fmt"
	"strings"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// ID is the runtime identifier (also the kubefoundry.io/provider label value).
const ID = "kaito"

// SupportedVersions are the KAITO releases the rendered Workspace is checked against (strict
// server-side dry run with each release's CRDs); the first is the default.
var SupportedVersions = []string{"0.12.0", "0.8.0"}

// MaxNameLength is the longest Workspace name whose objects KAITO can create: the StatefulSet
// "<name>" stamps its pods with controller-revision-hash "<name>-<hash up to 10 chars>", a
// 63-character label value; the Services "<name>-headless" (KAITO, manifests.go
// GenerateHeadlessServiceManifest, v0.12.0) and "<name>-llamacpp" (ours) must fit 63 too.
const MaxNameLength = 52

// Pinned versions and images.
const (
	Version = "0.12.0"
	// VLLMImage is the KAITO base image that ships vLLM: the tag KAITO 0.12.0 itself runs
	// (presets/workspace/models/supported_models.yaml "base", tag 0.5.0, vLLM 0.2x;
	// kaito-project/kaito v0.12.0). 0.8-era deployments used 0.1.1 (vLLM 0.12).
	VLLMImage = vllmImageRepo + ":0.5.0"
	// vllmImageRepo is how Parse recognises a vLLM workspace of any base image tag.
	vllmImageRepo = "mcr.microsoft.com/aks/kaito/kaito-base"
	// RunnerImage runs a GGUF file straight from Hugging Face. Upstream publishes it only as
	// "latest"; this is the one image we cannot pin to a version.
	RunnerImage = "docker.io/sozercan/runner:latest"

	LlamaCppPort = 5000
	VLLMPort     = 8000
	// ServicePort is the port of the Service KAITO creates for the workspace (targets 5000).
	ServicePort = 80
)

var crd = runtimes.CRD{Group: "kaito.sh", Version: "v1beta1", Kind: "Workspace", Plural: "workspaces"}

// Runtime implements runtimes.Runtime for KAITO.
type Runtime struct{}

// New returns the KAITO runtime.
func New() Runtime { return Runtime{} }

var (
	_ runtimes.Runtime   = Runtime{}
	_ runtimes.Versioned = Runtime{}
)

func (Runtime) ID() string               { return ID }
func (Runtime) DisplayName() string      { return "KAITO" }
func (Runtime) DefaultNamespace() string { return "kaito-workspace" }
func (Runtime) CRD() runtimes.CRD        { return crd }
func (Runtime) Description() string {
	return "Kubernetes AI Toolchain Operator: premade llama.cpp models, GGUF models from Hugging Face (CPU or GPU), or vLLM on GPUs."
}

// Defaults fills the KAITO defaults. The model source is inferred when unambiguous (a
// premade model, a GGUF file, or engine vllm); otherwise Validate asks for it.
func (Runtime) Defaults(cfg *runtimes.DeploymentConfig) {
	if cfg.Runtime == "" {
		cfg.Runtime = ID
	}
	if cfg.KAITO == nil {
		cfg.KAITO = &runtimes.KaitoConfig{}
	}
	k := cfg.KAITO
	if k.ModelSource == "" {
		k.ModelSource = inferSource(*cfg)
	}
	if cfg.Mode == "" {
		cfg.Mode = runtimes.ModeAggregated
	}
	if cfg.RouterMode == "" {
		cfg.RouterMode = runtimes.RouterNone
	}
	runtimes.SetDefault(&cfg.Replicas, 1)
	runtimes.SetDefault(&k.InferenceSet, false)
	runtimes.SetDefault(&cfg.EnforceEager, false)
	runtimes.SetDefault(&cfg.EnablePrefixCaching, false)
	switch k.ModelSource {
	case runtimes.KaitoSourcePremade:
		if k.PremadeModel == "" && strings.HasPrefix(cfg.Model, "kaito/") {
			k.PremadeModel = cfg.Model
		}
		if m, ok := FindPremade(k.PremadeModel); ok {
			k.PremadeModel = m.ID
			if cfg.Model == "" {
				cfg.Model = m.CatalogID
			}
		}
	case runtimes.KaitoSourceHuggingFace:
		if k.RunMode == "" {
			k.RunMode = runtimes.KaitoRunDirect
		}
	case runtimes.KaitoSourceVLLM:
		if k.ComputeType == "" {
			k.ComputeType = runtimes.ComputeGPU
		}
		if cfg.ServedModelName == "" {
			cfg.ServedModelName = cfg.Model
		}
	}
	if cfg.Engine == "" {
		cfg.Engine = runtimes.EngineLlamaCpp
		if k.ModelSource == runtimes.KaitoSourceVLLM {
			cfg.Engine = runtimes.EngineVLLM
		}
	}
	if k.ComputeType == "" {
		k.ComputeType = runtimes.ComputeCPU
	}
	if k.ComputeType == runtimes.ComputeGPU {
		runtimes.SetDefault(&cfg.GPUs, 1)
	}
	if len(k.LabelSelector) == 0 {
		k.LabelSelector = defaultLabelSelector(k.ComputeType)
	}
}

func inferSource(cfg runtimes.DeploymentConfig) string {
	k := cfg.KAITO
	switch {
	case k.PremadeModel != "" || strings.HasPrefix(cfg.Model, "kaito/"):
		if k.PremadeModel == "" {
			k.PremadeModel = cfg.Model
		}
		return runtimes.KaitoSourcePremade
	case k.GGUFFile != "":
		return runtimes.KaitoSourceHuggingFace
	case cfg.Engine == runtimes.EngineVLLM:
		return runtimes.KaitoSourceVLLM
	}
	return ""
}

// defaultLabelSelector picks GPU nodes (labelled by GPU feature discovery) or any Linux node.
// The v1beta1 CRD requires resource.labelSelector, so there is always one.
func defaultLabelSelector(computeType string) map[string]string {
	if computeType == runtimes.ComputeGPU {
		return map[string]string{"nvidia.com/gpu.present": "true"}
	}
	return map[string]string{"kubernetes.io/os": "linux"}
}

// Endpoint is one of our companion Services, which select every replica: "<name>-vllm"
// (port 8000) for vLLM, "<name>-llamacpp" (port 80 → 5000) for llama.cpp. KAITO's own
// Service "<name>" selects only pod "<name>-0" (manifests.go GenerateServiceManifest,
// kaito-project/kaito v0.8.0 and v0.12.0), so with replicas > 1 it would serve from one pod.
func (Runtime) Endpoint(cfg runtimes.DeploymentConfig) string {
	if cfg.KAITO != nil && cfg.KAITO.ModelSource == runtimes.KaitoSourceVLLM {
		return fmt.Sprintf("%s.%s.svc.cluster.local:%d", VLLMServiceName(cfg.Name), cfg.Namespace, VLLMPort)
	}
	return fmt.Sprintf("%s.%s.svc.cluster.local:%d", LlamaCppServiceName(cfg.Name), cfg.Namespace, ServicePort)
}

// CheckInstallation looks for the Workspace CRD and a running KAITO workspace controller.
func (r Runtime) CheckInstallation(ctx context.Context, c kubernetes.Interface, d dynamic.Interface) (runtimes.InstallationStatus, error) {
	return runtimes.CheckInstallation(ctx, c, d, r.DisplayName(), r.Install())
}
