package kuberay

import (
	"testing"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// engine_args must survive serveConfigV2 unchanged whatever they look like.
func TestEngineArgsRoundTripThroughServeConfig(t *testing.T) {
	args := map[string]string{
		"a_bool": "true", "b_int": "8192", "c_float": "0.5", "d_exp": "1e3", "e_yes": "yes", "f_null": "null",
		"g_big": "9007199254740993", "h_nan": "NaN", "i_text": "fp8", "j_padded": " 8", "k_json": `{"x": 1}`, "l_neg": "-1",
		"m_float_zero": "1.0", "n_empty": "",
	}
	cfg := rt.DeploymentConfig{Name: "x", Namespace: "ns", Model: "org/model", EngineArgs: args}
	New().Defaults(&cfg)
	m, err := New().Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := New().Parse(m.Primary)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range args {
		if parsed.EngineArgs[k] != v {
			t.Errorf("engine_args[%q]: got %q back, want %q", k, parsed.EngineArgs[k], v)
		}
	}
}
