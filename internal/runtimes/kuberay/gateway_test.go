package kuberay_test

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kuberay"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

// A pool over the Serve pods (labelled through the templates) and the endpoint picker.
func TestGatewayManifests(t *testing.T) {
	cfg := rt.DeploymentConfig{Name: "qwen", Namespace: "models", Model: "Qwen/Qwen3-0.6B",
		Gateway: &rt.Gateway{ParentRefs: []rt.GatewayParent{{Name: "inference-gateway"}}}}
	r := kuberay.New()
	r.Defaults(&cfg)
	if ps := r.Validate(cfg); len(ps) > 0 {
		t.Fatal(ps)
	}
	m, err := r.Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	runtimestest.Golden(t, "kuberay-gateway", runtimestest.RenderYAML(t, m.All()))
	sel := kuberay.PoolSelector("qwen")
	head, _, _ := unstructured.NestedStringMap(m.Primary.Object, "spec", "rayClusterConfig", "headGroupSpec", "template", "metadata", "labels")
	groups, _, _ := unstructured.NestedSlice(m.Primary.Object, "spec", "rayClusterConfig", "workerGroupSpecs")
	worker, _, _ := unstructured.NestedStringMap(groups[0].(map[string]any), "template", "metadata", "labels")
	for k, v := range sel {
		if k == "ray.io/serve" {
			continue // set by KubeRay itself
		}
		if head[k] != v || worker[k] != v {
			t.Errorf("pod templates lack %s=%s: head %v, worker %v", k, v, head, worker)
		}
	}
	kinds := map[string]bool{}
	for _, c := range m.Companions {
		kinds[c.GetKind()] = true
	}
	for _, k := range []string{"HTTPRoute", "InferencePool", "Deployment", "Service", "ServiceAccount", "Role", "RoleBinding", "ConfigMap"} {
		if !kinds[k] {
			t.Errorf("no %s among the companions", k)
		}
	}
}
