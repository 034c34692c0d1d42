package dynamo

import (
	"reflect"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// A v1beta1 component as in ai-dynamo/dynamo examples/backends/vllm/deploy/disagg.yaml
// (fork HEAD, see runtime-landscape.md), written by hand: the mapping the v1beta1 renderer
// will call puts every setting into podTemplate with container "main".
const v1beta1Decode = `
name: VllmDecodeWorker
type: decode
replicas: 1
podTemplate:
  spec:
    containers:
    - name: sidecar
      image: busybox
    - name: main
      image: nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0
      command: [python3, -m, dynamo.vllm]
      args: [--model, Qwen/Qwen3-0.6B, --disaggregation-mode, decode]
      envFrom: [{secretRef: {name: hf-token-secret}}]
      resources: {limits: {nvidia.com/gpu: "1"}, requests: {ephemeral-storage: 2Gi}}
`

const v1beta1DecodeWant = `
name: VllmDecodeWorker
type: decode
replicas: 1
podTemplate:
  metadata:
    labels: {team: ml}
  spec:
    nodeSelector: {pool: decode}
    tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
    imagePullSecrets: [{name: regcred}]
    serviceAccountName: inference
    volumes: [{name: model-cache, persistentVolumeClaim: {claimName: shared}}]
    containers:
    - name: sidecar
      image: busybox
    - name: main
      image: registry.internal.example/vllm-runtime:1.4.0
      command: [python3, -m, dynamo.vllm]
      args: [--model, Qwen/Qwen3-0.6B, --disaggregation-mode, decode]
      env:
      - {name: ROLE, value: decode}
      - {name: HF_HOME, value: /var/cache/huggingface}
      - {name: HF_ENDPOINT, value: "https://hf-mirror.internal.example"}
      envFrom:
      - {secretRef: {name: hf-token-secret}}
      - {configMapRef: {name: proxy, optional: false}}
      volumeMounts: [{name: model-cache, mountPath: /var/cache/huggingface}]
      resources:
        limits: {amd.com/gpu: "1", cpu: "8"}
        requests: {ephemeral-storage: 2Gi, cpu: "8"}
`

func TestApplyV1beta1PodTemplate(t *testing.T) {
	var comp, want map[string]any
	if err := yaml.Unmarshal([]byte(v1beta1Decode), &comp); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal([]byte(v1beta1DecodeWant), &want); err != nil {
		t.Fatal(err)
	}
	cfg := runtimes.DeploymentConfig{Name: "qwen", Mode: runtimes.ModeDisaggregated, Workload: &runtimes.Workload{
		Pod: runtimes.PodSettings{
			Tolerations: []runtimes.Toleration{{Key: "nvidia.com/gpu", Operator: "Exists", Effect: "NoSchedule"}},
			EnvFrom:     []runtimes.EnvFrom{{ConfigMap: "proxy"}}, ImagePullSecrets: []string{"regcred"},
			ServiceAccountName: "inference", Labels: map[string]string{"team": "ml"},
		},
		Roles: map[string]runtimes.PodSettings{
			runtimes.RoleWorker: {Image: "registry.internal.example/vllm-runtime:1.4.0", CPU: "8", GPUResourceName: "amd.com/gpu"},
			runtimes.RoleDecode: {Env: map[string]string{"ROLE": "decode"}, NodeSelector: map[string]string{"pool": "decode"}},
		},
		HFEndpoint: "https://hf-mirror.internal.example",
		ModelCache: &runtimes.ModelCache{ClaimName: "shared"},
	}}
	if err := ApplyV1beta1PodTemplate(comp["podTemplate"].(map[string]any), cfg, comp["type"].(string)); err != nil {
		t.Fatal(err)
	}
	// Compare through JSON-compatible values (YAML decodes numbers alike on both sides).
	got, _ := yaml.Marshal(comp)
	exp, _ := yaml.Marshal(want)
	if !reflect.DeepEqual(string(got), string(exp)) {
		t.Errorf("v1beta1 component:\n%s\nwant:\n%s", got, exp)
	}
}
