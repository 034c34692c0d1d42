package dynamo_test

import (
	"testing"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/runtimestest"
)

func TestManifests(t *testing.T) {
	runtimestest.CheckManifests(t, dynamo.New())
}

// Each API version has its own Runtime (CRD, renderer); ForConfig picks it, and either one
// renders a config of the other version rather than mislabel it.
func TestAPIVersionSelection(t *testing.T) {
	for _, v := range []string{dynamo.APIVersionV1Beta1, dynamo.APIVersionV1Alpha1} {
		cfg := rt.DeploymentConfig{Name: "q", Namespace: "m", Model: "Qwen/Qwen3-0.6B", Dynamo: &rt.DynamoConfig{APIVersion: v}}
		r := dynamo.New()
		r.Defaults(&cfg)
		if got := rt.ForConfig(r, cfg).CRD().Version; got != v {
			t.Errorf("ForConfig(%s).CRD().Version = %s", v, got)
		}
		for _, each := range rt.Versions(r) {
			m, err := each.Manifests(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Primary.GetAPIVersion(); got != "nvidia.com/"+v {
				t.Errorf("%T rendered %s for api_version %s", each, got, v)
			}
		}
	}
	cfg := rt.DeploymentConfig{Name: "q", Namespace: "m", Model: "Qwen/Qwen3-0.6B"}
	dynamo.New().Defaults(&cfg)
	if cfg.Dynamo == nil || cfg.Dynamo.APIVersion != dynamo.APIVersionV1Beta1 {
		t.Errorf("default api_version = %+v, want v1beta1", cfg.Dynamo)
	}
}
