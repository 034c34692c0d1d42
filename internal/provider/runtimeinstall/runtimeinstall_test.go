package runtimeinstall_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/helminstall/helmtest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) { acctest.Main(m) }

var nsSeq atomic.Int64

// TestAccRuntimeInstall_AllSources installs every runtime from every chart source kind,
// with Helm's wait really waiting for the operator pod the test marks Ready.
func TestAccRuntimeInstall_AllSources(t *testing.T) {
	for _, id := range []string{"dynamo", "kuberay", "kaito", "gpu-operator"} {
		for _, kind := range []string{"repo", "oci", "path"} {
			t.Run(id+"/"+kind, func(t *testing.T) {
				c := testcluster.Get(t)
				src := newSources(t)
				ns := uniqueNS(t, "ri-"+id+"-"+kind)
				helmtest.StartKubelet(t, c.Clientset, ns)
				chart := src.publish(t, kind, runtimeCharts(t, id, "1.0.0", false))
				resource.Test(t, resource.TestCase{
					PreCheck:                 func() { acctest.PreCheck(t) },
					ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
					CheckDestroy:             checkDestroyed(t, id, ns),
					Steps: []resource.TestStep{{
						Config: config(t, id, ns, "1.0.0", chart, ""),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(resName, tfjsonpath.New("id"), knownvalue.StringExact(ns+"/"+id)),
							statecheck.ExpectKnownValue(resName, tfjsonpath.New("releases"), expectedReleases(t, id, ns, "1.0.0", 1)),
							statecheck.ExpectKnownValue(resName, tfjsonpath.New("crds"), stringList(expectedCRDs[id])),
							statecheck.ExpectKnownValue(resName, tfjsonpath.New("installed"), knownvalue.Bool(true)),
							statecheck.ExpectKnownValue(resName, tfjsonpath.New("operator_running"), knownvalue.Bool(true)),
							statecheck.ExpectKnownValue(resName, tfjsonpath.New("wait"), knownvalue.Bool(true)),
							statecheck.ExpectKnownValue(resName, tfjsonpath.New("atomic"), knownvalue.Bool(true)),
						},
						Check: func(*terraform.State) error {
							for _, name := range expectedCRDs[id] {
								if v := crdVersion(t, name); v != "1.0.0" {
									return fmt.Errorf("CRD %s: chart-version annotation %q, want 1.0.0", name, v)
								}
							}
							return nil
						},
					}},
				})
			})
		}
	}
}

// checkDestroyed verifies a destroy: releases and the created namespace are gone, the
// CRDs are kept.
func checkDestroyed(t *testing.T, id, ns string) resource.TestCheckFunc {
	return checkDestroyedNS(t, id, ns, false)
}

// checkDestroyedNS is checkDestroyed; keepNS says the namespace existed before (created
// by the user) and must survive.
func checkDestroyedNS(t *testing.T, id, ns string, keepNS bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c := testcluster.Get(t)
		ctx := context.Background()
		for _, name := range expectedCRDs[id] {
			if crdVersion(t, name) == "" {
				return fmt.Errorf("CRD %s was deleted on destroy", name)
			}
		}
		_, err := c.Clientset.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
		if gone := apierrors.IsNotFound(err); gone == keepNS {
			return fmt.Errorf("namespace %s: deleted %v after destroy, want %v (err %v)", ns, gone, !keepNS, err)
		}
		if keepNS {
			if err := c.Clientset.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{}); err != nil {
				return err
			}
		}
		secrets, err := c.Clientset.CoreV1().Secrets("default").List(ctx, metav1.ListOptions{LabelSelector: "owner=helm"})
		if err != nil {
			return err
		}
		if len(secrets.Items) > 0 {
			return fmt.Errorf("Helm releases left in namespace default: %d", len(secrets.Items))
		}
		return nil
	}
}
