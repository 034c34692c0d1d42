package autoscaling

import (
	"fmt"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

func i64(v int64) *int64     { return &v }
func f64(v float64) *float64 { return &v }

func dgd(t *testing.T) *unstructured.Unstructured {
	t.Helper()
	const doc = `
apiVersion: nvidia.com/v1beta1
kind: DynamoGraphDeployment
metadata: {name: qwen, namespace: ns, labels: {app.kubernetes.io/instance: qwen}}
spec:
  components:
  - {name: Frontend, type: frontend, replicas: 1}
  - {name: VllmPrefillWorker, type: prefill, replicas: 2}
  - {name: VllmDecodeWorker, type: decode, replicas: 1}
`
	u := &unstructured.Unstructured{}
	if err := yaml.Unmarshal([]byte(doc), &u.Object); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestDynamo_AdapterPerRoleWithHPAOrScaledObject(t *testing.T) {
	obj := dgd(t)
	s := &Spec{
		Prefill: &Role{MinReplicas: 1, MaxReplicas: 4, CPUUtilization: i64(70), MemoryUtilization: i64(80)},
		Decode: &Role{MinReplicas: 1, MaxReplicas: 8, Prometheus: &Prometheus{ServerAddress: "http://prom:9090",
			Query: `sum(vllm:num_requests_waiting)`, Threshold: "5"}},
	}
	scalers, err := Dynamo(obj, s)
	if err != nil {
		t.Fatal(err)
	}
	adapted := AdaptedComponents(obj)
	if len(adapted) != 2 || adapted["VllmPrefillWorker"] != 2 || adapted["VllmDecodeWorker"] != 1 {
		t.Fatalf("adapted components = %v, want prefill (2) and decode (1), not the frontend", adapted)
	}
	if len(scalers) != 2 {
		t.Fatalf("got %d scalers, want 2", len(scalers))
	}
	hpa, so := scalers[0], scalers[1]
	if hpa.GetKind() != HPAKind || hpa.GetName() != "qwen-vllmprefillworker" || hpa.GetNamespace() != "ns" {
		t.Errorf("first scaler = %s %s/%s, want the HPA qwen-vllmprefillworker in ns", hpa.GetKind(), hpa.GetNamespace(), hpa.GetName())
	}
	ref, _, _ := unstructured.NestedStringMap(hpa.Object, "spec", "scaleTargetRef")
	if ref["kind"] != AdapterKind || ref["name"] != "qwen-vllmprefillworker" || ref["apiVersion"] != "nvidia.com/v1beta1" {
		t.Errorf("HPA targets %v, want the prefill adapter", ref)
	}
	metrics, _, _ := unstructured.NestedSlice(hpa.Object, "spec", "metrics")
	if len(metrics) != 2 {
		t.Errorf("HPA metrics = %v, want cpu and memory", metrics)
	}
	if so.GetKind() != ScaledObjectKind || so.GetName() != "qwen-vllmdecodeworker" {
		t.Errorf("second scaler = %s %s, want the ScaledObject of the decode adapter", so.GetKind(), so.GetName())
	}
	if most, _, _ := unstructured.NestedInt64(so.Object, "spec", "maxReplicaCount"); most != 8 {
		t.Errorf("maxReplicaCount = %d, want 8", most)
	}
	if so.GetLabels()["app.kubernetes.io/instance"] != "qwen" {
		t.Errorf("scaler labels %v lack the deployment's", so.GetLabels())
	}
}

// The scale-down window reaches the HPA's behavior, and through KEDA's
// advanced.horizontalPodAutoscalerConfig the HPA KEDA makes; unset, neither carries a behavior.
func TestDynamo_ScaleDownStabilization(t *testing.T) {
	obj := dgd(t)
	s := &Spec{
		Prefill: &Role{MinReplicas: 1, MaxReplicas: 4, CPUUtilization: i64(70), ScaleDownStabilizationSeconds: i64(0)},
		Decode: &Role{MinReplicas: 1, MaxReplicas: 8, ScaleDownStabilizationSeconds: i64(45), Prometheus: &Prometheus{
			ServerAddress: "http://prom:9090", Query: "q", Threshold: "5"}},
	}
	scalers, err := Dynamo(obj, s)
	if err != nil {
		t.Fatal(err)
	}
	if w, ok, _ := unstructured.NestedInt64(scalers[0].Object, "spec", "behavior", "scaleDown", "stabilizationWindowSeconds"); !ok || w != 0 {
		t.Errorf("HPA scale-down window = %d (set %v), want 0", w, ok)
	}
	if w, ok, _ := unstructured.NestedInt64(scalers[1].Object, "spec", "advanced", "horizontalPodAutoscalerConfig", "behavior", "scaleDown",
		"stabilizationWindowSeconds"); !ok || w != 45 {
		t.Errorf("ScaledObject scale-down window = %d (set %v), want 45", w, ok)
	}
	plain, err := Dynamo(dgd(t), &Spec{Prefill: &Role{MinReplicas: 1, MaxReplicas: 4, CPUUtilization: i64(70)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := plain[0].Object["spec"].(map[string]any)["behavior"]; ok {
		t.Errorf("HPA has a behavior without scale_down_stabilization_seconds: %v", plain[0].Object["spec"])
	}
}

func TestDynamo_NilSpecChangesNothing(t *testing.T) {
	obj := dgd(t)
	before, _ := yaml.Marshal(obj.Object)
	scalers, err := Dynamo(obj, nil)
	after, _ := yaml.Marshal(obj.Object)
	if err != nil || scalers != nil || string(before) != string(after) {
		t.Fatalf("nil spec changed the graph or returned scalers: %v %v\n%s", err, scalers, after)
	}
}

func TestKeepAdapterReplicas(t *testing.T) {
	live := dgd(t)
	if _, err := Dynamo(live, &Spec{Prefill: &Role{MinReplicas: 1, MaxReplicas: 4, CPUUtilization: i64(50)}}); err != nil {
		t.Fatal(err)
	}
	_ = setReplicas(live, map[string]int64{"VllmPrefillWorker": 3}) // the autoscaler's choice

	// Still autoscaled, configured starting size 1: the live 3 is kept, nothing to do later.
	planned := dgd(t)
	_ = setReplicas(planned, map[string]int64{"VllmPrefillWorker": 1})
	_, _ = Dynamo(planned, &Spec{Prefill: &Role{MinReplicas: 1, MaxReplicas: 4, CPUUtilization: i64(50)}})
	later, err := KeepAdapterReplicas(planned, live)
	if err != nil || later != nil || componentReplicas(planned)["VllmPrefillWorker"] != 3 {
		t.Fatalf("autoscaled: later=%v err=%v replicas=%v, want the live 3 kept", later, err, componentReplicas(planned))
	}

	// Autoscaling off: first keep 3 without the adapter, then return to the configured 1.
	off := dgd(t)
	_ = setReplicas(off, map[string]int64{"VllmPrefillWorker": 1})
	later, err = KeepAdapterReplicas(off, live)
	if err != nil || later["VllmPrefillWorker"] != 1 || componentReplicas(off)["VllmPrefillWorker"] != 3 {
		t.Fatalf("turning off: later=%v err=%v replicas=%v", later, err, componentReplicas(off))
	}
	// The decode pool (never adapted) is left as planned.
	if componentReplicas(off)["VllmDecodeWorker"] != 1 {
		t.Errorf("decode replicas changed: %v", componentReplicas(off))
	}
}

func TestMaskAdapterReplicas(t *testing.T) {
	s := &Spec{Decode: &Role{MinReplicas: 1, MaxReplicas: 4, CPUUtilization: i64(50)}}
	planned, live := dgd(t), dgd(t)
	_, _ = Dynamo(planned, s)
	_, _ = Dynamo(live, s)
	_ = setReplicas(live, map[string]int64{"VllmDecodeWorker": 4, "VllmPrefillWorker": 5})
	masked := MaskAdapterReplicas(live, planned)
	got := componentReplicas(masked)
	if got["VllmDecodeWorker"] != 1 || got["VllmPrefillWorker"] != 5 {
		t.Fatalf("masked replicas = %v: want decode (autoscaled) at the planned 1, prefill (fixed) at its live 5 (drift)", got)
	}
	if componentReplicas(live)["VllmDecodeWorker"] != 4 {
		t.Error("the live object was modified")
	}
}

func TestKubeRay_AutoscalerBoundsAndServeTarget(t *testing.T) {
	const doc = `
apiVersion: ray.io/v1
kind: RayService
metadata: {name: r, namespace: ns}
spec:
  serveConfigV2: |
    applications:
    - name: llm_app
      args:
        llm_configs:
        - deployment_config:
            autoscaling_config: {min_replicas: 1, max_replicas: 2}
  rayClusterConfig:
    workerGroupSpecs:
    - {groupName: gpu-group, replicas: 1, minReplicas: 1, maxReplicas: 1}
`
	rs := &unstructured.Unstructured{}
	if err := yaml.Unmarshal([]byte(doc), &rs.Object); err != nil {
		t.Fatal(err)
	}
	target := 3.0
	if err := KubeRay(rs, &Spec{Worker: &Role{MinReplicas: 1, MaxReplicas: 3, TargetOngoingRequests: &target}}); err != nil {
		t.Fatal(err)
	}
	if on, _, _ := unstructured.NestedBool(rs.Object, "spec", "rayClusterConfig", "enableInTreeAutoscaling"); !on {
		t.Error("enableInTreeAutoscaling not set")
	}
	groups, _, _ := unstructured.NestedSlice(rs.Object, "spec", "rayClusterConfig", "workerGroupSpecs")
	g := groups[0].(map[string]any)
	if fmt.Sprint(g["minReplicas"], g["maxReplicas"], g["replicas"]) != "1 3 1" {
		t.Errorf("worker group = %v, want min 1, max 3, replicas 1", g)
	}
	serve, _, _ := unstructured.NestedString(rs.Object, "spec", "serveConfigV2")
	if !strings.Contains(serve, "target_ongoing_requests: 3") || !strings.Contains(serve, "max_replicas: 2") {
		t.Errorf("serveConfigV2 lacks the target or lost the Serve bounds:\n%s", serve)
	}
}

func TestValidate(t *testing.T) {
	noCPU := func(string) bool { return false }
	yes := func(string) bool { return true }
	cases := []struct {
		name string
		s    *Spec
		d    Deployment
		want []string // "path: substring"
	}{
		{"kaito workspace refused", &Spec{Worker: &Role{MinReplicas: 1, MaxReplicas: 2}}, Deployment{Runtime: "kaito"},
			[]string{"autoscaling: a KAITO Workspace has no scale subresource, so nothing can autoscale it: set kaito = { inference_set = true }"}},
		{"kaito inferenceset needs a target", &Spec{Worker: &Role{MinReplicas: 1, MaxReplicas: 2}}, Deployment{Runtime: "kaito", KAITOInferenceSet: true},
			[]string{"autoscaling.worker: needs a target"}},
		{"kaito cpu without kaito.cpu", &Spec{Worker: &Role{MinReplicas: 1, MaxReplicas: 2, CPUUtilization: i64(50)}},
			Deployment{Runtime: "kaito", KAITOInferenceSet: true, CPURequest: noCPU}, []string{"autoscaling.worker.cpu_utilization: the worker pods request no CPU, so the HPA cannot compute CPU utilization: set kaito.cpu"}},
		{"kaito refuses ray serve's target", &Spec{Worker: &Role{MinReplicas: 1, MaxReplicas: 2, CPUUtilization: i64(50), TargetOngoingRequests: f64(2)}},
			Deployment{Runtime: "kaito", KAITOInferenceSet: true, CPURequest: yes}, []string{"autoscaling.worker.target_ongoing_requests: applies to runtime \"kuberay\""}},
		{"valid kaito", &Spec{Worker: &Role{MinReplicas: 1, MaxReplicas: 3, CPUUtilization: i64(60)}},
			Deployment{Runtime: "kaito", KAITOInferenceSet: true, CPURequest: yes, Replicas: map[string]int64{"worker": 1}}, nil},
		{"dynamo v1alpha1 refused", &Spec{Worker: &Role{MinReplicas: 1, MaxReplicas: 2, CPUUtilization: i64(50)}},
			Deployment{Runtime: "dynamo", APIVersion: "v1alpha1"}, []string{"autoscaling: Dynamo autoscaling needs the nvidia.com/v1beta1 API"}},
		{"dynamo needs a target", &Spec{Worker: &Role{MinReplicas: 1, MaxReplicas: 2}}, Deployment{Runtime: "dynamo"},
			[]string{"autoscaling.worker: needs a target"}},
		{"cpu without request", &Spec{Worker: &Role{MinReplicas: 1, MaxReplicas: 2, CPUUtilization: i64(50)}},
			Deployment{Runtime: "dynamo", CPURequest: noCPU, MemoryRequest: yes}, []string{"autoscaling.worker.cpu_utilization: the worker pods request no CPU"}},
		{"hpa and keda together", &Spec{Worker: &Role{MinReplicas: 1, MaxReplicas: 2, CPUUtilization: i64(50),
			Prometheus: &Prometheus{ServerAddress: "http://p", Query: "q", Threshold: "x"}}}, Deployment{Runtime: "dynamo", CPURequest: yes},
			[]string{"autoscaling.worker.prometheus: cannot be combined", "autoscaling.worker.prometheus.threshold: must be a non-negative number"}},
		{"range and start", &Spec{Worker: &Role{MinReplicas: 3, MaxReplicas: 2, MemoryUtilization: i64(50)}},
			Deployment{Runtime: "dynamo", MemoryRequest: yes}, []string{"autoscaling.worker.max_replicas: must be at least min_replicas"}},
		{"start outside range", &Spec{Worker: &Role{MinReplicas: 2, MaxReplicas: 4, MemoryUtilization: i64(50)}},
			Deployment{Runtime: "dynamo", MemoryRequest: yes, Replicas: map[string]int64{"worker": 1}},
			[]string{"autoscaling.worker: the starting size 1 (replicas) is outside"}},
		{"wrong role for mode", &Spec{Worker: &Role{MinReplicas: 1, MaxReplicas: 2}}, Deployment{Runtime: "kuberay", Disaggregated: true},
			[]string{"autoscaling.worker: does not apply in disaggregated mode", "autoscaling: names no worker pool"}},
		{"kuberay refuses hpa targets", &Spec{Worker: &Role{MinReplicas: 1, MaxReplicas: 2, CPUUtilization: i64(50)}},
			Deployment{Runtime: "kuberay"}, []string{"autoscaling.worker.cpu_utilization: KubeRay scales with Ray Serve"}},
		{"stabilization out of the HPA's range", &Spec{Worker: &Role{MinReplicas: 1, MaxReplicas: 2, CPUUtilization: i64(50),
			ScaleDownStabilizationSeconds: i64(3601)}}, Deployment{Runtime: "dynamo", CPURequest: yes},
			[]string{"autoscaling.worker.scale_down_stabilization_seconds: must be between 0 and 3600"}},
		{"kuberay refuses the hpa window", &Spec{Worker: &Role{MinReplicas: 1, MaxReplicas: 2, ScaleDownStabilizationSeconds: i64(30)}},
			Deployment{Runtime: "kuberay"}, []string{"autoscaling.worker.scale_down_stabilization_seconds: KubeRay scales with Ray Serve"}},
		{"valid dynamo", &Spec{Prefill: &Role{MinReplicas: 1, MaxReplicas: 2, CPUUtilization: i64(50)}, Decode: &Role{MinReplicas: 1,
			MaxReplicas: 3, Prometheus: &Prometheus{ServerAddress: "http://p", Query: "q", Threshold: "2.5"}}},
			Deployment{Runtime: "dynamo", Disaggregated: true, CPURequest: yes, Replicas: map[string]int64{"prefill": 1, "decode": 1}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, is := range Validate(c.s, c.d) {
				got = append(got, is.Path+": "+is.Message)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %d issues %q, want %d %q", len(got), got, len(c.want), c.want)
			}
			for i, w := range c.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("issue %d = %q, want prefix %q", i, got[i], w)
				}
			}
		})
	}
}

// Import: what Dynamo renders reads back to the same Spec, from the live HPA and ScaledObject.
func TestReadDynamo_RoundTrip(t *testing.T) {
	obj := dgd(t)
	want := &Spec{
		Prefill: &Role{MinReplicas: 1, MaxReplicas: 4, CPUUtilization: i64(70), MemoryUtilization: i64(80), ScaleDownStabilizationSeconds: i64(0)},
		Decode: &Role{MinReplicas: 2, MaxReplicas: 8, ScaleDownStabilizationSeconds: i64(45), Prometheus: &Prometheus{
			ServerAddress: "http://prom:9090", Query: "q", Threshold: "5", ActivationThreshold: "1"}},
	}
	scalers, err := Dynamo(obj, want)
	if err != nil {
		t.Fatal(err)
	}
	live := map[string]*unstructured.Unstructured{}
	for _, s := range scalers {
		live[s.GetAPIVersion()+"/"+s.GetKind()+"/"+s.GetName()] = s
	}
	got, err := ReadDynamo(obj, func(apiVersion, kind, name string) (*unstructured.Unstructured, error) {
		return live[apiVersion+"/"+kind+"/"+name], nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(describe(got)) != fmt.Sprint(describe(want)) {
		t.Errorf("read back %v, want %v", describe(got), describe(want))
	}
	none, err := ReadDynamo(dgd(t), func(string, string, string) (*unstructured.Unstructured, error) { return nil, nil })
	if err != nil || none != nil {
		t.Errorf("a graph without adapters read back %v (%v), want nil", none, err)
	}
}

func describe(s *Spec) []string {
	var out []string
	for _, role := range s.Roles() {
		r := s.For(role)
		d := fmt.Sprintf("%s %d..%d", role, r.MinReplicas, r.MaxReplicas)
		for _, p := range []struct {
			n string
			v *int64
		}{{"cpu", r.CPUUtilization}, {"mem", r.MemoryUtilization}, {"window", r.ScaleDownStabilizationSeconds}} {
			if p.v != nil {
				d += fmt.Sprintf(" %s=%d", p.n, *p.v)
			}
		}
		if r.Prometheus != nil {
			d += fmt.Sprintf(" prom=%+v", *r.Prometheus)
		}
		out = append(out, d)
	}
	return out
}
