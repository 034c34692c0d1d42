package autoscaling_test

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/autoscaling"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kaito"
)

func kaitoSet(s *autoscaling.Spec) runtimes.DeploymentConfig {
	c := base("kaito")
	c.Model = "kaito/llama3.2-1b"
	c.KAITO = &runtimes.KaitoConfig{InferenceSet: runtimes.Bool(true), CPU: "1"}
	c.Autoscaling = s
	return c
}

// KAITO 0.12: the HPA targets the InferenceSet's scale subresource by kind and name
// (kaito.sh_inferencesets.yaml @ v0.12.0 declares it); the starting size is spec.replicas.
func TestKAITO_HPATargetsTheInferenceSet(t *testing.T) {
	cfg := kaitoSet(&autoscaling.Spec{Worker: &autoscaling.Role{MinReplicas: 1, MaxReplicas: 3, CPUUtilization: runtimes.Int64(60)}})
	cfg.Replicas = runtimes.Int64(2)
	m, _ := render(t, kaito.New(), cfg)
	if m.Primary.GetKind() != "InferenceSet" {
		t.Fatalf("primary %s, want InferenceSet", m.Primary.GetKind())
	}
	if n, _, _ := unstructured.NestedInt64(m.Primary.Object, "spec", "replicas"); n != 2 {
		t.Errorf("spec.replicas %d, want the starting size 2", n)
	}
	var hpa *unstructured.Unstructured
	for _, c := range m.Companions {
		if c.GetKind() == autoscaling.HPAKind {
			hpa = c
		}
	}
	if hpa == nil {
		t.Fatalf("no HPA among %d companions", len(m.Companions))
	}
	ref, _, _ := unstructured.NestedStringMap(hpa.Object, "spec", "scaleTargetRef")
	if ref["apiVersion"] != "kaito.sh/v1beta1" || ref["kind"] != "InferenceSet" || ref["name"] != "qwen" || hpa.GetName() != "qwen" {
		t.Errorf("HPA %s targets %v", hpa.GetName(), ref)
	}
}

// Import: the HPA and the ScaledObject KAITO renders read back to the same Spec.
func TestReadKAITO_RoundTrip(t *testing.T) {
	for _, want := range []*autoscaling.Spec{
		{Worker: &autoscaling.Role{MinReplicas: 1, MaxReplicas: 4, CPUUtilization: runtimes.Int64(70), ScaleDownStabilizationSeconds: runtimes.Int64(0)}},
		{Worker: &autoscaling.Role{MinReplicas: 2, MaxReplicas: 5, Prometheus: &autoscaling.Prometheus{ServerAddress: "http://p:9090", Query: "q", Threshold: "3"}}},
	} {
		cfg := kaitoSet(want)
		cfg.Replicas = runtimes.Int64(want.Worker.MinReplicas)
		m, _ := render(t, kaito.New(), cfg)
		objs := map[string]*unstructured.Unstructured{}
		for _, c := range m.Companions {
			objs[c.GetKind()+"/"+c.GetName()] = c
		}
		got, err := autoscaling.ReadKAITO(m.Primary, func(_, kind, name string) (*unstructured.Unstructured, error) {
			return objs[kind+"/"+name], nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got == nil || got.Worker == nil || got.Worker.MinReplicas != want.Worker.MinReplicas || got.Worker.MaxReplicas != want.Worker.MaxReplicas ||
			(want.Worker.CPUUtilization != nil && (got.Worker.CPUUtilization == nil || *got.Worker.CPUUtilization != 70)) ||
			(want.Worker.Prometheus != nil && (got.Worker.Prometheus == nil || *got.Worker.Prometheus != *want.Worker.Prometheus)) {
			t.Errorf("read back %+v, want %+v", got, want)
		}
	}
}

// While autoscaled, the live replicas read as the planned ones and an apply keeps the live ones.
func TestInferenceSetReplicasMaskAndKeep(t *testing.T) {
	m, _ := render(t, kaito.New(), kaitoSet(&autoscaling.Spec{Worker: &autoscaling.Role{MinReplicas: 1, MaxReplicas: 3, CPUUtilization: runtimes.Int64(60)}}))
	live := m.Primary.DeepCopy()
	_ = unstructured.SetNestedField(live.Object, int64(3), "spec", "replicas")
	if n, _, _ := unstructured.NestedInt64(autoscaling.MaskInferenceSetReplicas(live, m.Primary).Object, "spec", "replicas"); n != 1 {
		t.Errorf("masked replicas %d, want the planned 1", n)
	}
	planned := m.Primary.DeepCopy()
	if err := autoscaling.KeepInferenceSetReplicas(planned, live); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := unstructured.NestedInt64(planned.Object, "spec", "replicas"); n != 3 {
		t.Errorf("kept replicas %d, want the live 3", n)
	}
}
