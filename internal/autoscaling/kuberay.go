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

// ReadKubeRay reads the autoscaling of a live RayService back (import): nil unless the Ray
// autoscaler is on (enableInTreeAutoscaling). Each worker group gives its role's bounds and
// Serve's target_ongoing_requests, when set. In disaggregated mode a group whose bounds are
// equal and that has no target is one KubeRay renders unscaled (minReplicas = maxReplicas =
// replicas), unless no group is scaled otherwise.
func ReadKubeRay(rs *unstructured.Unstructured) (*Spec, error) {
	if on, _, _ := unstructured.NestedBool(rs.Object, "spec", "rayClusterConfig", "enableInTreeAutoscaling"); !on {
		return nil, nil
	}
	targets, err := readServeTargets(rs)
	if err != nil {
		return nil, err
	}
	groups, _, _ := unstructured.NestedSlice(rs.Object, "spec", "rayClusterConfig", "workerGroupSpecs")
	roles := map[string]*Role{}
	var scaled []string
	for _, item := range groups {
		g, _ := item.(map[string]any)
		name, _ := g["groupName"].(string)
		role, ok := groupRole[name]
		if !ok {
			continue
		}
		r := &Role{MinReplicas: int64Of(g["minReplicas"]), MaxReplicas: int64Of(g["maxReplicas"]), TargetOngoingRequests: targets[role]}
		roles[role] = r
		if role == RoleWorker || r.MinReplicas != r.MaxReplicas || r.TargetOngoingRequests != nil {
			scaled = append(scaled, role)
		}
	}
	if len(roles) == 0 {
		return nil, nil
	}
	if len(scaled) == 0 {
		for role := range roles {
			scaled = append(scaled, role)
		}
	}
	var s Spec
	for _, role := range scaled {
		switch role {
		case RoleWorker:
			s.Worker = roles[role]
		case RolePrefill:
			s.Prefill = roles[role]
		case RoleDecode:
			s.Decode = roles[role]
		}
	}
	return &s, nil
}

// readServeTargets reads target_ongoing_requests per role from the Serve LLM configs.
func readServeTargets(rs *unstructured.Unstructured) (map[string]*float64, error) {
	raw, _, _ := unstructured.NestedString(rs.Object, "spec", "serveConfigV2")
	var cfg map[string]any
	if err := yaml.Unmarshal([]byte(raw), &cfg); err != nil {
		return nil, fmt.Errorf("reading serveConfigV2: %w", err)
	}
	out := map[string]*float64{}
	keyRole := map[string]string{"llm_configs": RoleWorker, "prefill_config": RolePrefill, "decode_config": RoleDecode}
	apps, _ := cfg["applications"].([]any)
	for _, a := range apps {
		app, _ := a.(map[string]any)
		args, _ := app["args"].(map[string]any)
		for key, role := range keyRole {
			llms, ok := args[key].([]any)
			if !ok && args[key] != nil {
				llms = []any{args[key]}
			}
			for _, l := range llms {
				llm, _ := l.(map[string]any)
				v, found, _ := unstructured.NestedFieldNoCopy(llm, "deployment_config", "autoscaling_config", "target_ongoing_requests")
				if f, ok := float64Of(v); found && ok {
					out[role] = &f
				}
			}
		}
	}
	return out, nil
}

func int64Of(v any) int64 {
	f, _ := float64Of(v)
	return int64(f)
}

func float64Of(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}
