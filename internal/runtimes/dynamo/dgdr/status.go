package dgdr

import (
	"encoding/json"
	"fmt"
	"sort"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// Phases of status.phase (DGDRPhase).
const (
	PhasePending   = "Pending"
	PhaseProfiling = "Profiling"
	PhaseReady     = "Ready"
	PhaseDeploying = "Deploying"
	PhaseDeployed  = "Deployed"
	PhaseFailed    = "Failed"
)

// Status is what the operator reports about a request.
type Status struct {
	Phase string
	// ProfilingPhase is the profiler's sub-phase while Phase is Profiling (Initializing,
	// SweepingPrefill, SweepingDecode, SelectingConfig, BuildingCurves, GeneratingDGD, Done).
	ProfilingPhase string
	// Reason and Message are those of the aggregate Succeeded condition, which carries the
	// failing step's message when Phase is Failed (setSucceededCondition).
	Reason, Message string
	// ProfilingMessage is the Profiling condition's message: while profiling, what the
	// profiler last reported (relayed by the Job's sidecar through the output ConfigMap).
	ProfilingMessage string
	ProfilingJobName string
	// GraphName is status.dgdName: the graph generated (and, with autoApply, created).
	GraphName string
	// GraphYAML is the generated graph (status.profilingResults.selectedConfig) as YAML.
	GraphYAML string
	Graph     *Graph
	// Replicas and AvailableReplicas sum the created graph's components (deploymentInfo).
	Replicas, AvailableReplicas *int64
	ObservedGeneration          int64
	Generation                  int64
}

// Graph is the key fields of the generated DynamoGraphDeployment.
type Graph struct {
	BackendFramework string
	Components       []Component
	// GPUs is the GPUs of all replicas of all components.
	GPUs int64
}

// Component is one component of the generated graph.
type Component struct {
	Name, Type string
	Replicas   int64
	// GPUs is the nvidia.com/gpu limit (else request) of one replica's main container.
	GPUs int64
}

type statusJSON struct {
	Phase            string `json:"phase"`
	ProfilingPhase   string `json:"profilingPhase"`
	DGDName          string `json:"dgdName"`
	ProfilingJobName string `json:"profilingJobName"`
	Conditions       []struct {
		Type, Status, Reason, Message string
	} `json:"conditions"`
	ProfilingResults *struct {
		SelectedConfig json.RawMessage `json:"selectedConfig"`
	} `json:"profilingResults"`
	DeploymentInfo *struct {
		Replicas          *int64 `json:"replicas"`
		AvailableReplicas *int64 `json:"availableReplicas"`
	} `json:"deploymentInfo"`
	ObservedGeneration int64 `json:"observedGeneration"`
}

// ReadStatus decodes the status of a live request.
func ReadStatus(obj *unstructured.Unstructured) (Status, error) {
	raw, _, _ := unstructured.NestedFieldNoCopy(obj.Object, "status")
	b, err := json.Marshal(raw)
	if err != nil {
		return Status{}, err
	}
	var s statusJSON
	if raw != nil {
		if err := json.Unmarshal(b, &s); err != nil {
			return Status{}, fmt.Errorf("status of %s %s/%s: %w", Kind, obj.GetNamespace(), obj.GetName(), err)
		}
	}
	out := Status{
		Phase: s.Phase, ProfilingPhase: s.ProfilingPhase, GraphName: s.DGDName, ProfilingJobName: s.ProfilingJobName,
		ObservedGeneration: s.ObservedGeneration, Generation: obj.GetGeneration(),
	}
	for _, c := range s.Conditions {
		switch c.Type {
		case "Succeeded":
			out.Reason, out.Message = c.Reason, c.Message
		case "Profiling":
			out.ProfilingMessage = c.Message
		}
	}
	if d := s.DeploymentInfo; d != nil {
		out.Replicas, out.AvailableReplicas = d.Replicas, d.AvailableReplicas
	}
	if p := s.ProfilingResults; p != nil && len(p.SelectedConfig) > 0 && string(p.SelectedConfig) != "null" {
		y, err := yaml.JSONToYAML(p.SelectedConfig)
		if err != nil {
			return out, fmt.Errorf("generated graph of %s/%s: %w", obj.GetNamespace(), obj.GetName(), err)
		}
		out.GraphYAML = string(y)
		g, err := ParseGraph(p.SelectedConfig)
		if err != nil {
			return out, err
		}
		out.Graph = g
	}
	return out, nil
}

type graphJSON struct {
	Spec struct {
		BackendFramework string `json:"backendFramework"`
		Components       []struct {
			Name        string `json:"name"`
			Type        string `json:"type"`
			Replicas    *int64 `json:"replicas"`
			PodTemplate struct {
				Spec struct {
					Containers []struct {
						Name      string `json:"name"`
						Resources struct {
							Limits   map[string]any `json:"limits"`
							Requests map[string]any `json:"requests"`
						} `json:"resources"`
					} `json:"containers"`
				} `json:"spec"`
			} `json:"podTemplate"`
		} `json:"components"`
	} `json:"spec"`
}

// ParseGraph reads the key fields of a v1beta1 DynamoGraphDeployment given as JSON or YAML:
// the components of spec.components with their replicas and the GPUs of their main
// container (a component without replicas runs one).
func ParseGraph(doc []byte) (*Graph, error) {
	j, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return nil, err
	}
	var g graphJSON
	if err := json.Unmarshal(j, &g); err != nil {
		return nil, fmt.Errorf("generated graph: %w", err)
	}
	out := &Graph{BackendFramework: g.Spec.BackendFramework}
	for _, c := range g.Spec.Components {
		comp := Component{Name: c.Name, Type: c.Type, Replicas: 1}
		if c.Replicas != nil {
			comp.Replicas = *c.Replicas
		}
		for _, ctr := range c.PodTemplate.Spec.Containers {
			if ctr.Name != "main" && len(c.PodTemplate.Spec.Containers) > 1 {
				continue
			}
			comp.GPUs = gpuCount(ctr.Resources.Limits)
			if comp.GPUs == 0 {
				comp.GPUs = gpuCount(ctr.Resources.Requests)
			}
		}
		out.GPUs += comp.GPUs * comp.Replicas
		out.Components = append(out.Components, comp)
	}
	sort.SliceStable(out.Components, func(i, j int) bool { return out.Components[i].Name < out.Components[j].Name })
	return out, nil
}

func gpuCount(m map[string]any) int64 {
	var n int64
	switch v := m["nvidia.com/gpu"].(type) {
	case string:
		_, _ = fmt.Sscan(v, &n)
	case float64:
		n = int64(v)
	}
	return n
}

// Settled says whether a wait is over: Ready when the request does not auto-apply, Deployed
// when it does. Failed ends it with the operator's reason. A status written for an older
// generation of the spec does not count.
func (s Status) Settled(autoApply bool) (bool, error) {
	if s.ObservedGeneration < s.Generation && s.Phase != PhaseProfiling && s.Phase != PhaseDeploying {
		return false, nil
	}
	switch s.Phase {
	case PhaseFailed:
		return false, fmt.Errorf("the Dynamo operator reports the request Failed (%s): %s", s.Reason, s.Message)
	case PhaseDeployed:
		return true, nil
	case PhaseReady:
		return !autoApply, nil
	}
	return false, nil
}

// Progress is a one-line summary for logs and timeouts.
func (s Status) Progress() string {
	phase := s.Phase
	if phase == "" {
		phase = "not yet seen by the operator"
	}
	if s.ProfilingPhase != "" {
		phase += "/" + s.ProfilingPhase
	}
	msg := s.Message
	if s.Phase == PhaseProfiling && s.ProfilingMessage != "" {
		msg = s.ProfilingMessage
	}
	if msg != "" {
		phase += ": " + msg
	}
	if s.Replicas != nil && s.AvailableReplicas != nil {
		phase += fmt.Sprintf(" (%d/%d replicas available)", *s.AvailableReplicas, *s.Replicas)
	}
	return phase
}
