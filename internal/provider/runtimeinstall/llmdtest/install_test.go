package llmdtest

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/helminstall"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/helminstall/helmtest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/llmd"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

const (
	install = "kubefoundry_runtime_install.llmd"
	model   = "kubefoundry_model_deployment.qwen"
	eppName = llmd.RouterRelease + "-epp"
)

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

var routerCRDs = []string{llmd.ModelRewriteCRD, llmd.ObjectiveCRD, gateway.PoolCRD} // sorted, as state lists them

// narrowed fronts only the Qwen3-0.6B model servers (the llm-d.ai/model label).
const narrowed = `values = "router:\n  modelServers:\n    matchLabels:\n      llm-d.ai/model: Qwen3-0.6B\n"`

func installBlock(ns, chartDir, extra string) string {
	return fmt.Sprintf(`
resource "kubefoundry_runtime_install" "llmd" {
  runtime   = "llmd"
  namespace = %q
  chart     = { path = %q }
  %s
  timeouts {
    create = "5m"
    update = "5m"
    delete = "5m"
  }
}
`, ns, chartDir, extra)
}

func modelBlock(ns string) string {
	return fmt.Sprintf(`
resource "kubefoundry_model_deployment" "qwen" {
  name       = "qwen"
  namespace  = %q
  runtime    = "llmd"
  model      = "Qwen/Qwen3-0.6B"
  depends_on = [kubefoundry_runtime_install.llmd]
}
`, ns)
}

func releases(ns string, revision int64) knownvalue.Check {
	return knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
		"name": knownvalue.StringExact(llmd.RouterRelease), "namespace": knownvalue.StringExact(ns),
		"chart": knownvalue.StringExact(llmd.RouterChart), "version": knownvalue.StringExact(llmd.RouterChartVersion),
		"revision": knownvalue.Int64Exact(revision), "status": knownvalue.StringExact("deployed"),
	})})
}

func stringList(names []string) knownvalue.Check {
	out := make([]knownvalue.Check, len(names))
	for i, n := range names {
		out[i] = knownvalue.StringExact(n)
	}
	return knownvalue.ListExact(out)
}

func helmConfig(t *testing.T, c *testcluster.Cluster, ns string) *action.Configuration {
	t.Helper()
	kc, err := kube.NewClient(c.RESTConfig)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := (&helminstall.Installer{Kube: kc}).ActionConfig(ns)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// routerSelector is the --endpoint-selector the live router picker runs with.
func routerSelector(c *testcluster.Cluster, ns string) (labels.Selector, error) {
	d, err := c.Clientset.AppsV1().Deployments(ns).Get(context.Background(), eppName, metav1.GetOptions{})
	if err != nil {
		return nil, err
	}
	for _, ctr := range d.Spec.Template.Spec.Containers {
		if i := slices.Index(ctr.Args, "--endpoint-selector"); ctr.Name == "epp" && i >= 0 && i+1 < len(ctr.Args) {
			return labels.Parse(ctr.Args[i+1])
		}
	}
	return nil, fmt.Errorf("router picker %s has no --endpoint-selector", eppName)
}

// checkRouter: the router release made no InferencePool, its picker pod runs (on a kwok node,
// through the scheduler), and its selector picks exactly the pods in wantPicked among the
// namespace's running pods.
func checkRouter(c *testcluster.Cluster, ns string, wantPicked func(corev1.Pod) bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		// A values change rolls the picker: the old pod may still run for a moment.
		var err error
		for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(time.Second) {
			if err = routerOnce(c, ns, wantPicked); err == nil {
				return nil
			}
		}
		return err
	}
}

func routerOnce(c *testcluster.Cluster, ns string, wantPicked func(corev1.Pod) bool) error {
	ctx := context.Background()
	pools, err := c.Dynamic.Resource(gateway.PoolGVR).Namespace(ns).List(ctx, metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=" + eppName})
	if err != nil {
		return err
	}
	if len(pools.Items) > 0 {
		return fmt.Errorf("the router release created InferencePool %s", pools.Items[0].GetName())
	}
	router, err := c.RunningPods(ctx, ns, "llm-d.ai/igw-mode=llm-d-router-standalone")
	if err != nil {
		return err
	}
	if len(router) != 1 || router[0].Spec.NodeName == "" {
		return fmt.Errorf("%d router pods running (want 1, bound to a node)", len(router))
	}
	sel, err := routerSelector(c, ns)
	if err != nil {
		return err
	}
	all, err := c.RunningPods(ctx, ns, "")
	if err != nil {
		return err
	}
	for _, p := range all {
		if got, want := sel.Matches(labels.Set(p.Labels)), wantPicked(p); got != want {
			return fmt.Errorf("router selector %s picks pod %s: %v, want %v", sel, p.Name, got, want)
		}
	}
	return nil
}

func isModelServer(name string) func(corev1.Pod) bool {
	return func(p corev1.Pod) bool {
		role := p.Labels[runtimes.LabelComponent]
		return p.Labels[runtimes.LabelInstance] == name && (role == llmd.RoleDecode || role == llmd.RolePrefill)
	}
}

// runtime_install "llmd" end to end: the router's CRDs are applied first (from the path
// source's crds/ folder), then the standalone router chart, whose picker pod the scheduler
// binds to a kwok node; an llm-d model deployment then applies against it and the router's
// narrowed selector picks exactly its model servers (not the deployment's own picker); a
// values change upgrades the release; values changed with helm outside Terraform are drift the
// next apply reverts; import reproduces the state; destroy (the model first) removes the
// release, the namespace the install created and, as asked, the CRDs.
func TestAccRuntimeInstallLLMD(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t, "kube-scheduler", "kwok")
	ns := fmt.Sprintf("ri-llmd-%d", time.Now().UnixNano()%100000)
	c.KwokGPUNodes(t, ns, 2, 1, nil)
	dir := t.TempDir()
	helmtest.LLMDRouterChart(t, llmd.RouterChart, dir)
	helmtest.LLMDRouterCRDs(t, filepath.Join(dir, "crds"))
	state := func(name string, v knownvalue.Check) statecheck.StateCheck { return acctest.Attr(install, name, v) }
	update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(install, plancheck.ResourceActionUpdate)}}
	withModel := acctest.Config(t, installBlock(ns, dir, narrowed), modelBlock(ns))
	final := acctest.Config(t, installBlock(ns, dir, narrowed+"\n  remove_crds_on_destroy = true"), modelBlock(ns))
	resource.Test(t, acctest.TestCase(t, destroyed(c, ns),
		resource.TestStep{ // install: CRDs first, then the router with the default selector
			Config: acctest.Config(t, installBlock(ns, dir, "")),
			ConfigStateChecks: []statecheck.StateCheck{
				state("id", knownvalue.StringExact(ns+"/llmd")),
				state("version", knownvalue.StringExact(llmd.RouterChartVersion)),
				state("releases", releases(ns, 1)),
				state("crds", stringList(routerCRDs)),
				state("installed", knownvalue.Bool(true)),
				state("operator_running", knownvalue.Bool(true)),
			},
			Check: func(s *terraform.State) error {
				sel, err := routerSelector(c, ns)
				if err != nil {
					return err
				}
				if want := llmd.LabelInferenceServing + "=true"; sel.String() != want {
					return fmt.Errorf("router selector %s, want %s", sel, want)
				}
				return checkRouter(c, ns, func(corev1.Pod) bool { return false })(s)
			},
		},
		resource.TestStep{ // values change + a model deployment against the installed CRDs
			Config:           withModel,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(install, plancheck.ResourceActionUpdate), plancheck.ExpectResourceAction(model, plancheck.ResourceActionCreate)}},
			ConfigStateChecks: []statecheck.StateCheck{
				state("releases", releases(ns, 2)),
				acctest.Attr(model, "phase", knownvalue.StringExact("Running")),
				acctest.Attr(model, "ready", knownvalue.Int64Exact(1)),
			},
			Check: checkRouter(c, ns, isModelServer("qwen")),
		},
		resource.TestStep{ // drift: the router's values reset with helm outside Terraform
			PreConfig: func() {
				ch, err := loader.Load(filepath.Join(dir, llmd.RouterChart+"-"+llmd.RouterChartVersion+".tgz"))
				if err != nil {
					t.Fatal(err)
				}
				up := action.NewUpgrade(helmConfig(t, c, ns))
				up.Namespace = ns
				if _, err := up.Run(llmd.RouterRelease, ch, map[string]any{"router": map[string]any{
					"inferencePool": map[string]any{"create": false},
					"modelServers":  map[string]any{"matchLabels": map[string]any{"app": "other"}},
				}}); err != nil {
					t.Fatalf("out-of-band helm upgrade: %v", err)
				}
			},
			Config:             withModel,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		},
		resource.TestStep{ // the apply reverts it
			Config:            withModel,
			ConfigPlanChecks:  update,
			ConfigStateChecks: []statecheck.StateCheck{state("releases", releases(ns, 4)), state("installed", knownvalue.Bool(true))},
			Check:             checkRouter(c, ns, isModelServer("qwen")),
		},
		resource.TestStep{ // import reproduces the state (values are read back as the release's
			// merged values, defaults included: the same values, written differently)
			Config:                  withModel,
			ResourceName:            install,
			ImportState:             true,
			ImportStateId:           ns + "/llmd",
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: []string{"timeouts", "values"},
		},
		resource.TestStep{ // asked to remove the CRDs on destroy: an update without Helm
			Config:            final,
			ConfigPlanChecks:  update,
			ConfigStateChecks: []statecheck.StateCheck{state("releases", releases(ns, 4)), state("remove_crds_on_destroy", knownvalue.Bool(true))},
		},
	))
}

// destroyed: nothing of the model deployment or the router is left in the namespace, which the
// install created and so deleted; no Helm release; the router's CRDs are gone.
func destroyed(c *testcluster.Cluster, ns string) func(*terraform.State) error {
	left := acctest.NothingLeft(c, []string{ns})
	return func(s *terraform.State) error {
		if err := left(s); err != nil {
			return err
		}
		ctx := context.Background()
		// A namespace and a CRD finish deleting asynchronously (their finalizers empty them first).
		return testcluster.Eventually(ctx, time.Minute, func() error {
			if _, err := c.Clientset.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
				return fmt.Errorf("namespace %s left after destroy (%v)", ns, err)
			}
			var crds []string
			for _, n := range routerCRDs {
				if _, err := c.Dynamic.Resource(crdGVR).Get(ctx, n, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
					crds = append(crds, n)
				}
			}
			if len(crds) > 0 {
				return fmt.Errorf("CRDs left after destroy: %s", strings.Join(crds, ", "))
			}
			return nil
		})
	}
}
