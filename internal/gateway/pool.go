package gateway

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// EPPImage is the endpoint picker the provider renders where the runtime has none of its
// own: the llm-d router's, which the Inference Extension's own EPP moved to (the extension's
// v1.6 module ships only a conformance "lwepp"). Registry and repository from llm-d-router
// v0.10.0 config/charts/routerlib/values.yaml, tagged with that release.
const EPPImage = "ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0"

// eppConfigFile is the plugin configuration the picker loads: the llm-d router chart's
// default-plugins.yaml (routerlib/templates/_config.yaml @ v0.10.0) for vLLM over HTTP:
// queue depth, KV-cache utilisation and prefix-cache scoring from the engines' /metrics.
const eppConfigFile = "default-plugins.yaml"

const eppConfig = `apiVersion: llm-d.ai/v1alpha1
kind: EndpointPickerConfig
plugins:
- type: queue-scorer
- type: kv-cache-utilization-scorer
- type: prefix-cache-scorer
- type: metrics-data-source
  parameters:
    scheme: "http"
    path: "/metrics"
    insecureSkipVerify: true
- type: core-metrics-extractor
schedulingProfiles:
- name: default
  plugins:
  - pluginRef: queue-scorer
    weight: 2
  - pluginRef: kv-cache-utilization-scorer
    weight: 2
  - pluginRef: prefix-cache-scorer
    weight: 3
`

// Pool renders the InferencePool over the pods selector matches, serving on targetPort, with
// the endpoint picker EndpointPicker renders.
func Pool(cfg runtimes.DeploymentConfig, runtimeID string, selector map[string]string, targetPort int64) (*unstructured.Unstructured, error) {
	labels := make(map[string]any, len(selector))
	for k, v := range selector {
		labels[k] = v
	}
	spec := map[string]any{
		"targetPorts": []any{map[string]any{"number": targetPort}},
		"selector":    map[string]any{"matchLabels": labels},
		"endpointPickerRef": map[string]any{
			"kind": "Service",
			"name": EPPName(cfg.Name),
			"port": map[string]any{"number": int64(EPPGRPCPort)},
			// Requests still flow when the picker is down (the chart's default).
			"failureMode": "FailOpen",
		},
	}
	return runtimes.NewObject(PoolGroup+"/v1", "InferencePool", PoolName(cfg.Name), cfg.Namespace,
		runtimes.Labels(cfg.Name, runtimeID), map[string]any{"spec": spec})
}

// eppSelector labels the picker's own pods; it never matches the pool's selector.
func eppSelector(name string) map[string]any {
	return map[string]any{runtimes.LabelInstance: name, "app.kubernetes.io/component": "endpoint-picker"}
}

// EndpointPicker renders the picker for the pool Pool renders, as the llm-d router chart
// (v0.10.0, routerlib + llm-d-router-gateway templates) deploys it: ConfigMap, ServiceAccount,
// a Role to read pods, InferencePools and InferenceObjectives, its RoleBinding, the
// Deployment and the Service the pool's endpointPickerRef names. The metrics endpoint is
// served without authentication (--metrics-endpoint-auth=false): its token review needs a
// ClusterRole, and a model deployment creates namespaced objects only.
func EndpointPicker(cfg runtimes.DeploymentConfig, runtimeID string) ([]*unstructured.Unstructured, error) {
	return EndpointPickerWithConfig(cfg, runtimeID, DefaultEPPConfig)
}

// DefaultEPPConfig is the chart's default plugin configuration (eppConfig).
const DefaultEPPConfig = eppConfig

// EndpointPickerWithConfig is EndpointPicker with another plugin configuration (an
// EndpointPickerConfig document); cfg.Gateway may be nil (the default image is used).
func EndpointPickerWithConfig(cfg runtimes.DeploymentConfig, runtimeID, pluginConfig string) ([]*unstructured.Unstructured, error) {
	name, ns := EPPName(cfg.Name), cfg.Namespace
	labels := runtimes.Labels(cfg.Name, runtimeID)
	image := EPPImage
	if cfg.Gateway != nil && cfg.Gateway.EPPImage != "" {
		image = cfg.Gateway.EPPImage
	}
	var out []*unstructured.Unstructured
	add := func(apiVersion, kind string, body map[string]any) error {
		o, err := runtimes.NewObject(apiVersion, kind, name, ns, labels, body)
		if err == nil {
			out = append(out, o)
		}
		return err
	}
	read := []any{"get", "watch", "list"}
	container := map[string]any{
		"name":  "epp",
		"image": image,
		"args": []any{
			"--pool-name", PoolName(cfg.Name),
			"--pool-namespace", ns,
			"--pool-group", PoolGroup,
			"--zap-encoder", "json",
			"--config-file", "/config/" + eppConfigFile,
			"--grpc-port", fmt.Sprint(EPPGRPCPort),
			"--grpc-health-port", fmt.Sprint(EPPHealthPort),
			"--tracing=false",
			"--metrics-endpoint-auth=false",
		},
		"ports": []any{
			map[string]any{"name": "grpc", "containerPort": int64(EPPGRPCPort)},
			map[string]any{"name": "grpc-health", "containerPort": int64(EPPHealthPort)},
			map[string]any{"name": "metrics", "containerPort": int64(EPPMetricsPort)},
		},
		"livenessProbe": map[string]any{
			"grpc":                map[string]any{"port": int64(EPPHealthPort), "service": "inference-extension"},
			"initialDelaySeconds": int64(5), "periodSeconds": int64(10),
		},
		"readinessProbe": map[string]any{
			"grpc":          map[string]any{"port": int64(EPPHealthPort), "service": "inference-extension"},
			"periodSeconds": int64(2),
		},
		"env": []any{
			map[string]any{"name": "NAMESPACE", "valueFrom": map[string]any{"fieldRef": map[string]any{"fieldPath": "metadata.namespace"}}},
			map[string]any{"name": "POD_NAME", "valueFrom": map[string]any{"fieldRef": map[string]any{"fieldPath": "metadata.name"}}},
		},
		"volumeMounts": []any{map[string]any{"name": "plugins-config", "mountPath": "/config"}},
	}
	steps := []func() error{
		func() error {
			return add("v1", "ConfigMap", map[string]any{"data": map[string]any{eppConfigFile: pluginConfig}})
		},
		func() error { return add("v1", "ServiceAccount", map[string]any{}) },
		func() error {
			return add("rbac.authorization.k8s.io/v1", "Role", map[string]any{"rules": []any{
				map[string]any{"apiGroups": []any{""}, "resources": []any{"pods"}, "verbs": read},
				map[string]any{"apiGroups": []any{PoolGroup}, "resources": []any{"inferencepools"}, "verbs": read},
				map[string]any{"apiGroups": []any{"inference.networking.x-k8s.io", "llm-d.ai"},
					"resources": []any{"inferenceobjectives", "inferencemodelrewrites"}, "verbs": read},
			}})
		},
		func() error {
			return add("rbac.authorization.k8s.io/v1", "RoleBinding", map[string]any{
				"subjects": []any{map[string]any{"kind": "ServiceAccount", "name": name, "namespace": ns}},
				"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
			})
		},
		func() error {
			return add("apps/v1", "Deployment", map[string]any{"spec": map[string]any{
				"replicas": int64(1),
				"selector": map[string]any{"matchLabels": eppSelector(cfg.Name)},
				"template": map[string]any{
					"metadata": map[string]any{"labels": eppSelector(cfg.Name)},
					"spec": map[string]any{
						"serviceAccountName": name,
						// As long as the longest grace period of the pool's pods (the chart's value).
						"terminationGracePeriodSeconds": int64(130),
						"containers":                    []any{container},
						"volumes": []any{map[string]any{"name": "plugins-config",
							"configMap": map[string]any{"name": name}}},
					},
				},
			}})
		},
		func() error {
			return add("v1", "Service", map[string]any{"spec": map[string]any{
				"selector": eppSelector(cfg.Name),
				"ports": []any{
					map[string]any{"name": "grpc-ext-proc", "protocol": "TCP", "port": int64(EPPGRPCPort), "appProtocol": "kubernetes.io/h2c"},
					map[string]any{"name": "http-metrics", "protocol": "TCP", "port": int64(EPPMetricsPort)},
				},
			}})
		},
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
