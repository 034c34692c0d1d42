package kuberay

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// workloadSupport: head and workers run one Ray image (Ray refuses mixed versions in one
// cluster) and their CPU is already modelled by the kuberay block.
var workloadSupport = runtimes.WorkloadSupport{
	Roles:     []string{runtimes.RoleHead, runtimes.RoleWorker, runtimes.RolePrefill, runtimes.RoleDecode},
	ImageHint: "KubeRay head and workers must run the same Ray image: set kuberay.image instead",
	CPUHint:   "KubeRay CPU is set with kuberay.head_cpu and kuberay.worker_cpu",
}

var groupRoles = map[string]string{groupGPU: runtimes.RoleWorker, groupPrefill: runtimes.RolePrefill, groupDecode: runtimes.RoleDecode}

// applyWorkload applies the workload settings to the head template and every worker
// group template of the rendered RayService.
func applyWorkload(cfg runtimes.DeploymentConfig, obj *unstructured.Unstructured) error {
	if cfg.Workload == nil {
		return nil
	}
	spec, _ := obj.Object["spec"].(map[string]any)
	rc, _ := spec["rayClusterConfig"].(map[string]any)
	head, _ := rc["headGroupSpec"].(map[string]any)
	if tpl, ok := head["template"].(map[string]any); !ok {
		return fmt.Errorf("rendered RayService has no head template")
	} else if err := runtimes.ApplyPodTemplate(tpl, cfg, runtimes.RoleHead); err != nil {
		return err
	}
	groups, _ := rc["workerGroupSpecs"].([]any)
	for _, g := range groups {
		gm, _ := g.(map[string]any)
		tpl, ok := gm["template"].(map[string]any)
		if !ok {
			return fmt.Errorf("worker group %v has no template", gm["groupName"])
		}
		role := groupRoles[fmt.Sprint(gm["groupName"])]
		if err := runtimes.ApplyPodTemplate(tpl, cfg, role); err != nil {
			return err
		}
		announceGPUs(gm, tpl, cfg.Workload.For(role).GPUResource())
	}
	return nil
}

// announceGPUs tells Ray the GPU count when KubeRay cannot see it: it derives num-gpus
// only from limits whose name ends in "gpu" (ray-project/kuberay v1.6,
// ray-operator/controllers/ray/common/pod.go generateRayStartCommand), so a MIG slice or
// gpu.intel.com/i915 would leave the Serve replicas without GPUs.
func announceGPUs(group, tpl map[string]any, gpuResource string) {
	if strings.HasSuffix(gpuResource, "gpu") {
		return
	}
	spec, _ := tpl["spec"].(map[string]any)
	containers, _ := spec["containers"].([]any)
	if len(containers) == 0 {
		return
	}
	c, _ := containers[0].(map[string]any)
	res, _ := c["resources"].(map[string]any)
	limits, _ := res["limits"].(map[string]any)
	if n, ok := limits[gpuResource]; ok {
		params, _ := group["rayStartParams"].(map[string]any)
		if params == nil {
			params = map[string]any{}
		}
		params["num-gpus"] = fmt.Sprint(n)
		group["rayStartParams"] = params
	}
}
