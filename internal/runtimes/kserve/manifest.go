package kserve

import (
	"strconv"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// The engine container of every KServe preset is "main" (config/llmisvcconfig/*.yaml); the
// controller merges the spec's containers onto the preset's by name.
const (
	containerName = "main"
	gpuResource   = runtimes.DefaultGPUResource
)

// workloadSupport: the main (worker, or decode with a prefill pool) and prefill pods. The
// image default comes from KServe's preset (llm-d's vLLM image), so no default is rendered;
// pod.image replaces it.
var workloadSupport = runtimes.WorkloadSupport{Roles: []string{runtimes.RoleWorker, runtimes.RolePrefill, runtimes.RoleDecode}}

// Manifests renders the LLMInferenceService. Everything else (Deployments or
// LeaderWorkerSets, Services, HTTPRoute, InferencePool, scheduler) is the controller's.
func (r Runtime) Manifests(cfg runtimes.DeploymentConfig) (runtimes.Manifests, error) {
	return render(cfg, APIVersionV1Alpha2, r.Validate)
}

// Manifests renders the v1alpha1 object: the same spec (this provider sets no field the
// versions differ in: model criticality, the v1alpha2 InferencePool spec shape).
func (r V1Alpha1) Manifests(cfg runtimes.DeploymentConfig) (runtimes.Manifests, error) {
	return render(cfg, APIVersionV1Alpha1, r.Validate)
}

func render(cfg runtimes.DeploymentConfig, version string, validate func(runtimes.DeploymentConfig) runtimes.Problems) (runtimes.Manifests, error) {
	if err := validate(cfg).Err(); err != nil {
		return runtimes.Manifests{}, err
	}
	k := cfg.KServe
	mainRole, replicas, gpus := runtimes.RoleWorker, runtimes.Deref(cfg.Replicas), runtimes.Deref(cfg.GPUs)
	if cfg.Mode == runtimes.ModeDisaggregated {
		mainRole, replicas, gpus = runtimes.RoleDecode, *cfg.Disaggregated.DecodeReplicas, *cfg.Disaggregated.DecodeGPUs
	}
	spec := map[string]any{
		"model": map[string]any{"uri": ModelURI(cfg.Model), "name": cfg.EffectiveServedModelName()},
	}
	main, err := workload(cfg, mainRole, replicas, gpus, mainParallelism(k), multiNode(cfg))
	if err != nil {
		return runtimes.Manifests{}, err
	}
	for key, v := range main {
		spec[key] = v
	}
	if cfg.Mode == runtimes.ModeDisaggregated {
		d := cfg.Disaggregated
		prefill, err := workload(cfg, runtimes.RolePrefill, *d.PrefillReplicas, *d.PrefillGPUs, map[string]any{"tensor": *d.PrefillGPUs}, false)
		if err != nil {
			return runtimes.Manifests{}, err
		}
		spec["prefill"] = prefill
	}
	if router := routerSpec(cfg); len(router) > 0 {
		spec["router"] = router
	}
	crd := crdFor(version)
	obj, err := runtimes.NewObject(crd.APIVersion(), crd.Kind, cfg.Name, cfg.Namespace, runtimes.Labels(cfg.Name, ID), map[string]any{"spec": spec})
	if err != nil {
		return runtimes.Manifests{}, err
	}
	// No engine image default of ours: the model cache download Job runs the preset's image.
	return runtimes.FinishManifests(cfg, runtimes.Manifests{Primary: obj}, PresetImage)
}

// PresetImage is the vLLM image of KServe v0.19.0's presets (config/llmisvcconfig/
// config-llm-template.yaml), used for the model cache download Job.
const PresetImage = "ghcr.io/llm-d/llm-d-cuda:v0.6.0"

// ModelURI is the storage URI of a Hugging Face model: the controller's storage
// initializer downloads hf://<repo> into /mnt/models (workload_storage.go).
func ModelURI(model string) string { return "hf://" + model }

// mainParallelism renders spec.parallelism of the main workload.
func mainParallelism(k *runtimes.KServeConfig) map[string]any {
	p := map[string]any{"tensor": *k.TensorParallel}
	if k.PipelineParallel != nil {
		p["pipeline"] = *k.PipelineParallel
	}
	if k.DataParallel != nil {
		p["data"] = *k.DataParallel
	}
	if k.DataLocalParallel != nil {
		p["dataLocal"] = *k.DataLocalParallel
	}
	if *k.ExpertParallel {
		p["expert"] = true
	}
	return p
}

// workload renders one WorkloadSpec: replicas, parallelism, the pod labels, and the main
// container of the template (and of the worker, across nodes) with its GPUs and flags.
func workload(cfg runtimes.DeploymentConfig, role string, replicas, gpus int64, parallelism map[string]any, nodes bool) (map[string]any, error) {
	labels := podLabels(cfg)
	annotations := map[string]any{}
	tpl, err := podSpec(cfg, role, gpus, engineArgs(cfg, role, nodes), labels, annotations)
	if err != nil {
		return nil, err
	}
	w := map[string]any{
		"replicas":    replicas,
		"parallelism": parallelism,
		"labels":      labels,
		"template":    tpl,
	}
	if nodes {
		// Workers run the preset's worker command (rank from LWS_WORKER_INDEX); same GPUs.
		worker, err := podSpec(cfg, role, gpus, engineArgs(cfg, role, nodes), labels, annotations)
		if err != nil {
			return nil, err
		}
		w["worker"] = worker
	}
	if len(annotations) > 0 {
		w["annotations"] = annotations
	}
	return w, nil
}

// podLabels: the instance, provider and managed-by labels go on every pod (not
// app.kubernetes.io/name: the controller's selector uses it for the service name).
func podLabels(cfg runtimes.DeploymentConfig) map[string]any {
	out := map[string]any{}
	for k, v := range runtimes.Labels(cfg.Name, ID) {
		if k != runtimes.LabelName {
			out[k] = v
		}
	}
	return out
}

// podSpec renders a PodSpec with the main container; workload settings are applied through
// the shared pod-template path, and the pod metadata it sets moves to the workload's labels
// and annotations (WorkloadSpec.labels/annotations go on the pods).
func podSpec(cfg runtimes.DeploymentConfig, role string, gpus int64, args []string, labels, annotations map[string]any) (map[string]any, error) {
	res := map[string]any{gpuResource: strconv.FormatInt(gpus, 10)}
	if cfg.Memory != "" {
		res["memory"] = cfg.Memory
	}
	c := map[string]any{
		"name":      containerName,
		"resources": map[string]any{"limits": res, "requests": copyMap(res)},
	}
	if len(args) > 0 {
		c["args"] = toAnyList(args)
	}
	if cfg.HFTokenSecret != "" {
		c["env"] = []any{map[string]any{"name": runtimes.EnvHFToken, "valueFrom": map[string]any{
			"secretKeyRef": map[string]any{"name": cfg.HFTokenSecret, "key": runtimes.EnvHFToken}}}}
	}
	tpl := map[string]any{"spec": map[string]any{
		"containers": []any{c},
		// GPU node pools are commonly tainted for their GPUs.
		"tolerations": []any{map[string]any{"key": gpuResource, "operator": "Exists", "effect": "NoSchedule"}},
	}}
	if err := runtimes.ApplyPodTemplate(tpl, cfg, role, containerName); err != nil {
		return nil, err
	}
	if meta, ok := tpl["metadata"].(map[string]any); ok {
		for key, dst := range map[string]map[string]any{"labels": labels, "annotations": annotations} {
			if m, ok := meta[key].(map[string]any); ok {
				for k, v := range m {
					dst[k] = v
				}
			}
		}
	}
	spec, _ := tpl["spec"].(map[string]any)
	return spec, nil
}

// routerSpec: the gateway block asks the controller for a managed HTTPRoute attached to the
// named Gateways (router.route, router.gateway.refs); kserve.scheduler for the llm-d
// scheduler with its InferencePool (router.scheduler), which the route then targets
// (config-llm-router-route.yaml).
func routerSpec(cfg runtimes.DeploymentConfig) map[string]any {
	router := map[string]any{}
	if g := cfg.Gateway; g != nil {
		router["route"] = map[string]any{}
		refs := make([]any, 0, len(g.ParentRefs))
		for _, p := range g.ParentRefs {
			ref := map[string]any{"name": p.Name}
			if p.Namespace != "" {
				ref["namespace"] = p.Namespace
			}
			if p.SectionName != "" {
				ref["sectionName"] = p.SectionName
			}
			refs = append(refs, ref)
		}
		router["gateway"] = map[string]any{"refs": refs}
	}
	if runtimes.Deref(cfg.KServe.Scheduler) {
		router["scheduler"] = map[string]any{}
	}
	return router
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func toAnyList(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
