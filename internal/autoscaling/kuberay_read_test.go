package autoscaling_test

import (
	"reflect"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/autoscaling"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kuberay"
)

// Import: what KubeRay renders for `autoscaling` reads back from the RayService alone
// (Ray autoscaler bounds per worker group, Serve's target_ongoing_requests); a RayService
// without the Ray autoscaler reads nil.
func TestReadKubeRay_RoundTrip(t *testing.T) {
	target := 3.0
	disagg := func() runtimes.DeploymentConfig {
		c := base("kuberay")
		c.Mode = runtimes.ModeDisaggregated
		c.Disaggregated = &runtimes.DisaggregatedConfig{PrefillReplicas: runtimes.Int64(1), DecodeReplicas: runtimes.Int64(1)}
		return c
	}
	for _, c := range []struct {
		name string
		cfg  runtimes.DeploymentConfig
		want *autoscaling.Spec
	}{
		{"off", base("kuberay"), nil},
		{"aggregated", base("kuberay"), &autoscaling.Spec{Worker: &autoscaling.Role{MinReplicas: 1, MaxReplicas: 3, TargetOngoingRequests: &target}}},
		{"aggregated without a target", base("kuberay"), &autoscaling.Spec{Worker: &autoscaling.Role{MinReplicas: 1, MaxReplicas: 2}}},
		{"prefill only", disagg(), &autoscaling.Spec{Prefill: &autoscaling.Role{MinReplicas: 1, MaxReplicas: 2}}},
		{"both roles", disagg(), &autoscaling.Spec{Prefill: &autoscaling.Role{MinReplicas: 1, MaxReplicas: 2},
			Decode: &autoscaling.Role{MinReplicas: 1, MaxReplicas: 3, TargetOngoingRequests: &target}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := c.cfg
			cfg.Autoscaling = c.want
			m, _ := render(t, kuberay.New(), cfg)
			// As read from the API server: numbers through JSON.
			var live unstructured.Unstructured
			b, _ := yaml.Marshal(m.Primary.Object)
			if err := yaml.Unmarshal(b, &live.Object); err != nil {
				t.Fatal(err)
			}
			got, err := autoscaling.ReadKubeRay(&live)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("read back %s, want %s", dumpSpec(got), dumpSpec(c.want))
			}
		})
	}
}

func dumpSpec(s *autoscaling.Spec) string {
	b, _ := yaml.Marshal(s)
	return string(b)
}
