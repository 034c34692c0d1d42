package runtimeinstall_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/helminstall"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/helminstall/helmtest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// runtime = "lws": the LeaderWorkerSet CRD of sigs.k8s.io/lws v0.9.0 is applied first, then
// the chart (named "lws" as upstream publishes it) whose controller pod carries the labels the
// installation check selects; Helm's wait waits for it; destroy keeps the CRD. (The real
// chart's rendering is TestLWSChartInstallsThePinnedController in internal/helminstall.)
func TestAccRuntimeInstall_LWS(t *testing.T) {
	c := testcluster.Get(t)
	dir, err := testcluster.LWSDir(true)
	if err != nil {
		t.Fatal(err)
	}
	const crd = "leaderworkersets.leaderworkerset.x-k8s.io"
	raw, err := os.ReadFile(filepath.Join(dir, "crds", "leaderworkerset.x-k8s.io_leaderworkersets.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	rt, ok := helminstall.Lookup(helminstall.LWSID)
	if !ok {
		t.Fatal("lws is not installable")
	}
	podLabels, err := labels.ConvertSelectorToLabelsMap(rt.Spec.OperatorSelectors[0])
	if err != nil {
		t.Fatal(err)
	}
	src := newSources(t)
	ns := uniqueNS(t, "ri-lws")
	helmtest.StartKubelet(t, c.Clientset, ns)
	chart := src.publish(t, "path", []helmtest.Chart{{Name: helminstall.ChartName(rt.Spec.Charts[0]), Version: "0.9.0",
		PodLabels: podLabels, CRDs: map[string][]byte{crd + ".yaml": raw}}})
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if crdPresent(t, crd) {
				return nil
			}
			return fmt.Errorf("CRD %s was deleted on destroy", crd)
		},
		Steps: []resource.TestStep{{
			Config: config(t, "lws", ns, "0.9.0", chart, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resName, tfjsonpath.New("id"), knownvalue.StringExact(ns+"/lws")),
				statecheck.ExpectKnownValue(resName, tfjsonpath.New("releases"), expectedReleases(t, "lws", ns, "0.9.0", 1)),
				statecheck.ExpectKnownValue(resName, tfjsonpath.New("crds"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(crd)})),
				statecheck.ExpectKnownValue(resName, tfjsonpath.New("installed"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(resName, tfjsonpath.New("operator_running"), knownvalue.Bool(true)),
			},
		}},
	})
}

func crdPresent(t *testing.T, name string) bool {
	_, err := testcluster.Get(t).Dynamic.Resource(crdGVR).Get(context.Background(), name, metav1.GetOptions{})
	return err == nil
}
