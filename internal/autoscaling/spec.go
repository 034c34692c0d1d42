// Package autoscaling renders scaling with load for a model deployment: per worker role
// (the aggregated worker, or the disaggregated prefill and decode pools) a replica range and
// a target. It knows each runtime's scale path:
//   - Dynamo 1.4 (nvidia.com/v1beta1): the component opts into its
//     DynamoGraphDeploymentScalingAdapter (`scalingAdapter: {}`), and an HPA (autoscaling/v2)
//     or a KEDA ScaledObject scales that adapter through its scale subresource;
//   - KubeRay: the Ray autoscaler (enableInTreeAutoscaling) sizes each worker group between
//     its bounds, Ray Serve sizes the application (autoscaling_config);
//   - KAITO 0.12: the InferenceSet (`kaito = { inference_set = true }`) has a scale
//     subresource, and an HPA or KEDA ScaledObject scales it; a Workspace has none.
//
// It depends on no other package of this module, so the runtimes can import it.
package autoscaling

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Worker roles, named as the roles of the workload settings.
const (
	RoleWorker  = "worker"
	RolePrefill = "prefill"
	RoleDecode  = "decode"
)

// Runtime IDs (the runtimes' own constants cannot be imported from here).
const (
	runtimeDynamo  = "dynamo"
	runtimeKubeRay = "kuberay"
	runtimeKAITO   = "kaito"
)

// Spec is the autoscaling block: one Role per worker pool. Worker applies in aggregated
// mode, Prefill and Decode in disaggregated mode; a nil role keeps its fixed replicas.
type Spec struct {
	Worker  *Role
	Prefill *Role
	Decode  *Role
}

// Role is the replica range of one worker pool and what it scales on. Dynamo takes
// CPUUtilization and/or MemoryUtilization (an HPA), or Prometheus (a KEDA ScaledObject);
// KubeRay takes TargetOngoingRequests (Ray Serve) and scales the worker group with the Ray
// autoscaler.
type Role struct {
	MinReplicas int64
	MaxReplicas int64
	// Percent of the containers' requests, averaged over the pool's pods.
	CPUUtilization    *int64
	MemoryUtilization *int64
	Prometheus        *Prometheus
	// Ray Serve's target of ongoing requests per replica.
	TargetOngoingRequests *float64
	// ScaleDownStabilizationSeconds (Dynamo): the HPA's scale-down stabilization window
	// (behavior.scaleDown.stabilizationWindowSeconds); nil keeps the HPA's default (300s).
	ScaleDownStabilizationSeconds *int64
}

// Prometheus is a KEDA Prometheus scaler trigger: the pool scales so that Query / replicas
// stays at Threshold.
type Prometheus struct {
	ServerAddress string
	Query         string
	Threshold     string
	// ActivationThreshold: below it KEDA treats the scaler as inactive (may be empty).
	ActivationThreshold string
}

// For returns the role's settings, nil when the role is not autoscaled (or s is nil).
func (s *Spec) For(role string) *Role {
	if s == nil {
		return nil
	}
	switch role {
	case RoleWorker:
		return s.Worker
	case RolePrefill:
		return s.Prefill
	case RoleDecode:
		return s.Decode
	}
	return nil
}

// Roles lists the autoscaled roles in a stable order.
func (s *Spec) Roles() []string {
	var out []string
	for _, r := range []string{RoleWorker, RolePrefill, RoleDecode} {
		if s.For(r) != nil {
			out = append(out, r)
		}
	}
	return out
}

// Issue is one validation finding: Path is the Terraform attribute path.
type Issue struct {
	Path    string
	Message string
}

// Deployment is what validation needs to know about the deployment being autoscaled.
type Deployment struct {
	Runtime       string
	APIVersion    string // Dynamo: v1beta1 or v1alpha1
	Disaggregated bool
	// Replicas is the configured (starting) size of each worker role.
	Replicas map[string]int64
	// CPURequest and MemoryRequest report whether a role's engine container requests that
	// resource: the HPA computes utilization as a percentage of the request.
	CPURequest    func(role string) bool
	MemoryRequest func(role string) bool
	// KAITOInferenceSet: runtime kaito renders an InferenceSet (kaito.inference_set), the
	// only KAITO kind with a scale subresource.
	KAITOInferenceSet bool
}

// Validate checks a Spec against the deployment it scales. Every message names the
// attribute and says how to fix it.
func Validate(s *Spec, d Deployment) []Issue {
	if s == nil {
		return nil
	}
	var out []Issue
	add := func(p, format string, args ...any) {
		out = append(out, Issue{Path: p, Message: fmt.Sprintf(format, args...)})
	}
	switch d.Runtime {
	case runtimeKAITO:
		// kaito.sh_workspaces.yaml @ 0.12.0 declares only the status subresource; the
		// InferenceSet declares scale (api/v1beta1/inferenceset_types.go kubebuilder marker:
		// specpath .spec.replicas, statuspath .status.replicas, selectorpath .status.selector).
		if !d.KAITOInferenceSet {
			add("autoscaling", "a KAITO Workspace has no scale subresource, so nothing can autoscale it: set "+
				"kaito = { inference_set = true } to deploy a KAITO InferenceSet (which has one; this replaces an existing Workspace), "+
				"or remove the autoscaling block")
			return out
		}
	case runtimeDynamo:
		if d.APIVersion != "" && d.APIVersion != "v1beta1" {
			add("autoscaling", "Dynamo autoscaling needs the nvidia.com/v1beta1 API (Dynamo >= 1.4 scaling adapters); "+
				"remove `dynamo = { api_version = %q }` or the autoscaling block", d.APIVersion)
			return out
		}
	case runtimeKubeRay:
	default:
		add("autoscaling", "runtime %q has no autoscaling support", d.Runtime)
		return out
	}
	allowed := []string{RoleWorker}
	if d.Disaggregated {
		allowed = []string{RolePrefill, RoleDecode}
	}
	for _, role := range []string{RoleWorker, RolePrefill, RoleDecode} {
		r := s.For(role)
		p := "autoscaling." + role
		if r == nil {
			continue
		}
		if !slices.Contains(allowed, role) {
			mode := "aggregated"
			if d.Disaggregated {
				mode = "disaggregated"
			}
			add(p, "does not apply in %s mode: use %s", mode, "autoscaling."+strings.Join(allowed, " and autoscaling."))
			continue
		}
		validateRole(add, p, role, r, d)
	}
	if !slices.ContainsFunc(allowed, func(r string) bool { return s.For(r) != nil }) {
		add("autoscaling", "names no worker pool: set autoscaling.%s", strings.Join(allowed, " and/or autoscaling."))
	}
	return out
}

func validateRole(add func(string, string, ...any), p, role string, r *Role, d Deployment) {
	if r.MinReplicas < 1 {
		add(p+".min_replicas", "must be at least 1, got %d", r.MinReplicas)
	}
	if r.MaxReplicas < r.MinReplicas {
		add(p+".max_replicas", "must be at least min_replicas (%d), got %d", r.MinReplicas, r.MaxReplicas)
	}
	if n, ok := d.Replicas[role]; ok && r.MinReplicas >= 1 && r.MaxReplicas >= r.MinReplicas && (n < r.MinReplicas || n > r.MaxReplicas) {
		add(p, "the starting size %d (%s) is outside min_replicas..max_replicas (%d..%d): the autoscaler would change it at once; "+
			"set it within the range", n, replicasAttr(role), r.MinReplicas, r.MaxReplicas)
	}
	hpa := r.CPUUtilization != nil || r.MemoryUtilization != nil
	switch d.Runtime {
	case runtimeDynamo, runtimeKAITO:
		if r.TargetOngoingRequests != nil {
			add(p+".target_ongoing_requests", "applies to runtime \"kuberay\" (Ray Serve) only: use cpu_utilization, memory_utilization or prometheus")
		}
		switch {
		case hpa && r.Prometheus != nil:
			add(p+".prometheus", "cannot be combined with cpu_utilization or memory_utilization: KEDA and an HPA must not scale the same object; choose one")
		case !hpa && r.Prometheus == nil:
			add(p, "needs a target: cpu_utilization, memory_utilization (an HPA) or prometheus (a KEDA ScaledObject)")
		}
		// autoscaling/v2 HPAScalingRules: 0 <= stabilizationWindowSeconds <= 3600 (kubernetes
		// pkg/apis/autoscaling/validation/validation.go MaxStabilizationWindowSeconds, v1.36).
		if w := r.ScaleDownStabilizationSeconds; w != nil && (*w < 0 || *w > 3600) {
			add(p+".scale_down_stabilization_seconds", "must be between 0 and 3600 seconds (the HPA's limit), got %d", *w)
		}
		checkPercent(add, p+".cpu_utilization", r.CPUUtilization)
		checkPercent(add, p+".memory_utilization", r.MemoryUtilization)
		// The HPA's resource utilization is usage / request; a pod without the request makes the
		// HPA fail with "missing request for cpu" (kubernetes pkg/controller/podautoscaler/
		// replica_calculator.go calculatePodRequests, v1.36).
		if r.CPUUtilization != nil && d.CPURequest != nil && !d.CPURequest(role) {
			fix := fmt.Sprintf("pod.resources.cpu or roles.%s.resources.cpu", role)
			if d.Runtime == runtimeKAITO {
				fix = "kaito.cpu"
			}
			add(p+".cpu_utilization", "the %s pods request no CPU, so the HPA cannot compute CPU utilization: set %s", role, fix)
		}
		if r.MemoryUtilization != nil && d.MemoryRequest != nil && !d.MemoryRequest(role) {
			add(p+".memory_utilization", "the %s pods request no memory, so the HPA cannot compute memory utilization: set memory", role)
		}
		if pr := r.Prometheus; pr != nil {
			if strings.TrimSpace(pr.ServerAddress) == "" {
				add(p+".prometheus.server_address", "must be set to the Prometheus URL, e.g. \"http://prometheus.monitoring:9090\"")
			}
			if strings.TrimSpace(pr.Query) == "" {
				add(p+".prometheus.query", "must be set to a PromQL query returning one number, e.g. the pool's waiting requests")
			}
			checkNumber(add, p+".prometheus.threshold", pr.Threshold, true)
			checkNumber(add, p+".prometheus.activation_threshold", pr.ActivationThreshold, false)
		}
	case runtimeKubeRay:
		for _, bad := range []struct {
			set  bool
			name string
		}{{r.CPUUtilization != nil, "cpu_utilization"}, {r.MemoryUtilization != nil, "memory_utilization"}, {r.Prometheus != nil, "prometheus"},
			{r.ScaleDownStabilizationSeconds != nil, "scale_down_stabilization_seconds"}} {
			if bad.set {
				add(p+"."+bad.name, "KubeRay scales with Ray Serve and the Ray autoscaler, not an HPA or KEDA: remove it and set target_ongoing_requests (or keep Ray Serve's default)")
			}
		}
		if t := r.TargetOngoingRequests; t != nil && *t <= 0 {
			add(p+".target_ongoing_requests", "must be positive, got %g", *t)
		}
	}
}

func replicasAttr(role string) string {
	if role == RoleWorker {
		return "replicas"
	}
	return "disaggregated." + role + "_replicas"
}

func checkPercent(add func(string, string, ...any), p string, v *int64) {
	if v != nil && (*v < 1 || *v > 1000) {
		add(p, "must be a percentage of the request between 1 and 1000, got %d", *v)
	}
}

func checkNumber(add func(string, string, ...any), p, v string, required bool) {
	if v == "" {
		if required {
			add(p, "must be set to the metric value per replica, e.g. \"5\"")
		}
		return
	}
	if f, err := strconv.ParseFloat(v, 64); err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		add(p, "must be a non-negative number, got %q", v)
	}
}
