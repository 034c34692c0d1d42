package kuberay

import (
	"fmt"
	"strconv"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Parse reads a RayService back into a config (import and drift detection).
func (Runtime) Parse(obj *unstructured.Unstructured) (runtimes.DeploymentConfig, error) {
	if err := runtimes.CheckKind(obj, crd); err != nil {
		return runtimes.DeploymentConfig{}, err
	}
	var rs rayService
	if err := runtimes.FromMap(obj.Object, &rs); err != nil {
		return runtimes.DeploymentConfig{}, fmt.Errorf("decoding %s: %w", obj.GetName(), err)
	}
	var serve serveConfig
	if err := yaml.Unmarshal([]byte(rs.Spec.ServeConfigV2), &serve); err != nil {
		return runtimes.DeploymentConfig{}, fmt.Errorf("%s: spec.serveConfigV2: %w", obj.GetName(), err)
	}
	if len(serve.Applications) != 1 {
		return runtimes.DeploymentConfig{}, fmt.Errorf("%s: expected one Serve application, found %d", obj.GetName(), len(serve.Applications))
	}
	args := serve.Applications[0].Args
	cfg := runtimes.DeploymentConfig{
		Name:       obj.GetName(),
		Namespace:  obj.GetNamespace(),
		Runtime:    ID,
		Engine:     runtimes.EngineVLLM,
		RouterMode: runtimes.RouterNone,
	}
	groups := map[string]workerGroupSpec{}
	for _, g := range rs.Spec.RayClusterConfig.WorkerGroupSpecs {
		groups[g.GroupName] = g
	}
	var llm llmConfig
	var worker workerGroupSpec
	switch {
	case args.PrefillConfig != nil && args.DecodeConfig != nil:
		cfg.Mode = runtimes.ModeDisaggregated
		llm = *args.DecodeConfig
		prefill, decode := groups[groupPrefill], groups[groupDecode]
		cfg.Disaggregated = &runtimes.DisaggregatedConfig{
			PrefillReplicas: runtimes.Int64(prefill.Replicas),
			PrefillGPUs:     gpuCount(prefill),
			DecodeReplicas:  runtimes.Int64(decode.Replicas),
			DecodeGPUs:      gpuCount(decode),
		}
		worker = decode
	case len(args.LLMConfigs) == 1:
		cfg.Mode = runtimes.ModeAggregated
		llm = args.LLMConfigs[0]
		worker = groups[groupGPU]
		cfg.Replicas = runtimes.Int64(worker.Replicas)
		cfg.GPUs = gpuCount(worker)
	default:
		return cfg, fmt.Errorf("%s: serveConfigV2 has neither one llm_config nor prefill/decode configs", obj.GetName())
	}
	cfg.Model = llm.ModelLoadingConfig.ModelSource
	cfg.ServedModelName = llm.ModelLoadingConfig.ModelID

	headSpec := rs.Spec.RayClusterConfig.HeadGroupSpec.Template.Spec
	if len(headSpec.Containers) == 0 || len(worker.Template.Spec.Containers) == 0 {
		return cfg, fmt.Errorf("%s: head or worker group has no container", obj.GetName())
	}
	head, work := headSpec.Containers[0], worker.Template.Spec.Containers[0]
	// The HF token envFrom is the one without "optional": the workload's own env_from
	// entries always carry optional: false (runtimes.EnvFrom).
	for _, e := range work.EnvFrom {
		if e.SecretRef != nil && e.SecretRef.Optional == nil {
			cfg.HFTokenSecret = e.SecretRef.Name
			break
		}
	}
	k := &runtimes.KubeRayConfig{
		Image:           work.Image,
		HeadCPU:         head.Resources.Limits["cpu"],
		HeadMemory:      head.Resources.Limits["memory"],
		WorkerCPU:       work.Resources.Limits["cpu"],
		WorkerMemory:    work.Resources.Limits["memory"],
		MinReplicas:     runtimes.Int64(llm.DeploymentConfig.AutoscalingConfig.MinReplicas),
		MaxReplicas:     runtimes.Int64(llm.DeploymentConfig.AutoscalingConfig.MaxReplicas),
		AcceleratorType: llm.AcceleratorType,
		KVConnector:     KVConnectorNixl,
	}
	cfg.KubeRay = k
	parseEngineKwargs(&cfg, llm.EngineKwargs)
	return cfg, nil
}

func gpuCount(g workerGroupSpec) *int64 {
	if len(g.Template.Spec.Containers) == 0 {
		return nil
	}
	v, _ := runtimes.GPULimit(g.Template.Spec.Containers[0].Resources.Limits) // gpu_resource_name may rename it
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil
	}
	return &n
}

// parseEngineKwargs splits engine_kwargs into the managed settings and engine_args.
func parseEngineKwargs(cfg *runtimes.DeploymentConfig, kwargs map[string]any) {
	var kw engineKwargs
	_ = runtimes.FromMap(kwargs, &kw) // unknown or mistyped keys are reported via engine_args below
	k := cfg.KubeRay
	k.TensorParallel = runtimes.Int64(kw.TensorParallelSize)
	k.PipelineParallel = runtimes.Int64(kw.PipelineParallelSize)
	k.GPUMemoryUtilization = runtimes.Float64(kw.GPUMemoryUtilization)
	k.MaxNumSeqs = runtimes.Int64(kw.MaxNumSeqs)
	k.EnableChunkedPrefill = runtimes.Bool(kw.EnableChunkedPrefill)
	if kw.KVTransferConfig != nil {
		k.KVConnector = kw.KVTransferConfig.KVConnector
	}
	cfg.ContextLength = runtimes.Int64(kw.MaxModelLen)
	cfg.EnablePrefixCaching = runtimes.Bool(kw.EnablePrefixCaching)
	cfg.EnforceEager = runtimes.Bool(kw.EnforceEager)
	cfg.TrustRemoteCode = kw.TrustRemoteCode
	for key, v := range kwargs {
		if _, managed := managedKwargs[key]; managed {
			continue
		}
		if cfg.EngineArgs == nil {
			cfg.EngineArgs = map[string]string{}
		}
		cfg.EngineArgs[key] = scalarString(v)
	}
}

func scalarString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	default:
		return fmt.Sprint(t)
	}
}
