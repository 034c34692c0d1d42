package kuberay_test

import (
	"encoding/json"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kuberay"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

// Regression tests for the operator review (shared/reference/operator-behaviour.md D1, D5,
// D6, D7, D10, D12): what KubeRay and Ray Serve LLM really do with the rendered RayService.

func rayBase() rt.DeploymentConfig {
	return rt.DeploymentConfig{Name: "qwen-ray", Namespace: "kuberay-system", Model: "Qwen/Qwen3-0.6B"}
}

func TestD1SimpleConnectorRejectedAtPlan(t *testing.T) {
	checkInvalid(t, rayBase(), []invalid{
		{"SimpleConnector", func(c *rt.DeploymentConfig) {
			c.Mode = rt.ModeDisaggregated
			c.KubeRay = &rt.KubeRayConfig{KVConnector: "SimpleConnector"}
		}, "kuberay.kv_connector", `"SimpleConnector" was a vLLM V0 connector`},
	})
}

// D1: both halves use NixlConnector with kv_role kv_both, as Ray Serve LLM's P/D guide does.
func TestD1DisaggregatedUsesNixlKvBoth(t *testing.T) {
	cfg := defaulted(t, rt.DeploymentConfig{Name: "pd", Namespace: "ns", Model: "Qwen/Qwen3-0.6B", Mode: rt.ModeDisaggregated})
	serve := serveConfig(t, cfg)
	for _, half := range []string{"prefill_config", "decode_config"} {
		kv, _, _ := unstructured.NestedStringMap(serve, "applications", half, "engine_kwargs", "kv_transfer_config")
		if kv["kv_connector"] != "NixlConnector" || kv["kv_role"] != "kv_both" {
			t.Errorf("%s kv_transfer_config = %v, want NixlConnector / kv_both", half, kv)
		}
	}
}

// D5: ray-operator controllers/ray/utils/validation.go ValidateRayServiceMetadata (v1.6.2):
// at most MaxRayServiceNameLength = 47 characters and a DNS-1035 label.
func TestD5KubeRayNameLimitsAtPlan(t *testing.T) {
	ok := defaulted(t, rt.DeploymentConfig{Name: strings.Repeat("a", 47), Namespace: "ns", Model: "m/x"})
	if ps := kuberay.New().Validate(ok); len(ps) > 0 {
		t.Fatalf("a 47-character name must be accepted: %v", ps)
	}
	checkInvalid(t, rayBase(), []invalid{
		{"48 characters", func(c *rt.DeploymentConfig) { c.Name = strings.Repeat("a", 48) }, "name", "at most 47 fit here: KubeRay names the RayCluster"},
		{"leading digit", func(c *rt.DeploymentConfig) { c.Name = "7b-chat" }, "name", `"7b-chat" must start with a lower-case letter: KubeRay`},
	})
}

// D7: KubeRay's getResourcesMap (controllers/ray/common/pod.go, v1.6.2) trims "'\"` " and
// json.Unmarshals the rest into map[string]float64 before adding --num-gpus; the value we
// render must survive exactly that.
func TestD7RayStartResourcesParseAsKubeRayDoes(t *testing.T) {
	cfg := defaulted(t, rt.DeploymentConfig{Name: "pd", Namespace: "ns", Model: "Qwen/Qwen3-0.6B", Mode: rt.ModeDisaggregated})
	m, err := kuberay.New().Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	groups, _, _ := unstructured.NestedSlice(m.Primary.Object, "spec", "rayClusterConfig", "workerGroupSpecs")
	if len(groups) != 2 {
		t.Fatalf("want 2 worker groups, got %d", len(groups))
	}
	for i, want := range []string{"prefill_node", "decode_node"} {
		raw, _, _ := unstructured.NestedString(groups[i].(map[string]any), "rayStartParams", "resources")
		var parsed map[string]float64
		if err := json.Unmarshal([]byte(strings.Trim(raw, "'\"` ")), &parsed); err != nil {
			t.Fatalf("rayStartParams.resources %q does not parse as KubeRay parses it: %v", raw, err)
		}
		if parsed[want] != 1 || len(parsed) != 1 {
			t.Errorf("rayStartParams.resources %q parsed to %v, want {%s: 1}", raw, parsed, want)
		}
	}
}

// D12: the worker groups are a fixed pool (no in-tree autoscaling), so Serve's ceiling must
// fit in it, and the default ceiling is exactly what fits.
func TestD12ServeAutoscalingFitsWorkerPool(t *testing.T) {
	cfg := defaulted(t, rt.DeploymentConfig{Name: "q", Namespace: "ns", Model: "m/x", Replicas: rt.Int64(3), GPUs: rt.Int64(2),
		KubeRay: &rt.KubeRayConfig{TensorParallel: rt.Int64(2)}})
	if got := *cfg.KubeRay.MaxReplicas; got != 3 {
		t.Errorf("default max_replicas = %d, want 3 (6 GPUs / 2 per replica)", got)
	}
	checkInvalid(t, rayBase(), []invalid{
		{"ceiling above pool", func(c *rt.DeploymentConfig) { c.KubeRay = &rt.KubeRayConfig{MaxReplicas: rt.Int64(2)} }, "kuberay.max_replicas", "2 Serve replicas x 1 GPUs each exceed the GPU worker group (1 GPUs, fixed size): at most 1 fit"},
		{"floor above pool", func(c *rt.DeploymentConfig) { c.KubeRay = &rt.KubeRayConfig{MinReplicas: rt.Int64(2)} }, "kuberay.min_replicas", "never fit in the GPU worker group"},
		{"parallelism above pool", func(c *rt.DeploymentConfig) { c.KubeRay = &rt.KubeRayConfig{TensorParallel: rt.Int64(2)} }, "kuberay.tensor_parallel", "one Serve replica needs 2 GPUs"},
		{"decode pool", func(c *rt.DeploymentConfig) {
			c.Mode = rt.ModeDisaggregated
			c.Disaggregated = &rt.DisaggregatedConfig{PrefillReplicas: rt.Int64(2)}
			c.KubeRay = &rt.KubeRayConfig{MaxReplicas: rt.Int64(2)}
		}, "kuberay.max_replicas", "exceed the decode worker group"},
	})
	m, err := kuberay.New().Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	groups, _, _ := unstructured.NestedSlice(m.Primary.Object, "spec", "rayClusterConfig", "workerGroupSpecs")
	g := groups[0].(map[string]any)
	if g["replicas"] != int64(3) || g["minReplicas"] != int64(3) || g["maxReplicas"] != int64(3) {
		t.Errorf("worker group must be a fixed pool of 3: %v/%v/%v", g["minReplicas"], g["replicas"], g["maxReplicas"])
	}
}

// D6: an in-place serveConfigV2 update keeps Ready=True (serve endpoints > 0) while the
// applications redeploy (ray-operator rayservice_controller.go calculateConditions, v1.6.2):
// Running needs every application RUNNING.
func TestD6ServeUpdateRunningOnlyWhenAllApplicationsRunning(t *testing.T) {
	ready := runtimestest.Condition("Ready", "True", "NonZeroServeEndpoints", "ok", 2)
	for _, tc := range []struct {
		apps map[string]any
		want rt.Phase
	}{
		{map[string]any{"llm_app": map[string]any{"status": "DEPLOYING"}}, rt.PhaseDeploying},
		{map[string]any{"llm_app": map[string]any{"status": "RUNNING"}, "other": map[string]any{"status": "NOT_STARTED"}}, rt.PhaseDeploying},
		{map[string]any{}, rt.PhaseDeploying},
		{map[string]any{"llm_app": map[string]any{"status": "RUNNING"}}, rt.PhaseRunning},
	} {
		obj := primary(t)
		obj.SetGeneration(2)
		obj.Object["status"] = map[string]any{"observedGeneration": int64(2), "conditions": []any{ready},
			"activeServiceStatus": map[string]any{"applicationStatuses": tc.apps}}
		if got := kuberay.New().Status(obj, nil, nil); got.Phase != tc.want {
			t.Errorf("apps %v: phase %s (%s), want %s", tc.apps, got.Phase, got.Message, tc.want)
		}
	}
}

// KubeRay 1.6 marks a rejected RayService with Ready=False, reason ValidationFailed: Failed,
// with the operator's words.
func TestValidationFailedIsTerminal(t *testing.T) {
	obj := primary(t)
	obj.SetGeneration(1)
	obj.Object["status"] = map[string]any{"conditions": []any{runtimestest.Condition("Ready", "False", "ValidationFailed",
		"The RayService metadata is invalid: RayService name should be no more than 47 characters", 0)}}
	got := kuberay.New().Status(obj, nil, nil)
	if got.Phase != rt.PhaseFailed || !strings.Contains(got.Message, "no more than 47 characters") {
		t.Errorf("got %s %q, want Failed with KubeRay's message", got.Phase, got.Message)
	}
}

// D10: pods belong to the RayClusters named in the status, never to a name prefix.
func TestD10PodsByExactRayClusterName(t *testing.T) {
	obj := primary(t)
	obj.Object["status"] = map[string]any{
		"activeServiceStatus":  map[string]any{"rayClusterName": "qwen-ray-abcde"},
		"pendingServiceStatus": map[string]any{"rayClusterName": "qwen-ray-fghij"},
	}
	pod := func(cluster string) corev1.Pod {
		return corev1.Pod{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"ray.io/cluster": cluster}}}
	}
	r := kuberay.New()
	for cluster, want := range map[string]bool{"qwen-ray-abcde": true, "qwen-ray-fghij": true, "qwen-ray-pd-xyzab": false, "qwen-ray": false, "": false} {
		if got := r.OwnsPod(obj, pod(cluster)); got != want {
			t.Errorf("pod of cluster %q: owned = %v, want %v", cluster, got, want)
		}
	}
}

func defaulted(t *testing.T, cfg rt.DeploymentConfig) rt.DeploymentConfig {
	t.Helper()
	return runtimestest.Defaulted(t, kuberay.New(), runtimestest.Case{Name: "t", Config: cfg})
}

func primary(t *testing.T) *unstructured.Unstructured {
	t.Helper()
	m, err := kuberay.New().Manifests(defaulted(t, rayBase()))
	if err != nil {
		t.Fatal(err)
	}
	return m.Primary
}

func serveConfig(t *testing.T, cfg rt.DeploymentConfig) map[string]any {
	t.Helper()
	m, err := kuberay.New().Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	raw, _, _ := unstructured.NestedString(m.Primary.Object, "spec", "serveConfigV2")
	var out struct {
		Applications []map[string]any `json:"applications"`
	}
	if err := yaml.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatal(err)
	}
	return map[string]any{"applications": out.Applications[0]["args"]}
}
