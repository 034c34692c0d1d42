package dgdr_test

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo/dgdr"
)

// A status as the 1.4 controller writes it after profiling with autoApply (Deploying, then
// Deployed with deploymentInfo), selectedConfig holding the generated graph.
const deployedStatus = `
apiVersion: nvidia.com/v1beta1
kind: DynamoGraphDeploymentRequest
metadata: {name: qwen, namespace: ml, generation: 3}
status:
  phase: Deployed
  dgdName: qwen-dgd
  profilingJobName: profile-qwen
  observedGeneration: 3
  conditions:
  - {type: Profiling, status: "True", reason: ProfilingCompleted, message: Profiling job completed successfully}
  - {type: Succeeded, status: "True", reason: Deployed, message: Deployment is healthy}
  deploymentInfo: {replicas: 3, availableReplicas: 3}
  profilingResults:
    selectedConfig:
      apiVersion: nvidia.com/v1beta1
      kind: DynamoGraphDeployment
      metadata: {name: qwen-dgd}
      spec:
        backendFramework: vllm
        components:
        - name: VllmDecodeWorker
          type: decode
          replicas: 1
          podTemplate: {spec: {containers: [{name: main, resources: {limits: {nvidia.com/gpu: "2"}}}]}}
        - name: Frontend
          type: frontend
        - name: VllmPrefillWorker
          type: prefill
          replicas: 1
          podTemplate: {spec: {containers: [{name: sidecar}, {name: main, resources: {requests: {nvidia.com/gpu: 1}}}]}}
`

func decode(t *testing.T, doc string) *unstructured.Unstructured {
	t.Helper()
	obj := map[string]any{}
	if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
		t.Fatal(err)
	}
	return &unstructured.Unstructured{Object: obj}
}

func TestReadStatusDeployed(t *testing.T) {
	st, err := dgdr.ReadStatus(decode(t, deployedStatus))
	if err != nil {
		t.Fatal(err)
	}
	if st.Phase != dgdr.PhaseDeployed || st.GraphName != "qwen-dgd" || st.ProfilingJobName != "profile-qwen" || st.Message != "Deployment is healthy" {
		t.Errorf("status = %+v", st)
	}
	if st.Replicas == nil || *st.Replicas != 3 || *st.AvailableReplicas != 3 {
		t.Errorf("replicas = %v/%v", st.AvailableReplicas, st.Replicas)
	}
	g := st.Graph
	if g == nil || g.BackendFramework != "vllm" || g.GPUs != 3 || len(g.Components) != 3 {
		t.Fatalf("graph = %+v", g)
	}
	// Sorted by name; a component without replicas runs one; GPUs from the main container's
	// limit, else its request.
	want := []dgdr.Component{{Name: "Frontend", Type: "frontend", Replicas: 1}, {Name: "VllmDecodeWorker", Type: "decode", Replicas: 1, GPUs: 2},
		{Name: "VllmPrefillWorker", Type: "prefill", Replicas: 1, GPUs: 1}}
	for i := range want {
		if g.Components[i] != want[i] {
			t.Errorf("component %d = %+v, want %+v", i, g.Components[i], want[i])
		}
	}
	if !strings.Contains(st.GraphYAML, "kind: DynamoGraphDeployment") || !strings.Contains(st.GraphYAML, "VllmPrefillWorker") {
		t.Errorf("graph YAML:\n%s", st.GraphYAML)
	}
	if ok, err := st.Settled(true); !ok || err != nil {
		t.Errorf("Deployed with autoApply: settled %v %v", ok, err)
	}
}

func TestSettled(t *testing.T) {
	for _, c := range []struct {
		phase     string
		autoApply bool
		done      bool
		fails     bool
	}{
		{dgdr.PhasePending, true, false, false},
		{dgdr.PhaseProfiling, false, false, false},
		{dgdr.PhaseReady, false, true, false},
		{dgdr.PhaseReady, true, false, false}, // about to deploy
		{dgdr.PhaseDeploying, true, false, false},
		{dgdr.PhaseDeployed, true, true, false},
		{dgdr.PhaseFailed, true, false, true},
	} {
		st := dgdr.Status{Phase: c.phase, Reason: "ValidationFailed", Message: "Validation failed: model cache PVC x not found", Generation: 2, ObservedGeneration: 2}
		done, err := st.Settled(c.autoApply)
		if done != c.done || (err != nil) != c.fails {
			t.Errorf("%s autoApply=%v: %v %v", c.phase, c.autoApply, done, err)
		}
		if err != nil && !strings.Contains(err.Error(), "model cache PVC x not found") {
			t.Errorf("failure does not carry the operator's message: %v", err)
		}
	}
	// A Ready written before auto_apply was turned on (older generation) does not end a wait.
	if done, _ := (dgdr.Status{Phase: dgdr.PhaseReady, Generation: 3, ObservedGeneration: 2}).Settled(false); done {
		t.Error("a stale Ready counted")
	}
}

func TestProgress(t *testing.T) {
	r := int64(2)
	a := int64(1)
	got := dgdr.Status{Phase: dgdr.PhaseProfiling, ProfilingPhase: "SweepingDecode", Message: "Profiling is in progress"}.Progress()
	if got != "Profiling/SweepingDecode: Profiling is in progress" {
		t.Errorf("progress = %q", got)
	}
	// The profiler's own words, when it has sent any, say more than the generic message.
	got = dgdr.Status{Phase: dgdr.PhaseProfiling, ProfilingPhase: "SweepingDecode", Message: "Profiling is in progress",
		ProfilingMessage: "decode TP=2: 14 ms ITL at concurrency 32"}.Progress()
	if got != "Profiling/SweepingDecode: decode TP=2: 14 ms ITL at concurrency 32" {
		t.Errorf("progress = %q", got)
	}
	if got := (dgdr.Status{Phase: dgdr.PhaseDeploying, Replicas: &r, AvailableReplicas: &a}).Progress(); !strings.Contains(got, "1/2 replicas available") {
		t.Errorf("progress = %q", got)
	}
}
