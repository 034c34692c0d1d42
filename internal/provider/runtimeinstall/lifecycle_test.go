package runtimeinstall_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/release"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/helminstall"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/helminstall/helmtest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// helm returns an action configuration for out-of-band changes, as a user running the
// helm CLI would make them.
func helm(t *testing.T, ns string) *action.Configuration {
	t.Helper()
	kc, err := kube.NewClient(testcluster.Get(t).RESTConfig)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := (&helminstall.Installer{Kube: kc}).ActionConfig(ns)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func lastRelease(t *testing.T, ns, name string) *release.Release {
	t.Helper()
	rel, err := helm(t, ns).Releases.Last(name)
	if err != nil {
		t.Fatalf("release %s/%s: %v", ns, name, err)
	}
	return rel
}

// outOfBandUpgrade upgrades a release with the helm SDK, outside Terraform.
func outOfBandUpgrade(t *testing.T, ns, name, tgz string, vals map[string]any) {
	t.Helper()
	ch, err := loader.Load(tgz)
	if err != nil {
		t.Fatal(err)
	}
	up := action.NewUpgrade(helm(t, ns))
	up.Namespace = ns
	up.SkipCRDs = true
	if _, err := up.Run(name, ch, vals); err != nil {
		t.Fatalf("out-of-band upgrade: %v", err)
	}
}

func TestAccRuntimeInstall_Lifecycle(t *testing.T) {
	c := testcluster.Get(t)
	src := newSources(t)
	ns := uniqueNS(t, "ri-lifecycle")
	const id, rel = "kuberay", "kuberay-operator"
	chart := src.publish(t, "repo", runtimeCharts(t, id, "1.0.0", false))
	src.publish(t, "repo", runtimeCharts(t, id, "1.1.0", false))
	tgz10 := src.repo.Dir + "/kuberay-operator-1.0.0.tgz"
	tgz11 := src.repo.Dir + "/kuberay-operator-1.1.0.tgz"
	state := func(attr string, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(resName, tfjsonpath.New(attr), v)
	}
	update := []plancheck.PlanCheck{plancheck.ExpectResourceAction(resName, plancheck.ResourceActionUpdate)}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(t, id, ns),
		Steps: []resource.TestStep{
			{ // No kubelet yet and no wait: installed, but the operator is not running.
				Config: config(t, id, ns, "1.0.0", chart, "wait = false\n  atomic = false"),
				ConfigStateChecks: []statecheck.StateCheck{
					state("installed", knownvalue.Bool(true)),
					state("operator_running", knownvalue.Bool(false)),
					state("message", knownvalue.StringRegexp(regexp.MustCompile(`operator is not running`))),
				},
			},
			{ // The "kubelet" starts the pod; a refresh sees the operator running.
				PreConfig: func() { helmtest.StartKubelet(t, c.Clientset, ns) },
				Config:    config(t, id, ns, "1.0.0", chart, "wait = false\n  atomic = false"),
				ConfigStateChecks: []statecheck.StateCheck{
					state("operator_running", knownvalue.Bool(true)),
					state("message", knownvalue.StringExact("Ray Serve via KubeRay is installed and running")),
				},
			},
			{ // Upgrade to a new chart version: the CRDs are upgraded too.
				Config:           config(t, id, ns, "1.1.0", chart, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: update},
				ConfigStateChecks: []statecheck.StateCheck{
					state("releases", expectedReleases(t, id, ns, "1.1.0", 2)),
					state("installed", knownvalue.Bool(true)),
				},
				Check: func(*terraform.State) error {
					if v := crdVersion(t, "rayservices.ray.io"); v != "1.1.0" {
						return fmt.Errorf("CRD not upgraded: chart-version %q", v)
					}
					return nil
				},
			},
			{ // Values changed with helm outside Terraform: the plan shows it and apply reverts.
				PreConfig:        func() { outOfBandUpgrade(t, ns, rel, tgz11, map[string]any{"replicas": 2}) },
				Config:           config(t, id, ns, "1.1.0", chart, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: update},
				ConfigStateChecks: []statecheck.StateCheck{
					state("releases", expectedReleases(t, id, ns, "1.1.0", 4)),
					state("values", knownvalue.Null()),
				},
				Check: func(*terraform.State) error {
					if cfg := lastRelease(t, ns, rel).Config; len(cfg) != 0 {
						return fmt.Errorf("values not reverted: %v", cfg)
					}
					return nil
				},
			},
			{ // Chart version changed outside Terraform.
				PreConfig:        func() { outOfBandUpgrade(t, ns, rel, tgz10, nil) },
				Config:           config(t, id, ns, "1.1.0", chart, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: update},
				ConfigStateChecks: []statecheck.StateCheck{
					state("releases", expectedReleases(t, id, ns, "1.1.0", 6)),
				},
			},
			{ // User values are deep-merged and passed to Helm.
				Config:           config(t, id, ns, "1.1.0", chart, "values = \"replicas: 1\\nextra: {enabled: true}\\n\""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: update},
				ConfigStateChecks: []statecheck.StateCheck{
					state("releases", expectedReleases(t, id, ns, "1.1.0", 7)),
				},
				Check: func(*terraform.State) error {
					cfg := lastRelease(t, ns, rel).Config
					if extra, _ := cfg["extra"].(map[string]any); extra["enabled"] != true || cfg["replicas"] != float64(1) {
						return fmt.Errorf("release values %v", cfg)
					}
					return nil
				},
			},
			{ // The release deleted outside Terraform: planned for creation.
				PreConfig: func() {
					if _, err := action.NewUninstall(helm(t, ns)).Run(rel); err != nil {
						t.Fatal(err)
					}
				},
				Config:           config(t, id, ns, "1.1.0", chart, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resName, plancheck.ResourceActionCreate)}},
				ConfigStateChecks: []statecheck.StateCheck{
					state("releases", expectedReleases(t, id, ns, "1.1.0", 1)),
				},
			},
			{ // Only a setting changes: an update that runs no Helm action.
				Config:           config(t, id, ns, "1.1.0", chart, "atomic = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: update},
				ConfigStateChecks: []statecheck.StateCheck{
					state("releases", expectedReleases(t, id, ns, "1.1.0", 1)),
					state("atomic", knownvalue.Bool(false)),
				},
			},
			{ // A CRD deleted outside Terraform: the plan reapplies it.
				PreConfig: func() { deleteCRD(t, "rayservices.ray.io") },
				Config:    config(t, id, ns, "1.1.0", chart, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resName, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(resName, tfjsonpath.New("installed"), knownvalue.Bool(true)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					state("releases", expectedReleases(t, id, ns, "1.1.0", 2)),
					state("crds", stringList([]string{"rayservices.ray.io"})),
					state("installed", knownvalue.Bool(true)),
				},
			},
			{ // Import by namespace/runtime reproduces the state.
				Config:                  config(t, id, ns, "1.1.0", chart, ""),
				ResourceName:            resName,
				ImportState:             true,
				ImportStateId:           ns + "/" + id,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{ // An import block plans as a no-op: nothing is lost on import. (timeouts are
				// configuration only, so a config with them would plan an update.)
				Config:          withoutTimeouts(config(t, id, ns, "1.1.0", chart, "")),
				ResourceName:    resName,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   ns + "/" + id,
			},
		},
	})
}

func deleteCRD(t *testing.T, name string) {
	t.Helper()
	c := testcluster.Get(t)
	ctx := context.Background()
	if err := c.Dynamic.Resource(crdGVR).Delete(ctx, name, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	err := wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
		_, err := c.Dynamic.Resource(crdGVR).Get(ctx, name, metav1.GetOptions{})
		return apierrors.IsNotFound(err), nil
	})
	if err != nil {
		t.Fatalf("CRD %s not deleted: %v", name, err)
	}
}

func withoutTimeouts(cfg string) string {
	i := strings.Index(cfg, "  timeouts {")
	j := strings.Index(cfg[i:], "  }\n")
	return cfg[:i] + cfg[i+j+4:]
}
