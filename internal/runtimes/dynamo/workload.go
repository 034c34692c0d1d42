package dynamo

import (
	"fmt"
	"maps"
	"slices"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// workloadSupport: the v1alpha1 services schema requests GPUs as resources.gpu, which the
// operator maps to nvidia.com/gpu (ai-dynamo/dynamo deploy/operator/api/v1alpha1/common.go
// and shared_spec_conversion.go @ v1.4.0: GPUType unset means "nvidia.com/gpu"; the 0.7.1
// CRD has no gpuType at all).
var workloadSupport = runtimes.WorkloadSupport{
	Roles:           []string{runtimes.RoleFrontend, runtimes.RoleWorker, runtimes.RolePrefill, runtimes.RoleDecode},
	GPUResourceHint: "Dynamo " + PreviousVersion + " (dynamo.api_version = \"v1alpha1\") requests GPUs as resources.gpu, which its operator maps to nvidia.com/gpu; another GPU resource needs overrides or the default v1beta1 API",
}

// workloadSupportFor: v1beta1 components request GPUs as plain container limits, so any GPU
// resource name works there.
func workloadSupportFor(version string) runtimes.WorkloadSupport {
	if version == APIVersionV1Alpha1 {
		return workloadSupport
	}
	s := workloadSupport
	s.GPUResourceHint = ""
	return s
}

// serviceRole maps a rendered service to its workload role.
func serviceRole(s alphaService) string {
	switch {
	case s.ComponentType == "frontend":
		return runtimes.RoleFrontend
	case s.SubComponentType == rolePrefill:
		return runtimes.RolePrefill
	case s.SubComponentType == roleDecode:
		return runtimes.RoleDecode
	}
	return runtimes.RoleWorker
}

// applyWorkload maps the workload settings onto every v1alpha1 service: the pod settings
// through a pod template view of extraPodSpec (mainContainer as container "main") and
// extraPodMetadata; env into the service's envs, cpu and extra resources into its
// resources (the operator builds the main container's resources from those).
func applyWorkload(cfg runtimes.DeploymentConfig, obj *unstructured.Unstructured, services map[string]alphaService) error {
	if cfg.Workload == nil {
		return nil
	}
	rendered, _ := obj.Object["spec"].(map[string]any)["services"].(map[string]any)
	for _, key := range slices.Sorted(maps.Keys(services)) {
		svc, ok := rendered[key].(map[string]any)
		if !ok {
			return fmt.Errorf("service %s missing from the rendered object", key)
		}
		if err := ApplyV1alpha1Service(svc, cfg, serviceRole(services[key])); err != nil {
			return fmt.Errorf("service %s: %w", key, err)
		}
	}
	return nil
}

// ApplyV1alpha1Service applies the settings of role to one unstructured v1alpha1 service.
func ApplyV1alpha1Service(svc map[string]any, cfg runtimes.DeploymentConfig, role string) error {
	eps, _ := svc["extraPodSpec"].(map[string]any)
	if eps == nil {
		eps = map[string]any{}
	}
	mc, _ := eps["mainContainer"].(map[string]any)
	if mc == nil {
		mc = map[string]any{}
	}
	mc["name"] = mainContainerName
	delete(eps, "mainContainer")
	eps["containers"] = []any{mc}
	tpl := map[string]any{"spec": eps}
	if md, ok := svc["extraPodMetadata"].(map[string]any); ok {
		tpl["metadata"] = md
	}
	if err := runtimes.ApplyPodTemplate(tpl, cfg, role, mainContainerName); err != nil {
		return err
	}
	delete(eps, "containers")
	delete(mc, "name")
	eps["mainContainer"] = mc
	svc["extraPodSpec"] = eps
	if md, ok := tpl["metadata"].(map[string]any); ok && len(md) > 0 {
		svc["extraPodMetadata"] = md
	}
	if env, ok := mc["env"].([]any); ok {
		envs, _ := svc["envs"].([]any)
		svc["envs"] = append(envs, env...)
		delete(mc, "env")
	}
	if res, ok := mc["resources"].(map[string]any); ok {
		delete(mc, "resources")
		moveResources(svc, res)
	}
	return nil
}

// moveResources turns container resources (cpu, extra) into Dynamo's own resources keys.
func moveResources(svc map[string]any, res map[string]any) {
	dst, _ := svc["resources"].(map[string]any)
	if dst == nil {
		dst = map[string]any{}
	}
	for _, kind := range []string{"limits", "requests"} {
		src, _ := res[kind].(map[string]any)
		if len(src) == 0 {
			continue
		}
		items, _ := dst[kind].(map[string]any)
		if items == nil {
			items = map[string]any{}
		}
		for k, v := range src {
			if k == "cpu" {
				items["cpu"] = v
				continue
			}
			custom, _ := items["custom"].(map[string]any)
			if custom == nil {
				custom = map[string]any{}
			}
			custom[k] = v
			items["custom"] = custom
		}
		dst[kind] = items
	}
	svc["resources"] = dst
}

// ApplyV1beta1PodTemplate applies the workload settings to the podTemplate (a
// PodTemplateSpec map) of one v1beta1 component of type componentType (frontend, worker,
// prefill, decode); the engine container is "main", as the v1beta1 admission requires.
// GPUs are plain container limits in v1beta1, so gpu_resource_name renames them there.
func ApplyV1beta1PodTemplate(podTemplate map[string]any, cfg runtimes.DeploymentConfig, componentType string) error {
	role := componentType
	if role != runtimes.RoleFrontend && role != runtimes.RolePrefill && role != runtimes.RoleDecode {
		role = runtimes.RoleWorker
	}
	return runtimes.ApplyPodTemplate(podTemplate, cfg, role, mainContainerName)
}

// applyV1beta1Workload applies the workload settings to every rendered component.
func applyV1beta1Workload(cfg runtimes.DeploymentConfig, obj *unstructured.Unstructured) error {
	if cfg.Workload == nil {
		return nil
	}
	components, _ := obj.Object["spec"].(map[string]any)["components"].([]any)
	for _, c := range components {
		comp, _ := c.(map[string]any)
		tpl, ok := comp["podTemplate"].(map[string]any)
		if !ok {
			return fmt.Errorf("component %v has no podTemplate", comp["name"])
		}
		typ, _ := comp["type"].(string)
		if err := ApplyV1beta1PodTemplate(tpl, cfg, typ); err != nil {
			return fmt.Errorf("component %v: %w", comp["name"], err)
		}
	}
	return nil
}
