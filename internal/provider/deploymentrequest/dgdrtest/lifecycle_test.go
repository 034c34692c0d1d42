package dgdrtest

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo/dgdr"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

const addr = "kubefoundry_deployment_request.r"

var dcdGVR = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1beta1", Resource: "dynamocomponentdeployments"}

// Labels the 1.4 operator puts on component pods (internal/consts/consts.go @ 1.4.0).
const (
	dgdLabel       = "nvidia.com/dynamo-graph-deployment-name"
	componentLabel = "nvidia.com/dynamo-component-type"
)

func requestConfig(t *testing.T, ns, name, extra string) string {
	return acctest.Config(t, fmt.Sprintf(`resource "kubefoundry_deployment_request" "r" {
  name      = %q
  namespace = %q
  model     = "Qwen/Qwen3-0.6B"
  backend   = "vllm"
  workload = { isl = 2000, osl = 200, request_rate = 5 }
  sla      = { ttft_ms = 500, itl_ms = 20 }
%s
}
`, name, ns, extra))
}

// graphExists reports whether the generated graph is there, and that it carries the labels
// by which destroy finds it.
func graphExists(c *testcluster.Cluster, ns, request string) (bool, error) {
	g, err := c.Dynamic.Resource(dgdr.GraphGVR).Namespace(ns).Get(context.Background(), dgdr.DefaultGraphName(request), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if l := g.GetLabels(); l[dgdr.LabelName] != request || l[dgdr.LabelNamespace] != ns {
		return true, fmt.Errorf("graph %s lacks the request's labels: %v", g.GetName(), l)
	}
	if len(g.GetOwnerReferences()) != 0 {
		return true, fmt.Errorf("graph %s has owners %v; the 1.4 operator sets none", g.GetName(), g.GetOwnerReferences())
	}
	return true, nil
}

// The whole path with the real operator and a stand-in for the profiler only: apply with
// auto_apply = false ends at Ready with the graph generated from the profiler's output but
// not created, and the hardware the operator discovered from the kwok node's GPU Feature
// Discovery labels written back (the GPU budget given stays); turning auto_apply on deploys
// it in place (the webhook allows exactly this change in Ready) and apply returns once the
// operator reports Deployed with the worker pod running on a GPU. Import reads it all back.
// Deleting the graph out of band makes the operator fail the request, and the next apply
// replaces it and deploys again. Destroy deletes the request and the graph the operator does
// not own: nothing is left.
func TestAccRealDynamoDeploymentRequestStandInProfilerReviewThenDeploy(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t, testcluster.OperatorDynamo.LogName(), "kwok")
	ns := c.ShortNamespace(t, "dr")
	nodes := c.KwokGPUNodes(t, ns, 1, 8, map[string]string{"pool": ns})
	const name = "qwen"
	graph, err := profilerGraph("Qwen/Qwen3-0.6B", 1)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	var profiled <-chan error
	startProfiler := func() { profiled = standInProfiler(ctx, c, ns, name, graph) }
	profilerDone := func(*terraform.State) error {
		select {
		case err := <-profiled:
			return err
		case <-time.After(10 * time.Second):
			return fmt.Errorf("the stand-in profiler did not finish")
		}
	}
	workerRunning := func(*terraform.State) error {
		pods, err := c.RunningPods(context.Background(), ns, dgdLabel+"="+dgdr.DefaultGraphName(name)+","+componentLabel+"=worker")
		if err != nil {
			return err
		}
		if len(pods) != 1 || testcluster.GPULimit(&pods[0]) != 1 || pods[0].Spec.NodeName != nodes[0] {
			return fmt.Errorf("want one running worker pod with 1 GPU on %s, got %d pods", nodes[0], len(pods))
		}
		return nil
	}
	deployed := []statecheck.StateCheck{
		acctest.Attr(addr, "phase", knownvalue.StringExact(dgdr.PhaseDeployed)),
		acctest.Attr(addr, "graph_name", knownvalue.StringExact(dgdr.DefaultGraphName(name))),
		acctest.Attr(addr, "available_replicas", knownvalue.Int64Exact(2)), // frontend + worker
	}

	resource.Test(t, acctest.TestCase(t, func(s *terraform.State) error {
		if err := acctest.NothingLeft(c, []string{ns}, dgdr.GraphGVR, dcdGVR, dgdr.GVR)(s); err != nil {
			return err
		}
		if ok, err := graphExists(c, ns, name); ok || err != nil {
			return fmt.Errorf("the generated graph is left after destroy (%v)", err)
		}
		return nil
	},
		resource.TestStep{
			PreConfig: startProfiler,
			Config:    requestConfig(t, ns, name, "  auto_apply = false\n  hardware = { total_gpus = 4 }\n"),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.Attr(addr, "id", knownvalue.StringExact(ns+"/"+name)),
				acctest.Attr(addr, "phase", knownvalue.StringExact(dgdr.PhaseReady)),
				acctest.Attr(addr, "graph_name", knownvalue.StringExact(dgdr.DefaultGraphName(name))),
				acctest.Attr(addr, "profiling_job_name", knownvalue.StringExact(dgdr.ProfilingJobName(name))),
				acctest.Attr(addr, "image", knownvalue.StringExact("nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.4.0")), // the defaulting webhook
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("hardware"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"gpu_sku": knownvalue.StringExact("a100_sxm"), "gpus_per_node": knownvalue.Int64Exact(8),
					"vram_mib": knownvalue.Float64Exact(81920), "total_gpus": knownvalue.Int64Exact(4),
				})),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("graph"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"backend_framework": knownvalue.StringExact("vllm"), "gpus": knownvalue.Int64Exact(1),
				})),
				acctest.Attr(addr, "replicas", knownvalue.Null()),
			},
			Check: resource.ComposeAggregateTestCheckFunc(profilerDone,
				resource.TestMatchResourceAttr(addr, "graph_yaml", regexp.MustCompile(`(?s)kind: DynamoGraphDeployment.*name: `+dgdr.DefaultGraphName(name))),
				func(*terraform.State) error {
					if ok, err := graphExists(c, ns, name); ok || err != nil {
						return fmt.Errorf("auto_apply = false, yet the graph exists (%v)", err)
					}
					return nil
				}),
		},
		resource.TestStep{
			Config:            requestConfig(t, ns, name, "  auto_apply = true\n  hardware = { total_gpus = 4 }\n"),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
			ConfigStateChecks: deployed,
			Check: resource.ComposeAggregateTestCheckFunc(workerRunning, func(*terraform.State) error {
				_, err := graphExists(c, ns, name)
				return err
			}),
		},
		resource.TestStep{
			ResourceName: addr, ImportState: true, ImportStateId: ns + "/" + name, ImportStateVerify: true,
			ImportStateVerifyIdentifierAttribute: "id",
			ImportStateVerifyIgnore:              []string{"timeouts", "available_replicas", "replicas"},
		},
		resource.TestStep{
			// Drift: the graph deleted behind Terraform's back. The operator fails the request
			// (handleDGDDeleted) and never recreates it, so the plan replaces the request.
			PreConfig: func() {
				bg := metav1.DeletePropagationForeground
				if err := c.Dynamic.Resource(dgdr.GraphGVR).Namespace(ns).Delete(context.Background(), dgdr.DefaultGraphName(name),
					metav1.DeleteOptions{PropagationPolicy: &bg}); err != nil {
					t.Fatal(err)
				}
				if _, err := c.WaitFor(context.Background(), dgdr.GVR, ns, name, 2*time.Minute, func(o *unstructured.Unstructured) bool {
					p, _, _ := unstructured.NestedString(o.Object, "status", "phase")
					return p == dgdr.PhaseFailed
				}); err != nil {
					t.Fatal(err)
				}
				startProfiler()
			},
			Config:            requestConfig(t, ns, name, "  auto_apply = true\n  hardware = { total_gpus = 4 }\n"),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)}},
			ConfigStateChecks: deployed,
			Check:             resource.ComposeAggregateTestCheckFunc(profilerDone, workerRunning),
		},
	))
}

// How far the real operator gets without GPUs and without a stand-in: it validates the
// request, discovers the GPUs, creates the profiling Job (which kwok completes without
// running the profiler) and then waits for output that never comes. Apply ends at the
// create timeout with the phase it stopped in and where to look; the request is in state
// (tainted) and destroy removes it with its Job.
func TestAccRealDynamoDeploymentRequestProfilingNeverEndsWithoutAProfiler(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t, testcluster.OperatorDynamo.LogName())
	ns := c.ShortNamespace(t, "dp")
	c.KwokGPUNodes(t, ns, 1, 8, map[string]string{"pool": ns})
	resource.Test(t, acctest.TestCase(t, acctest.NothingLeft(c, []string{ns}, dgdr.GraphGVR, dgdr.GVR),
		resource.TestStep{
			Config:      requestConfig(t, ns, "stuck", "  timeouts { create = \"40s\" }\n"),
			ExpectError: regexp.MustCompile(`(?s)timed out after .* waiting for .*stuck to be\s+Deployed.*Profiling/Initializing.*profile-stuck`),
		},
	))
	if jobs, err := c.Clientset.BatchV1().Jobs(ns).List(context.Background(), metav1.ListOptions{}); err != nil || len(jobs.Items) != 0 {
		t.Errorf("profiling Jobs left after destroy: %v %v", jobs, err)
	}
}

// The operator's own validation (validateSpec @ 1.4.0: the model cache PVC must exist) fails
// the request; apply reports the operator's message instead of waiting out the timeout.
func TestAccRealDynamoDeploymentRequestOperatorRefusesMissingModelCache(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t, testcluster.OperatorDynamo.LogName())
	ns := c.ShortNamespace(t, "dv")
	c.KwokGPUNodes(t, ns, 1, 8, map[string]string{"pool": ns})
	resource.Test(t, acctest.TestCase(t, acctest.NothingLeft(c, []string{ns}, dgdr.GVR),
		resource.TestStep{
			Config:      requestConfig(t, ns, "nocache", "  model_cache = { pvc_name = \"absent\" }\n"),
			ExpectError: regexp.MustCompile(`(?s)Failed.*model cache PVC absent not found`),
		},
	))
}

// With keep_graph_on_destroy the graph outlives the request, as the operator intends, and
// destroy says so; without a stand-in profiler there would be no graph, so one plays it.
func TestAccRealDynamoDeploymentRequestStandInProfilerKeepGraph(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t, testcluster.OperatorDynamo.LogName())
	ns := c.ShortNamespace(t, "dk")
	c.KwokGPUNodes(t, ns, 1, 8, map[string]string{"pool": ns})
	const name = "kept"
	graph, err := profilerGraph("Qwen/Qwen3-0.6B", 1)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	t.Cleanup(func() {
		_ = c.Dynamic.Resource(dgdr.GraphGVR).Namespace(ns).Delete(context.Background(), dgdr.DefaultGraphName(name), metav1.DeleteOptions{})
	})
	resource.Test(t, acctest.TestCase(t, func(*terraform.State) error {
		if _, err := c.Dynamic.Resource(dgdr.GVR).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			return fmt.Errorf("the request is left after destroy (%v)", err)
		}
		if ok, err := graphExists(c, ns, name); !ok || err != nil {
			return fmt.Errorf("keep_graph_on_destroy: the graph should remain (exists %v, %v)", ok, err)
		}
		return nil
	},
		resource.TestStep{
			PreConfig:         func() { standInProfiler(ctx, c, ns, name, graph) },
			Config:            requestConfig(t, ns, name, "  keep_graph_on_destroy = true\n"),
			ConfigStateChecks: []statecheck.StateCheck{acctest.Attr(addr, "phase", knownvalue.StringExact(dgdr.PhaseDeployed))},
		},
	))
}
