package dynamo_test

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo"
)

// upstreamAgg is the shape of ai-dynamo/dynamo examples/backends/vllm/deploy/agg.yaml
// (landscape notes §2): module in the command, no backendFramework, upstream names.
const upstreamAgg = `
apiVersion: nvidia.com/v1beta1
kind: DynamoGraphDeployment
metadata: {name: vllm-agg, namespace: models}
spec:
  components:
  - name: Frontend
    type: frontend
    replicas: 1
    podTemplate:
      spec:
        containers:
        - name: main
          image: nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0
          envFrom: [{secretRef: {name: hf-token-secret}}]
  - name: VllmDecodeWorker
    type: worker
    replicas: 1
    podTemplate:
      spec:
        containers:
        - name: main
          image: nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0
          workingDir: /workspace/examples/backends/vllm
          command: [python3, -m, dynamo.vllm]
          args: [--model, Qwen/Qwen3-0.6B]
          envFrom: [{secretRef: {name: hf-token-secret}}]
          resources:
            limits: {nvidia.com/gpu: "1"}
            requests: {ephemeral-storage: 2Gi}
`

// Import of a DGD written by hand from upstream's example: it reads as an aggregated vLLM
// deployment (components found by type, module taken from the command).
func TestParseUpstreamV1Beta1Example(t *testing.T) {
	var obj unstructured.Unstructured
	if err := yaml.Unmarshal([]byte(upstreamAgg), &obj.Object); err != nil {
		t.Fatal(err)
	}
	cfg, err := dynamo.New().Parse(&obj)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Engine != rt.EngineVLLM || cfg.Mode != rt.ModeAggregated || cfg.Model != "Qwen/Qwen3-0.6B" ||
		rt.Deref(cfg.Replicas) != 1 || rt.Deref(cfg.GPUs) != 1 || cfg.HFTokenSecret != "hf-token-secret" ||
		cfg.Dynamo == nil || cfg.Dynamo.APIVersion != dynamo.APIVersionV1Beta1 {
		t.Errorf("parsed %+v", cfg)
	}
}
