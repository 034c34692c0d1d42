package kuberay

import (
	"fmt"

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
		if err := runtimes.ApplyPodTemplate(tpl, cfg, groupRoles[fmt.Sprint(gm["groupName"])]); err != nil {
			return err
		}
	}
	return nil
}
