package autoscaling

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// KubeRay worker group names as the kuberay renderer writes them, by role.
var groupRole = map[string]string{"gpu-group": RoleWorker, "prefill-group": RolePrefill, "decode-group": RoleDecode}

// KubeRay turns on the Ray autoscaler for a rendered RayService and gives each autoscaled
// worker group its bounds; a role's target_ongoing_requests goes to the Ray Serve
// deployments of that role. It changes nothing when s is nil.
//
// RayCluster spec.enableInTreeAutoscaling runs the autoscaler sidecar in the head pod, which
// sizes each group within minReplicas..maxReplicas from the Serve replicas' resource demand
// (ray-project/kuberay ray.io_rayclusters.yaml and ray.io_rayservices.yaml @ v1.6.2, also
// v1.7.0); Serve's autoscaling_config (min_replicas, max_replicas, target_ongoing_requests)
// sizes the application.
func KubeRay(rs *unstructured.Unstructured, s *Spec) error {
	if s == nil {
		return nil
	}
	if err := unstructured.SetNestedField(rs.Object, true, "spec", "rayClusterConfig", "enableInTreeAutoscaling"); err != nil {
		return err
	}
	groups, _, err := unstructured.NestedSlice(rs.Object, "spec", "rayClusterConfig", "workerGroupSpecs")
	if err != nil {
		return fmt.Errorf("reading workerGroupSpecs: %w", err)
	}
	for i, item := range groups {
		g, ok := item.(map[string]any)
		if !ok {
			continue
		}
		name, _ := g["groupName"].(string)
		if r := s.For(groupRole[name]); r != nil {
			g["minReplicas"], g["maxReplicas"] = r.MinReplicas, r.MaxReplicas
			groups[i] = g
		}
	}
	if err := unstructured.SetNestedSlice(rs.Object, groups, "spec", "rayClusterConfig", "workerGroupSpecs"); err != nil {
		return err
	}
	return serveTargets(rs, s)
}

// serveTargets writes target_ongoing_requests into the Serve LLM configs of the roles that
// set it: llm_configs (aggregated), prefill_config and decode_config (disaggregated).
func serveTargets(rs *unstructured.Unstructured, s *Spec) error {
	byKey := map[string]*Role{"llm_configs": s.Worker, "prefill_config": s.Prefill, "decode_config": s.Decode}
	wanted := false
	for _, r := range byKey {
		wanted = wanted || (r != nil && r.TargetOngoingRequests != nil)
	}
	if !wanted {
		return nil
	}
	raw, _, _ := unstructured.NestedString(rs.Object, "spec", "serveConfigV2")
	var cfg map[string]any
	if err := yaml.Unmarshal([]byte(raw), &cfg); err != nil {
		return fmt.Errorf("reading serveConfigV2: %w", err)
	}
	apps, _ := cfg["applications"].([]any)
	for _, a := range apps {
		app, _ := a.(map[string]any)
		args, _ := app["args"].(map[string]any)
		for key, r := range byKey {
			if r == nil || r.TargetOngoingRequests == nil || args[key] == nil {
				continue
			}
			var llms []any
			if l, ok := args[key].([]any); ok {
				llms = l
			} else {
				llms = []any{args[key]}
			}
			for _, l := range llms {
				llm, _ := l.(map[string]any)
				dc, _ := llm["deployment_config"].(map[string]any)
				if dc == nil {
					continue
				}
				ac, _ := dc["autoscaling_config"].(map[string]any)
				if ac == nil {
					ac = map[string]any{}
					dc["autoscaling_config"] = ac
				}
				ac["target_ongoing_requests"] = *r.TargetOngoingRequests
			}
		}
	}
	out, err := yaml.Marshal(cfg)
	if err != nil {
		return err
	}
	return unstructured.SetNestedField(rs.Object, string(out), "spec", "serveConfigV2")
}
