package runtimes_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/registry"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

func TestWorkloadForLayersRoles(t *testing.T) {
	w := &rt.Workload{
		Pod: rt.PodSettings{Image: "a", Env: map[string]string{"A": "1", "B": "1"}, NodeSelector: map[string]string{"pool": "gpu"},
			Tolerations: []rt.Toleration{{Key: "nvidia.com/gpu", Operator: "Exists"}}, ImagePullSecrets: []string{"regcred"}},
		Roles: map[string]rt.PodSettings{
			rt.RoleWorker:   {Image: "w", Env: map[string]string{"B": "2"}},
			rt.RolePrefill:  {Env: map[string]string{"C": "3"}, NodeSelector: map[string]string{"pool": "prefill"}},
			rt.RoleFrontend: {NodeSelector: map[string]string{}, Tolerations: []rt.Toleration{}},
		},
	}
	prefill := w.For(rt.RolePrefill)
	if prefill.Image != "w" || !reflect.DeepEqual(prefill.Env, map[string]string{"A": "1", "B": "2", "C": "3"}) ||
		!reflect.DeepEqual(prefill.NodeSelector, map[string]string{"pool": "prefill"}) || len(prefill.Tolerations) != 1 {
		t.Errorf("prefill = %+v: want worker over pod, prefill over worker; env merged, node_selector replaced", prefill)
	}
	if decode := w.For(rt.RoleDecode); decode.Image != "w" || decode.NodeSelector["pool"] != "gpu" {
		t.Errorf("decode = %+v: want the worker role's image and the pod's selector", decode)
	}
	fe := w.For(rt.RoleFrontend)
	if fe.Image != "a" || len(fe.NodeSelector) != 0 || len(fe.Tolerations) != 0 || !slices.Equal(fe.ImagePullSecrets, []string{"regcred"}) {
		t.Errorf("frontend = %+v: want an empty selector and no tolerations, the pod's image and pull secrets", fe)
	}
	if w.Pod.Env["B"] != "1" {
		t.Error("For mutated the pod settings")
	}
}

func TestGPULimitFindsRenamedGPU(t *testing.T) {
	for limits, want := range map[*map[string]string]string{
		{"cpu": "1", "nvidia.com/gpu": "2"}:              "2",
		{"memory": "1Gi", "nvidia.com/mig-3g.20gb": "1"}: "1",
		{"amd.com/gpu": "4", "rdma/hca": "1"}:            "4",
	} {
		if got, ok := rt.GPULimit(*limits); !ok || got != want {
			t.Errorf("GPULimit(%v) = %q, %v; want %q", *limits, got, ok, want)
		}
	}
	if _, ok := rt.GPULimit(map[string]string{"cpu": "1", "rdma/hca": "1"}); ok {
		t.Error("an extra resource is not a GPU")
	}
}

func TestOverridesMergePatch(t *testing.T) {
	r, _ := registry.Get("kuberay")
	cfg := runtimestest.Defaulted(t, r, runtimestest.Cases("kuberay")[0])
	cfg.Workload = &rt.Workload{Overrides: `
spec:
  rayClusterConfig:
    enableInTreeAutoscaling: true
    headGroupSpec:
      rayStartParams: null
  serveConfigV2: "applications: []"
`}
	m, err := r.Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	spec := m.Primary.Object["spec"].(map[string]any)
	rc := spec["rayClusterConfig"].(map[string]any)
	if rc["enableInTreeAutoscaling"] != true {
		t.Error("an unmodelled field was not added")
	}
	if _, ok := rc["headGroupSpec"].(map[string]any)["rayStartParams"]; ok {
		t.Error("null did not delete the key")
	}
	if _, ok := rc["headGroupSpec"].(map[string]any)["template"]; !ok {
		t.Error("merge patch dropped a sibling key")
	}
	got := rt.OverriddenFields(r, cfg)
	want := []string{"spec.rayClusterConfig.headGroupSpec.rayStartParams", "spec.serveConfigV2"}
	if !slices.Equal(got, want) {
		t.Errorf("OverriddenFields = %v, want %v (enableInTreeAutoscaling is not ours)", got, want)
	}
}

func TestWorkloadProblemsNameTheAttribute(t *testing.T) {
	type c struct {
		runtime, path, msg string
		w                  rt.Workload
	}
	cases := []c{
		{"kuberay", "pod.image", "kuberay.image", rt.Workload{Pod: rt.PodSettings{Image: "x:1"}}},
		{"kaito", "pod.image", "kaito.image_ref", rt.Workload{Pod: rt.PodSettings{Image: "x:1"}}},
		{"kuberay", "roles.frontend", "no frontend pods", rt.Workload{Roles: map[string]rt.PodSettings{rt.RoleFrontend: {}}}},
		{"dynamo", "roles.prefill", "disaggregated", rt.Workload{Roles: map[string]rt.PodSettings{rt.RolePrefill: {}}}},
		{"dynamo/v1alpha1", "pod.resources.gpu_resource_name", "nvidia.com/gpu", rt.Workload{Pod: rt.PodSettings{GPUResourceName: "amd.com/gpu"}}},
		{"kuberay", "pod.resources.gpu_resource_name", "not a GPU", rt.Workload{Pod: rt.PodSettings{GPUResourceName: "example.com/fpga"}}},
		{"dynamo", `pod.env["HF_TOKEN"]`, "hf_token_secret", rt.Workload{Pod: rt.PodSettings{Env: map[string]string{"HF_TOKEN": "x"}}}},
		{"dynamo", `pod.env["HF_ENDPOINT"]`, "huggingface_endpoint", rt.Workload{Pod: rt.PodSettings{Env: map[string]string{"HF_ENDPOINT": "x"}}}},
		{"dynamo", "pod.tolerations", "Exists", rt.Workload{Pod: rt.PodSettings{Tolerations: []rt.Toleration{{Key: "a", Operator: "Exists", Value: "b"}}}}},
		{"dynamo", "pod.env_from", "exactly one", rt.Workload{Pod: rt.PodSettings{EnvFrom: []rt.EnvFrom{{}}}}},
		{"dynamo", `labels["app.kubernetes.io/instance"]`, "set by the provider", rt.Workload{Labels: map[string]string{rt.LabelInstance: "x"}}},
		{"dynamo", `pod.resources.extra["nvidia.com/gpu"]`, "gpus", rt.Workload{Pod: rt.PodSettings{ExtraResources: map[string]string{"nvidia.com/gpu": "1"}}}},
		{"dynamo", "model_cache.size", "must be set", rt.Workload{ModelCache: &rt.ModelCache{}}},
		{"dynamo", "model_cache.delete_claim_on_destroy", "never deletes", rt.Workload{ModelCache: &rt.ModelCache{ClaimName: "c", DeleteClaimOnDestroy: true}}},
		{"kaito", "model_cache", "vllm", rt.Workload{ModelCache: &rt.ModelCache{Size: "1Gi"}}},
		{"dynamo", "huggingface_endpoint", "http(s) URL", rt.Workload{HFEndpoint: "mirror.local"}},
		{"dynamo", "overrides", "metadata.name", rt.Workload{Overrides: `{"metadata":{"name":"other"}}`}},
		{"dynamo", "overrides", "YAML or JSON object", rt.Workload{Overrides: `[1, 2]`}},
	}
	for _, tc := range cases {
		id, apiVersion, _ := strings.Cut(tc.runtime, "/")
		r, _ := registry.Get(id)
		base := runtimestest.Cases(id)[0]
		if apiVersion != "" { // Dynamo's previous API: only v1alpha1 fixes the GPU resource name
			base.Config.Dynamo = &rt.DynamoConfig{APIVersion: apiVersion}
		}
		cfg := runtimestest.Defaulted(t, r, base)
		w := tc.w
		cfg.Workload = &w
		ps := r.Validate(cfg)
		if !slices.ContainsFunc(ps, func(p rt.Problem) bool { return p.Where() == tc.path && strings.Contains(p.Message, tc.msg) }) {
			t.Errorf("%s %s: want a problem at %s containing %q, got:\n%v", tc.runtime, tc.path, tc.path, tc.msg, ps.Error())
		}
		if _, err := r.Manifests(cfg); err == nil {
			t.Errorf("%s %s: Manifests accepted an invalid config", tc.runtime, tc.path)
		}
	}
}

// TestNoWorkloadNoChange: an empty workload (only the public Hub as endpoint) renders the
// same bytes as none at all, for every case of every runtime.
func TestNoWorkloadNoChange(t *testing.T) {
	for _, r := range registry.All() {
		for _, c := range runtimestest.Cases(r.ID()) {
			cfg := runtimestest.Defaulted(t, r, c)
			if cfg.Workload != nil {
				continue
			}
			plain, err := r.Manifests(cfg)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Workload = &rt.Workload{HFEndpoint: "https://huggingface.co/"}
			empty, err := r.Manifests(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if a, b := string(runtimestest.RenderYAML(t, plain.All())), string(runtimestest.RenderYAML(t, empty.All())); a != b {
				t.Errorf("%s: an empty workload changed the manifests:\n%s\n---- vs\n%s", c.Name, a, b)
			}
		}
	}
}

// TestKubeRayEnvFromIsNotTheHFToken: a user's env_from Secret on a deployment without a
// token must not be read back as hf_token_secret (the user's entries carry optional: false).
func TestKubeRayEnvFromIsNotTheHFToken(t *testing.T) {
	r, _ := registry.Get("kuberay")
	cfg := runtimestest.Defaulted(t, r, runtimestest.Cases("kuberay")[0])
	cfg.HFTokenSecret = ""
	cfg.Workload = &rt.Workload{Pod: rt.PodSettings{EnvFrom: []rt.EnvFrom{{Secret: "s3-credentials"}}}}
	m, err := r.Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := r.Parse(m.Primary)
	if err != nil {
		t.Fatal(err)
	}
	if parsed.HFTokenSecret != "" {
		t.Errorf("hf_token_secret read back as %q from the user's env_from", parsed.HFTokenSecret)
	}
}

// Lists of named objects (Dynamo v1beta1 components, KubeRay worker groups) merge by name:
// an override of one component keeps the others, adds a new element, and $delete removes one.
func TestOverridesMergeNamedLists(t *testing.T) {
	r, _ := registry.Get("dynamo")
	cfg := runtimestest.Defaulted(t, r, runtimestest.Cases("dynamo")[0])
	cfg.Workload = &rt.Workload{Overrides: `
spec:
  components:
  - name: VllmWorker
    sharedMemorySize: 16Gi
    replicas: 3
  - name: Planner
    type: planner
  - name: Frontend
    $delete: true
`}
	m, err := r.Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	comps := m.Primary.Object["spec"].(map[string]any)["components"].([]any)
	byName := map[string]map[string]any{}
	for _, c := range comps {
		byName[c.(map[string]any)["name"].(string)] = c.(map[string]any)
	}
	w := byName["VllmWorker"]
	if w == nil || w["sharedMemorySize"] != "16Gi" || w["podTemplate"] == nil {
		t.Fatalf("the worker was not patched in place (podTemplate kept): %v", w)
	}
	if byName["Planner"] == nil || byName["Frontend"] != nil || len(comps) != 2 {
		t.Errorf("want VllmWorker patched, Planner added, Frontend deleted; got %v", comps)
	}
	got := rt.OverriddenFields(r, cfg)
	want := []string{"spec.components[name=Frontend]", "spec.components[name=VllmWorker].replicas"}
	if !slices.Equal(got, want) {
		t.Errorf("OverriddenFields = %v, want %v", got, want)
	}
}
