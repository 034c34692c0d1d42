package llmd

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strconv"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/vllm"
)

// kvTransferConfig makes a vLLM server of the P/D path a NIXL peer that both sends and
// receives KV caches, as both roles of the pd-disaggregation guide run it.
const kvTransferConfig = `{"kv_connector":"NixlConnector","kv_role":"kv_both"}`

// nixlHostEnv tells vLLM's NixlConnector the address its side channel advertises (the pod IP).
const nixlHostEnv = "VLLM_NIXL_SIDE_CHANNEL_HOST"

// Manifests renders the decode Deployment (primary), the API Service, in disaggregated mode
// the prefill Deployment, the InferencePool, the endpoint picker and, with a gateway block,
// the HTTPRoute to the pool.
func (r Runtime) Manifests(cfg runtimes.DeploymentConfig) (runtimes.Manifests, error) {
	if err := r.Validate(cfg).Err(); err != nil {
		return runtimes.Manifests{}, err
	}
	pd := cfg.Mode == runtimes.ModeDisaggregated
	replicas, gpus := runtimes.Deref(cfg.Replicas), runtimes.Deref(cfg.GPUs)
	if pd {
		replicas, gpus = *cfg.Disaggregated.DecodeReplicas, *cfg.Disaggregated.DecodeGPUs
	}
	decodeTpl, err := serverTemplate(cfg, RoleDecode, gpus)
	if err != nil {
		return runtimes.Manifests{}, err
	}
	primary, err := runtimes.NewObject(crdDeployment.APIVersion(), crdDeployment.Kind, cfg.Name, cfg.Namespace, runtimes.Labels(cfg.Name, ID),
		map[string]any{"spec": vllm.DeploymentSpec(replicas, deploymentSelector(cfg.Name, RoleDecode), decodeTpl)})
	if err != nil {
		return runtimes.Manifests{}, err
	}
	svc, err := runtimes.NewObject("v1", "Service", serviceName(cfg.Name), cfg.Namespace, runtimes.Labels(cfg.Name, ID), map[string]any{"spec": map[string]any{
		"selector": deploymentSelector(cfg.Name, RoleDecode),
		"ports":    []any{map[string]any{"name": "http", "port": int64(ServePort), "targetPort": int64(ServePort), "protocol": "TCP"}},
	}})
	if err != nil {
		return runtimes.Manifests{}, err
	}
	m := runtimes.Manifests{Primary: primary, Companions: []*unstructured.Unstructured{svc}}
	eppConfig := baselineEPPConfig
	if pd {
		prefill, err := prefillDeployment(cfg, primary)
		if err != nil {
			return runtimes.Manifests{}, err
		}
		m.Companions = append(m.Companions, prefill)
		eppConfig = pdEPPConfig
	}
	pool, err := gateway.Pool(cfg, ID, PoolSelector(cfg.Name), ServePort)
	if err != nil {
		return runtimes.Manifests{}, err
	}
	m.Companions = append(m.Companions, pool)
	epp, err := gateway.EndpointPickerWithConfig(cfg, ID, eppConfig)
	if err != nil {
		return runtimes.Manifests{}, err
	}
	m.Companions = append(m.Companions, epp...)
	if cfg.Gateway != nil {
		route, err := gateway.Route(cfg, ID, gateway.PoolBackend(cfg.Name, ServePort))
		if err != nil {
			return runtimes.Manifests{}, err
		}
		m.Companions = append(m.Companions, route)
	}
	return runtimes.FinishManifests(cfg, m, vllm.DefaultImage)
}

// prefillDeployment renders "<name>-prefill" and records its size and template hash on the
// primary object, so Parse and Status, which read the primary only, see the prefill pool.
func prefillDeployment(cfg runtimes.DeploymentConfig, primary *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	d := cfg.Disaggregated
	tpl, err := serverTemplate(cfg, RolePrefill, *d.PrefillGPUs)
	if err != nil {
		return nil, err
	}
	hash, err := templateHash(tpl)
	if err != nil {
		return nil, err
	}
	child(child(tpl, "metadata"), "annotations")[annotationPrefillTemplate] = hash
	annotations := primary.GetAnnotations()
	if annotations == nil {
		annotations = map[string]string{}
	}
	annotations[annotationPrefillReplicas] = strconv.FormatInt(*d.PrefillReplicas, 10)
	annotations[annotationPrefillGPUs] = strconv.FormatInt(*d.PrefillGPUs, 10)
	annotations[annotationPrefillTemplate] = hash
	primary.SetAnnotations(annotations)
	return runtimes.NewObject(crdDeployment.APIVersion(), crdDeployment.Kind, PrefillName(cfg.Name), cfg.Namespace, runtimes.Labels(cfg.Name, ID),
		map[string]any{"spec": vllm.DeploymentSpec(*d.PrefillReplicas, deploymentSelector(cfg.Name, RolePrefill), tpl)})
}

// templateHash identifies a rendered prefill pod template (FNV-64a of its JSON).
func templateHash(tpl map[string]any) (string, error) {
	b, err := json.Marshal(tpl)
	if err != nil {
		return "", err
	}
	h := fnv.New64a()
	_, _ = h.Write(b)
	return fmt.Sprintf("%016x", h.Sum64()), nil
}

// serverTemplate renders the vLLM pod of one role with gpus GPUs: the vllm runtime's pod with
// tensor parallelism over the role's GPUs, the llm-d labels and, on the P/D path, the NIXL
// KV transfer configuration and, for decode, the routing sidecar in front of vLLM.
func serverTemplate(cfg runtimes.DeploymentConfig, role string, gpus int64) (map[string]any, error) {
	pd := cfg.Mode == runtimes.ModeDisaggregated
	c := cfg
	c.GPUs = &gpus
	v := *cfg.VLLM
	c.VLLM = &v
	if v.TensorParallel == nil || pd {
		tp := gpus / *v.PipelineParallel
		c.VLLM.TensorParallel = &tp
	}
	port := int64(ServePort)
	if pd && role == RoleDecode {
		port = DecodeVLLM
	}
	args := vllm.ServeArgs(c, port)
	guide, workloadRole := GuideBaseline, runtimes.RoleWorker
	if pd {
		args = append(args, "--kv-transfer-config", kvTransferConfig)
		guide, workloadRole = GuidePD, role
	}
	tpl := vllm.ServerPodTemplate(c, ID, role, port, args)
	labels := child(child(tpl, "metadata"), "labels")
	labels[LabelInferenceServing] = "true"
	labels[LabelModel] = ModelLabel(cfg.Model)
	labels[LabelRole] = role
	labels[LabelGuide] = guide
	if pd {
		spec := child(tpl, "spec")
		containers, _ := spec["containers"].([]any)
		for _, c := range containers {
			if container, ok := c.(map[string]any); ok && container["name"] == vllm.ContainerName {
				env, _ := container["env"].([]any)
				container["env"] = append(env, map[string]any{"name": nixlHostEnv, "valueFrom": map[string]any{
					"fieldRef": map[string]any{"fieldPath": "status.podIP"}}})
			}
		}
		if role == RoleDecode {
			spec["initContainers"] = []any{routingSidecar()}
		}
	}
	if err := runtimes.ApplyPodTemplate(tpl, cfg, workloadRole, vllm.ContainerName); err != nil {
		return nil, err
	}
	return tpl, nil
}

// routingSidecar is the llm-d routing proxy (cmd/pd-sidecar @ v0.10.0) as a native sidecar
// (an init container that keeps running): it takes the pool's traffic on 8000, has the
// prefill pod the EPP chose (x-prefiller-host-port header) compute the KV cache, and then
// lets the local vLLM on 8200 decode, pulling the cache over NIXL (--kv-connector nixlv2).
// Flags as spelled in pkg/sidecar/proxy/options.go (--model-server-port replaced
// --vllm-port; --secure-proxy=false serves plain HTTP like vLLM).
func routingSidecar() map[string]any {
	return map[string]any{
		"name":  "routing-proxy",
		"image": SidecarImage,
		"args": []any{
			"--port=" + strconv.Itoa(ServePort),
			"--model-server-port=" + strconv.Itoa(DecodeVLLM),
			"--kv-connector=nixlv2",
			"--secure-proxy=false",
		},
		"ports":         []any{map[string]any{"name": "sidecar", "containerPort": int64(ServePort), "protocol": "TCP"}},
		"restartPolicy": "Always",
		"securityContext": map[string]any{
			"allowPrivilegeEscalation": false,
			"runAsNonRoot":             true,
		},
	}
}

// child returns m[key] as a map, creating it when missing.
func child(m map[string]any, key string) map[string]any {
	c, ok := m[key].(map[string]any)
	if !ok {
		c = map[string]any{}
		m[key] = c
	}
	return c
}
