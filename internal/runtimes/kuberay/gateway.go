package kuberay

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// KubeRay has no Inference Extension integration of its own, so the provider renders the
// pool over the Serve pods and an endpoint picker (internal/gateway.EndpointPicker).

// servePoolLabel marks the head and worker pods of one RayService for the pool's selector:
// the pods KubeRay makes carry only the RayCluster's name ("ray.io/cluster", which changes with
// every cluster upgrade) plus the template's labels (controllers/ray/common/pod.go labelPod,
// ray-project/kuberay v1.6.2), so a label of our own is the stable selector.
const servePoolLabel = "kubefoundry.io/serve-pool"

// serveLabel is "true" on the pods whose Serve proxy takes traffic: always on workers, on the
// head once the RayService controller finds its proxy healthy (pod.go BuildPod; the Serve
// Service selects on it too, common/service.go BuildServeService).
const serveLabel = "ray.io/serve"

var gatewaySupport = gateway.Support{Pool: true, EPPImage: true}

// PoolSelector is the InferencePool's selector for a RayService's Serve pods.
func PoolSelector(name string) map[string]string {
	return map[string]string{servePoolLabel: name, serveLabel: "true"}
}

// addGateway labels the pod templates for the pool and returns the gateway's objects: the
// route, and with the pool the InferencePool and its picker.
func addGateway(cfg runtimes.DeploymentConfig, obj *unstructured.Unstructured) ([]*unstructured.Unstructured, error) {
	if !cfg.Gateway.PoolEnabled() {
		route, err := gateway.Route(cfg, ID, gateway.ServiceBackend(cfg.Name+"-serve-svc", ServePort))
		return []*unstructured.Unstructured{route}, err
	}
	rc, _, _ := unstructured.NestedMap(obj.Object, "spec", "rayClusterConfig")
	var templates []map[string]any
	if head, ok := rc["headGroupSpec"].(map[string]any); ok {
		templates = append(templates, asMap(head, "template"))
	}
	groups, _ := rc["workerGroupSpecs"].([]any)
	for _, g := range groups {
		gm, _ := g.(map[string]any)
		templates = append(templates, asMap(gm, "template"))
	}
	for _, tpl := range templates {
		md := asMap(tpl, "metadata")
		labels := asMap(md, "labels")
		labels[servePoolLabel] = cfg.Name
	}
	if err := unstructured.SetNestedMap(obj.Object, rc, "spec", "rayClusterConfig"); err != nil {
		return nil, fmt.Errorf("labelling the RayService pods: %w", err)
	}
	route, err := gateway.Route(cfg, ID, gateway.PoolBackend(cfg.Name, ServePort))
	if err != nil {
		return nil, err
	}
	pool, err := gateway.Pool(cfg, ID, PoolSelector(cfg.Name), ServePort)
	if err != nil {
		return nil, err
	}
	epp, err := gateway.EndpointPicker(cfg, ID)
	if err != nil {
		return nil, err
	}
	return append([]*unstructured.Unstructured{route, pool}, epp...), nil
}

// asMap returns m[key] as a map, creating it when missing.
func asMap(m map[string]any, key string) map[string]any {
	v, ok := m[key].(map[string]any)
	if !ok {
		v = map[string]any{}
		m[key] = v
	}
	return v
}
