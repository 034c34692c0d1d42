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
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/release"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/helminstall/helmtest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// TestAccRuntimeInstall_Recovery covers releases left behind by earlier runs: one stuck
// in pending-install (a crashed client), one failed by a non-atomic upgrade, and a failed
// atomic upgrade that must roll back.
func TestAccRuntimeInstall_Recovery(t *testing.T) {
	c := testcluster.Get(t)
	src := newSources(t)
	ns := uniqueNS(t, "ri-recovery")
	const id, rel = "gpu-operator", "gpu-operator"
	helmtest.StartKubelet(t, c.Clientset, ns)
	chart := src.publish(t, "oci", runtimeCharts(t, id, "1.0.0", false))
	src.publish(t, "oci", runtimeCharts(t, id, "2.0.0", true))
	src.publish(t, "oci", runtimeCharts(t, id, "2.0.1", false))
	src.publish(t, "oci", runtimeCharts(t, id, "3.0.0", true))
	tgz := helmtest.Package(t, runtimeCharts(t, id, "1.0.0", false)[0], t.TempDir())
	state := func(attr string, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(resName, tfjsonpath.New(attr), v)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		// The user created the namespace (stuckInstall), so destroy keeps it.
		CheckDestroy: checkDestroyedNS(t, id, ns, true),
		Steps: []resource.TestStep{
			{ // A client crashed mid-install and left the release pending-install.
				PreConfig: func() { stuckInstall(t, ns, rel, tgz) },
				Config:    config(t, id, ns, "1.0.0", chart, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					state("releases", expectedReleases(t, id, ns, "1.0.0", 2)),
					state("operator_running", knownvalue.Bool(true)),
				},
			},
			{ // A broken chart without atomic leaves a failed release and a clear error.
				Config:      config(t, id, ns, "2.0.0", chart, "atomic = false"),
				ExpectError: errorText("Installing NVIDIA GPU Operator failed", "release gpu-operator (chart gpu-operator 2.0.0)", "Not_A_Valid_Name"),
			},
			{ // The next apply upgrades over the failed release.
				PreConfig: func() { expectStatus(t, ns, rel, 3, release.StatusFailed) },
				Config:    config(t, id, ns, "2.0.1", chart, "atomic = false"),
				ConfigStateChecks: []statecheck.StateCheck{
					state("releases", expectedReleases(t, id, ns, "2.0.1", 4)),
					state("installed", knownvalue.Bool(true)),
				},
			},
			{ // A broken chart with atomic rolls back to the working release.
				Config:      config(t, id, ns, "3.0.0", chart, ""),
				ExpectError: errorText("Installing NVIDIA GPU Operator failed", "release gpu-operator (chart gpu-operator 3.0.0)", "has been rolled back due to atomic being set", "Not_A_Valid_Name"),
			},
			{ // Back on the good version: the rollback left 2.0.1 deployed (revision 6).
				PreConfig: func() { expectStatus(t, ns, rel, 6, release.StatusDeployed) },
				Config:    config(t, id, ns, "2.0.1", chart, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					state("releases", expectedReleases(t, id, ns, "2.0.1", 6)),
				},
			},
		},
	})
}

// stuckInstall installs a release and rewrites it as pending-install, as a client killed
// during `helm install` leaves it.
func stuckInstall(t *testing.T, ns, name, tgz string) {
	t.Helper()
	c := testcluster.Get(t)
	if _, err := c.Clientset.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	ch, err := loader.Load(tgz)
	if err != nil {
		t.Fatal(err)
	}
	cfg := helm(t, ns)
	in := action.NewInstall(cfg)
	in.ReleaseName, in.Namespace, in.SkipCRDs = name, ns, true
	rel, err := in.Run(ch, nil)
	if err != nil {
		t.Fatal(err)
	}
	rel.SetStatus(release.StatusPendingInstall, "killed")
	if err := cfg.Releases.Update(rel); err != nil {
		t.Fatal(err)
	}
}

func expectStatus(t *testing.T, ns, name string, revision int, status release.Status) {
	t.Helper()
	rel := lastRelease(t, ns, name)
	if rel.Version != revision || rel.Info.Status != status {
		t.Fatalf("release %s: revision %d %s, want revision %d %s", name, rel.Version, rel.Info.Status, revision, status)
	}
}

// TestAccRuntimeInstall_AtomicInstall: a broken chart fails with a clear error and leaves
// no release and no operator behind; fixing the version then installs normally.
func TestAccRuntimeInstall_AtomicInstall(t *testing.T) {
	c := testcluster.Get(t)
	src := newSources(t)
	ns := uniqueNS(t, "ri-atomic")
	const id = "kaito"
	helmtest.StartKubelet(t, c.Clientset, ns)
	src.publish(t, "path", runtimeCharts(t, id, "0.9.0", true))
	src.publish(t, "path", runtimeCharts(t, id, "1.0.0", false))
	// The single-chart path source points at one .tgz; use the directory form instead.
	dirChart := fmt.Sprintf("chart = { path = %q }", src.localDir)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		// A user workload is left in the namespace, so destroy keeps the namespace.
		CheckDestroy: checkDestroyedNS(t, id, ns, true),
		Steps: []resource.TestStep{
			{
				Config:      config(t, id, ns, "0.9.0", dirChart, ""),
				ExpectError: errorText("Installing KAITO failed", "release kaito-workspace (chart workspace 0.9.0)", "has been uninstalled due to atomic being set", "Not_A_Valid_Name"),
			},
			{
				PreConfig: func() { expectNothingLeft(t, ns) },
				Config:    config(t, id, ns, "1.0.0", dirChart, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("releases"), expectedReleases(t, id, ns, "1.0.0", 1)),
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("operator_running"), knownvalue.Bool(true)),
				},
				Check: func(*terraform.State) error { return createUserDeployment(t, ns) },
			},
		},
	})
}

// createUserDeployment adds a Deployment no release owns, as a user's model server.
func createUserDeployment(t *testing.T, ns string) error {
	labels := map[string]string{"app": "my-model"}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "my-model", Namespace: ns},
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "server", Image: "example.invalid/server:1"}}},
			},
		},
	}
	_, err := testcluster.Get(t).Clientset.AppsV1().Deployments(ns).Create(context.Background(), d, metav1.CreateOptions{})
	return err
}

func expectNothingLeft(t *testing.T, ns string) {
	t.Helper()
	c := testcluster.Get(t)
	ctx := context.Background()
	secrets, err := c.Clientset.CoreV1().Secrets(ns).List(ctx, metav1.ListOptions{LabelSelector: "owner=helm"})
	if err != nil {
		t.Fatal(err)
	}
	deps, err := c.Clientset.AppsV1().Deployments(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(secrets.Items) != 0 || len(deps.Items) != 0 {
		t.Fatalf("atomic install left %d release records and %d Deployments in %s", len(secrets.Items), len(deps.Items), ns)
	}
}

// errorText matches the phrases in order, whatever line wrapping terraform applied.
func errorText(phrases ...string) *regexp.Regexp {
	quoted := make([]string, len(phrases))
	for i, p := range phrases {
		quoted[i] = strings.Join(strings.Fields(regexp.QuoteMeta(p)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}

// TestAccRuntimeInstall_RemoveCRDs: with remove_crds_on_destroy the CRDs go too.
func TestAccRuntimeInstall_RemoveCRDs(t *testing.T) {
	c := testcluster.Get(t)
	src := newSources(t)
	ns := uniqueNS(t, "ri-remove-crds")
	const id = "gpu-operator"
	helmtest.StartKubelet(t, c.Clientset, ns)
	chart := src.publish(t, "path", runtimeCharts(t, id, "1.0.0", false))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			ctx := context.Background()
			return wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
				return crdVersion(t, "clusterpolicies.nvidia.com") == "", nil
			})
		},
		Steps: []resource.TestStep{{
			Config: config(t, id, ns, "1.0.0", chart, "remove_crds_on_destroy = true"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resName, tfjsonpath.New("crds"), stringList(expectedCRDs[id])),
			},
		}},
	})
}
