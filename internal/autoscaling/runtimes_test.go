package autoscaling_test

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/autoscaling"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kaito"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kuberay"
)

func render(t *testing.T, r runtimes.Runtime, cfg runtimes.DeploymentConfig) (runtimes.Manifests, string) {
	t.Helper()
	r.Defaults(&cfg)
	m, err := runtimes.ForConfig(r, cfg).Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := yaml.Marshal(m.Primary.Object)
	return m, string(out)
}

func base(runtime string) runtimes.DeploymentConfig {
	return runtimes.DeploymentConfig{Name: "qwen", Namespace: "ns", Runtime: runtime, Model: "Qwen/Qwen3-0.6B"}
}

// The block changes nothing else: without it the output is what it was, with it only the
// adapter opt-in (Dynamo) or the autoscaler fields (KubeRay) are added.
func TestRuntimes_AutoscalingAddsOnlyItsFields(t *testing.T) {
	off, offYAML := render(t, dynamo.New(), base("dynamo"))
	cfg := base("dynamo")
	cfg.Replicas = runtimes.Int64(2)
	cfg.Memory = "40Gi"
	cfg.Autoscaling = &autoscaling.Spec{Worker: &autoscaling.Role{MinReplicas: 1, MaxReplicas: 4, MemoryUtilization: runtimes.Int64(75)}}
	on, onYAML := render(t, dynamo.New(), cfg)
	if len(off.Companions) != 0 || strings.Contains(offYAML, "scalingAdapter") {
		t.Fatalf("without autoscaling: companions %d, manifest\n%s", len(off.Companions), offYAML)
	}
	if len(on.Companions) != 1 || on.Companions[0].GetKind() != "HorizontalPodAutoscaler" || on.Companions[0].GetName() != "qwen-vllmworker" {
		t.Fatalf("with autoscaling: companions %v, want the HPA qwen-vllmworker", on.Companions)
	}
	if got := autoscaling.AdaptedComponents(on.Primary); len(got) != 1 || got["VllmWorker"] != 2 {
		t.Fatalf("adapted components %v, want VllmWorker with the starting size 2", got)
	}
	if strings.Count(onYAML, "scalingAdapter: {}") != 1 {
		t.Errorf("the frontend or another component got an adapter:\n%s", onYAML)
	}

	rayOff, rayOffYAML := render(t, kuberay.New(), base("kuberay"))
	rcfg := base("kuberay")
	rcfg.Autoscaling = &autoscaling.Spec{Worker: &autoscaling.Role{MinReplicas: 1, MaxReplicas: 3}}
	_, rayOnYAML := render(t, kuberay.New(), rcfg)
	if len(rayOff.Companions) != 0 || strings.Contains(rayOffYAML, "enableInTreeAutoscaling") {
		t.Fatalf("KubeRay without autoscaling changed:\n%s", rayOffYAML)
	}
	var rs unstructured.Unstructured
	if err := yaml.Unmarshal([]byte(rayOnYAML), &rs.Object); err != nil {
		t.Fatal(err)
	}
	groups, _, _ := unstructured.NestedSlice(rs.Object, "spec", "rayClusterConfig", "workerGroupSpecs")
	if on, _, _ := unstructured.NestedBool(rs.Object, "spec", "rayClusterConfig", "enableInTreeAutoscaling"); !on || len(groups) != 1 {
		t.Fatalf("KubeRay with autoscaling:\n%s", rayOnYAML)
	}
	if g := groups[0].(map[string]any); g["maxReplicas"] != float64(3) || g["minReplicas"] != float64(1) {
		t.Errorf("worker group bounds %v, want 1..3", g)
	}
	// Serve may now grow to the autoscaled pool: 3 workers x 1 GPU hold 3 Serve replicas.
	if !strings.Contains(rayOnYAML, "max_replicas: 3") {
		t.Errorf("Serve max_replicas does not follow the autoscaled pool:\n%s", rayOnYAML)
	}
}

func TestRuntimes_ValidateNamesTheAttribute(t *testing.T) {
	k := base("kaito")
	k.Model = "kaito/llama3.2-1b"
	k.Autoscaling = &autoscaling.Spec{Worker: &autoscaling.Role{MinReplicas: 1, MaxReplicas: 2}}
	r := kaito.New()
	r.Defaults(&k)
	if ps := r.Validate(k); !ps.Has("autoscaling") {
		t.Errorf("KAITO Workspace with autoscaling: problems %v, want one on autoscaling", ps)
	}
	k.KAITO.InferenceSet = runtimes.Bool(true)
	k.Autoscaling.Worker.CPUUtilization = runtimes.Int64(50)
	if ps := r.Validate(k); !ps.Has("autoscaling.worker.cpu_utilization") {
		t.Errorf("KAITO InferenceSet CPU target without kaito.cpu: problems %v", ps)
	}
	k.KAITO.CPU = "1"
	if ps := r.Validate(k); len(ps) != 0 {
		t.Errorf("valid KAITO InferenceSet: problems %v", ps)
	}
	d := base("dynamo")
	d.Autoscaling = &autoscaling.Spec{Worker: &autoscaling.Role{MinReplicas: 1, MaxReplicas: 2, CPUUtilization: runtimes.Int64(50)}}
	dr := dynamo.New()
	dr.Defaults(&d)
	if ps := dr.Validate(d); !ps.Has("autoscaling.worker.cpu_utilization") {
		t.Errorf("Dynamo CPU target without a CPU request: problems %v", ps)
	}
	d.Workload = &runtimes.Workload{Pod: runtimes.PodSettings{CPU: "2"}}
	if ps := dr.Validate(d); len(ps) != 0 {
		t.Errorf("valid config: problems %v", ps)
	}
}
