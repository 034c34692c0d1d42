package modeldeployment

import (
	"reflect"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Import reads pod.resources back when, and only when, it reproduces the live object.
func TestImportPodResourcesReproducesTheLiveObject(t *testing.T) {
	res := rt.PodSettings{CPU: "2", ExtraResources: map[string]string{"rdma/hca": "1"}, GPUResourceName: "nvidia.com/mig-3g.20gb"}
	for _, c := range []struct {
		name string
		cfg  rt.DeploymentConfig
		want *rt.PodSettings
	}{
		{"dynamo, all three", rt.DeploymentConfig{Runtime: "dynamo", Model: "Qwen/Qwen3-0.6B", Workload: &rt.Workload{Pod: res}}, &res},
		{"dynamo, cpu only", rt.DeploymentConfig{Runtime: "dynamo", Model: "Qwen/Qwen3-0.6B", Workload: &rt.Workload{Pod: rt.PodSettings{CPU: "1500m"}}},
			&rt.PodSettings{CPU: "1500m"}},
		{"dynamo, none", rt.DeploymentConfig{Runtime: "dynamo", Model: "Qwen/Qwen3-0.6B"}, nil},
		{"dynamo, a worker-only cpu is not a pod setting", rt.DeploymentConfig{Runtime: "dynamo", Model: "Qwen/Qwen3-0.6B",
			Workload: &rt.Workload{Roles: map[string]rt.PodSettings{rt.RoleWorker: {CPU: "4"}}}}, nil},
		{"kaito inference set, extra resource", rt.DeploymentConfig{Runtime: "kaito", Model: "Qwen/Qwen3-0.6B", Engine: rt.EngineVLLM,
			KAITO: &rt.KaitoConfig{InferenceSet: rt.Bool(true), CPU: "1"}, Workload: &rt.Workload{Pod: rt.PodSettings{ExtraResources: map[string]string{"rdma/hca": "1"}}}},
			&rt.PodSettings{ExtraResources: map[string]string{"rdma/hca": "1"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			runtime, err := runtimeFor(c.cfg.Runtime)
			if err != nil {
				t.Fatal(err)
			}
			cfg := c.cfg
			cfg.Name, cfg.Namespace = "qwen", "models"
			runtime.Defaults(&cfg)
			runtime = rt.ForConfig(runtime, cfg)
			m, err := runtime.Manifests(cfg)
			if err != nil {
				t.Fatal(err)
			}
			var view unstructured.Unstructured // as read back from the API server
			b, _ := yaml.Marshal(m.Primary.Object)
			if err := yaml.Unmarshal(b, &view.Object); err != nil {
				t.Fatal(err)
			}
			live, err := runtime.Parse(&view)
			if err != nil {
				t.Fatal(err)
			}
			live.Runtime = runtime.ID()
			runtime.Defaults(&live)
			got := importPodResources(runtime, live, &view)
			switch {
			case c.want == nil && got != nil:
				t.Errorf("read %+v, want nothing", got.Pod)
			case c.want != nil && (got == nil || !reflect.DeepEqual(got.Pod, *c.want)):
				t.Errorf("read %+v, want pod %+v", got, *c.want)
			}
		})
	}
}
