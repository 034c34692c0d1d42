package kserve_test

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kserve"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

func TestValidate(t *testing.T) {
	base := func() rt.DeploymentConfig {
		return rt.DeploymentConfig{Runtime: kserve.ID, Name: "qwen", Namespace: "default", Model: "Qwen/Qwen3-0.6B"}
	}
	gw := &rt.Gateway{ParentRefs: []rt.GatewayParent{{Name: "gw"}}}
	cases := []struct {
		name string
		edit func(*rt.DeploymentConfig)
		path string
		msg  string
	}{
		{"sglang", func(c *rt.DeploymentConfig) { c.Engine = rt.EngineSGLang }, "engine", "does not support engine \"sglang\""},
		{"router-mode", func(c *rt.DeploymentConfig) { c.RouterMode = rt.RouterKV }, "router_mode", "kserve.scheduler"},
		{"no-gpus", func(c *rt.DeploymentConfig) { c.GPUs = rt.Int64(0) }, "gpus", "at least 1"},
		{"tp-mismatch", func(c *rt.DeploymentConfig) {
			c.GPUs = rt.Int64(4)
			c.KServe = &rt.KServeConfig{TensorParallel: rt.Int64(2)}
		}, "kserve.tensor_parallel", "= 2 GPUs per pod, but gpus is 4"},
		// KServe's webhook: "dataLocal must be set when data is set".
		{"data-without-local", func(c *rt.DeploymentConfig) { c.KServe = &rt.KServeConfig{DataParallel: rt.Int64(4)} }, "kserve.data_parallel", "set together"},
		// KServe's webhook: "cannot set both pipeline parallelism and data parallelism".
		{"pipeline-and-data", func(c *rt.DeploymentConfig) {
			c.KServe = &rt.KServeConfig{DataParallel: rt.Int64(2), DataLocalParallel: rt.Int64(1), PipelineParallel: rt.Int64(2)}
		}, "kserve.pipeline_parallel", "cannot combine pipeline and data"},
		{"data-not-multiple", func(c *rt.DeploymentConfig) {
			c.GPUs = rt.Int64(4)
			c.KServe = &rt.KServeConfig{DataParallel: rt.Int64(6), DataLocalParallel: rt.Int64(4)}
		}, "kserve.data_parallel", "must be a multiple of data_local_parallel"},
		{"long-name", func(c *rt.DeploymentConfig) { c.Name = "q" + strings.Repeat("a", 63) }, "name", "valid name"},
		{"long-multinode-name", func(c *rt.DeploymentConfig) {
			c.Name = strings.Repeat("a", 41)
			c.GPUs = rt.Int64(2)
			c.KServe = &rt.KServeConfig{DataParallel: rt.Int64(4), DataLocalParallel: rt.Int64(2)}
		}, "name", "at most 40 fit here"},
		{"pd-without-scheduler", func(c *rt.DeploymentConfig) { c.Mode = rt.ModeDisaggregated }, "kserve.scheduler", "needs the llm-d scheduler"},
		{"pd-with-replicas", func(c *rt.DeploymentConfig) {
			c.Mode, c.Replicas, c.KServe = rt.ModeDisaggregated, rt.Int64(2), &rt.KServeConfig{Scheduler: rt.Bool(true)}
		}, "replicas", "not used in disaggregated mode"},
		{"gateway-hostnames", func(c *rt.DeploymentConfig) {
			g := *gw
			g.Hostnames = []string{"models.example.com"}
			c.Gateway = &g
		}, "gateway.hostnames", "kserve-config-llm-router-route"},
		{"gateway-no-pool-with-scheduler", func(c *rt.DeploymentConfig) {
			g := *gw
			g.InferencePool = rt.Bool(false)
			c.Gateway, c.KServe = &g, &rt.KServeConfig{Scheduler: rt.Bool(true)}
		}, "kserve.scheduler", "always targets its InferencePool"},
		{"managed-flag", func(c *rt.DeploymentConfig) { c.EngineArgs = map[string]string{"tensor-parallel-size": "2"} }, "engine_args", "set kserve.tensor_parallel instead"},
		{"api-version", func(c *rt.DeploymentConfig) { c.KServe = &rt.KServeConfig{APIVersion: "v1beta1"} }, "kserve.api_version", "v1alpha2"},
		{"vllm-block", func(c *rt.DeploymentConfig) { c.VLLM = &rt.VLLMConfig{} }, "vllm", "only applies to runtime \"vllm\""},
		{"head-role", func(c *rt.DeploymentConfig) {
			c.Workload = &rt.Workload{Roles: map[string]rt.PodSettings{rt.RoleHead: {CPU: "2"}}}
		}, "roles.head", "has no head pods"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base()
			tc.edit(&cfg)
			runtimestest.WantProblem(t, kserve.New(), cfg, tc.path, tc.msg)
		})
	}
}

// TestDefaults: tensor parallelism spans the GPUs of a pod (divided by data_local ranks),
// and the scheduler follows the gateway's inference pool.
func TestDefaults(t *testing.T) {
	cfg := rt.DeploymentConfig{Runtime: kserve.ID, Name: "dp", Namespace: "default", Model: "m/m", GPUs: rt.Int64(8),
		KServe:  &rt.KServeConfig{DataParallel: rt.Int64(16), DataLocalParallel: rt.Int64(4)},
		Gateway: &rt.Gateway{ParentRefs: []rt.GatewayParent{{Name: "gw"}}}}
	kserve.New().Defaults(&cfg)
	if *cfg.KServe.TensorParallel != 2 || !*cfg.KServe.Scheduler {
		t.Errorf("tensor_parallel = %d (want 2), scheduler = %v (want true)", *cfg.KServe.TensorParallel, *cfg.KServe.Scheduler)
	}
	if ps := kserve.New().Validate(cfg); len(ps) > 0 {
		t.Fatal(ps.Error())
	}
	m, err := kserve.New().Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Primary.Object["spec"].(map[string]any)["worker"]; !ok {
		t.Error("16 ranks of 4 per pod must render spec.worker (a LeaderWorkerSet of 4 pods)")
	}
	if _, ok := kserve.New().ForConfig(rt.DeploymentConfig{KServe: &rt.KServeConfig{APIVersion: "v1alpha1"}}).(kserve.V1Alpha1); !ok {
		t.Error("api_version v1alpha1 must pick the v1alpha1 renderer")
	}
}

// TestReplaceReasons: KServe's webhook keeps the parallelism size immutable
// (validateImmutableParallelism); tensor parallelism alone may change in place.
func TestReplaceReasons(t *testing.T) {
	render := func(k *rt.KServeConfig, gpus int64) *unstructured.Unstructured {
		cfg := rt.DeploymentConfig{Runtime: kserve.ID, Name: "q", Namespace: "default", Model: "m/m", GPUs: rt.Int64(gpus), KServe: k}
		kserve.New().Defaults(&cfg)
		m, err := kserve.New().Manifests(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return m.Primary
	}
	one := render(&rt.KServeConfig{}, 1)
	if got := kserve.New().ReplaceReasons(one, render(&rt.KServeConfig{}, 2)); len(got) != 0 {
		t.Errorf("tensor 1 -> 2 replaces: %v", got)
	}
	if got := kserve.New().ReplaceReasons(one, render(&rt.KServeConfig{PipelineParallel: rt.Int64(2)}, 2)); len(got) != 1 || !strings.Contains(got[0], "from 1 to 2") {
		t.Errorf("pipeline 1 -> 2: %v", got)
	}
}
