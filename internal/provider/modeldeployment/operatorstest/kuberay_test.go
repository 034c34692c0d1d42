package operatorstest

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
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// rayCluster returns the RayCluster KubeRay made for the RayService (pending until the
// service is ready, active afterwards), waiting for it to be named in the status.
func rayCluster(c *testcluster.Cluster, ns, svc string, timeout time.Duration) (*unstructured.Unstructured, error) {
	deadline := time.Now().Add(timeout)
	for {
		rs, err := c.Dynamic.Resource(rayServiceGVR).Namespace(ns).Get(context.Background(), svc, metav1.GetOptions{})
		if err == nil {
			for _, side := range []string{"pendingServiceStatus", "activeServiceStatus"} {
				if name, _, _ := unstructured.NestedString(rs.Object, "status", side, "rayClusterName"); name != "" {
					return rs, nil
				}
			}
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("RayService %s/%s names no RayCluster after %s (%v)", ns, svc, timeout, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func clusterName(rs *unstructured.Unstructured) string {
	for _, side := range []string{"pendingServiceStatus", "activeServiceStatus"} {
		if name, _, _ := unstructured.NestedString(rs.Object, "status", side, "rayClusterName"); name != "" {
			return name
		}
	}
	return ""
}

func readyCondition(o *unstructured.Unstructured) (status, reason string) {
	conds, _, _ := unstructured.NestedSlice(o.Object, "status", "conditions")
	for _, c := range conds {
		if m, _ := c.(map[string]any); m["type"] == "Ready" {
			return fmt.Sprint(m["status"]), fmt.Sprint(m["reason"])
		}
	}
	return "", ""
}

// rayWorkerGroups maps each rendered worker group to its rayStartParams.resources and
// container image.
func rayWorkerGroups(s *terraform.State, addr string) (map[string][2]string, error) {
	m, err := acctest.StateManifest(s, addr)
	if err != nil {
		return nil, err
	}
	groups, _, _ := unstructured.NestedSlice(m, "spec", "rayClusterConfig", "workerGroupSpecs")
	out := map[string][2]string{}
	for _, g := range groups {
		gm, _ := g.(map[string]any)
		res, _, _ := unstructured.NestedString(gm, "rayStartParams", "resources")
		ctrs, _, _ := unstructured.NestedSlice(gm, "template", "spec", "containers")
		var image string
		if len(ctrs) > 0 {
			image = fmt.Sprint(ctrs[0].(map[string]any)["image"])
		}
		out[fmt.Sprint(gm["groupName"])] = [2]string{res, image}
	}
	return out, nil
}

// checkRayWorkers checks the worker pods of one RayService's cluster (Running or, when the
// scheduler cannot place them, Pending): per group the GPUs, the image, and the ray start
// command KubeRay builds from our rayStartParams.
func checkRayWorkers(c *testcluster.Cluster, s *terraform.State, addr, ns, svc string, gpusByGroup map[string]int64) (map[string]string, error) {
	podByGroup := map[string]string{}
	rs, err := rayCluster(c, ns, svc, 90*time.Second)
	if err != nil {
		return nil, err
	}
	cluster := clusterName(rs)
	groups, err := rayWorkerGroups(s, addr)
	if err != nil {
		return nil, err
	}
	if len(groups) != len(gpusByGroup) {
		return nil, fmt.Errorf("%s renders worker groups %v, want %v", svc, groups, gpusByGroup)
	}
	for group, gpus := range gpusByGroup {
		var pods *corev1.PodList
		for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(500 * time.Millisecond) {
			pods, err = c.Clientset.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{
				LabelSelector: "ray.io/cluster=" + cluster + ",ray.io/node-type=worker,ray.io/group=" + group})
			if err == nil && len(pods.Items) == 1 || time.Now().After(deadline) {
				break
			}
		}
		if err != nil || len(pods.Items) != 1 {
			return nil, fmt.Errorf("%s: worker pods of group %s in cluster %s: %v (%v)", svc, group, cluster, pods, err)
		}
		p := &pods.Items[0]
		podByGroup[group] = p.Name
		ctr, err := testcluster.Container(p, "ray-worker")
		if err != nil {
			return nil, err
		}
		if g := testcluster.GPULimit(p); g != gpus {
			return nil, fmt.Errorf("%s worker %s: nvidia.com/gpu limit %d, want %d", svc, p.Name, g, gpus)
		}
		if ctr.Image != groups[group][1] {
			return nil, fmt.Errorf("%s worker %s: image %q, rendered %q", svc, p.Name, ctr.Image, groups[group][1])
		}
		start := strings.Join(append(append([]string{}, ctr.Command...), ctr.Args...), " ")
		if !strings.Contains(start, "ray start") || !strings.Contains(start, fmt.Sprintf("--num-gpus=%d", gpus)) {
			return nil, fmt.Errorf("%s worker %s: ray start command %q lacks --num-gpus=%d", svc, p.Name, start, gpus)
		}
		// D7: KubeRay parses rayStartParams.resources (getResourcesMap: trim quotes,
		// json.Unmarshal) and writes it back single-quoted into "ray start"; a value it could
		// not parse would have been dropped along with the GPU injection above.
		if res := groups[group][0]; res != "" && !strings.Contains(start, "--resources="+res) {
			return nil, fmt.Errorf("D7: %s worker %s: ray start command %q lacks --resources=%s", svc, p.Name, start, res)
		}
	}
	return podByGroup, nil
}

// KubeRay 1.6.2: two deployments "x" and "x-pd" in one namespace. KubeRay names their
// RayClusters "<name>-<suffix>", so a name-prefix match would give x the pods of x-pd (D10).
// x-pd's decode worker asks for 2 GPUs on 1-GPU nodes and stays Pending with the scheduler's
// "Insufficient nvidia.com/gpu", a state that ends a wait at once; x's wait must not see it.
//
// Not reachable here: a RayService Ready. kwok runs no container, so no Ray dashboard answers
// and KubeRay keeps Ready False with its own reason (Initializing, apis/ray/v1/
// rayservice_types.go v1.6.2). So: x's create times out naming that reason; with
// wait_for_ready = false both are Deploying with the operator's words; the pods carry what we
// rendered (GPUs, image, D7 rayStartParams in ray start, D1 NixlConnector accepted by the
// operator's validation).
func TestAccRealKubeRayDeployingWithOperatorReasonAndOwnPods(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	ns := c.Namespace(t)
	gpuNodes(t, c, ns, 3, 1)
	const X, PD = "kubefoundry_model_deployment.x", "kubefoundry_model_deployment.pd"
	small := `kuberay = {
  head_cpu      = "1"
  head_memory   = "2Gi"
  worker_cpu    = "2"
  worker_memory = "8Gi"
}`
	x := func(wait string) string {
		return acctest.Deployment("x", fmt.Sprintf(`name = "x"
namespace = %q
runtime = "kuberay"
model = "Qwen/Qwen3-0.6B"
%s
%s
depends_on = [kubefoundry_model_deployment.pd]`, ns, small, wait))
	}
	pd := acctest.Deployment("pd", fmt.Sprintf(`name = "x-pd"
namespace = %q
runtime = "kuberay"
model = "Qwen/Qwen3-0.6B"
mode = "disaggregated"
disaggregated = {
  prefill_gpus = 1
  decode_gpus  = 2
}
wait_for_ready = false
gpu_fit_check = "off"
%s`, ns, small))
	noWait := "wait_for_ready = false"
	started := time.Now()
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns),
		resource.TestStep{
			Config: acctest.Config(t, pd, x("timeouts {\n  create = \"30s\"\n}")),
			// Our timeout, with the operator's reason; not the scheduler message of x-pd's pod.
			ExpectError: regexp.MustCompile(`(?s)timed\s+out\s+waiting\s+for\s+\S+/x\s+to\s+be\s+Running;\s+last\s+phase\s+Deploying:\s+Initializing:\s+RayService\s+is\s+initializing`),
		},
		resource.TestStep{
			// x is tainted by the failed create and is replaced, now without waiting.
			Config: acctest.Config(t, pd, x(noWait)),
			Check: func(s *terraform.State) error {
				if time.Since(started) < 30*time.Second {
					return fmt.Errorf("x failed after %s, before its 30s create timeout", time.Since(started))
				}
				if _, err := checkRayWorkers(c, s, X, ns, "x", map[string]int64{"gpu-group": 1}); err != nil {
					return err
				}
				groups, err := rayWorkerGroups(s, PD)
				if err != nil {
					return err
				}
				want, decode := map[string]int64{}, ""
				for g, v := range groups {
					if v[0] == "" {
						return fmt.Errorf("D7: x-pd worker group %s renders no rayStartParams.resources to steer its deployment", g)
					}
					want[g] = map[bool]int64{true: 1, false: 2}[strings.Contains(g, "prefill")]
					if !strings.Contains(g, "prefill") {
						decode = g
					}
				}
				pods, err := checkRayWorkers(c, s, PD, ns, "x-pd", want)
				if err != nil {
					return err
				}
				rs, err := c.Dynamic.Resource(rayServiceGVR).Namespace(ns).Get(context.Background(), "x-pd", metav1.GetOptions{})
				if err != nil {
					return err
				}
				// D1: NixlConnector (both halves kv_both), as vLLM >= 0.11 needs, and the operator
				// accepted the spec (it made the cluster above; no InvalidRayServiceSpec event).
				serve, _, _ := unstructured.NestedString(rs.Object, "spec", "serveConfigV2")
				if !strings.Contains(serve, "NixlConnector") || strings.Contains(serve, "SimpleConnector") || !strings.Contains(serve, "kv_both") {
					return fmt.Errorf("D1: serveConfigV2 of x-pd: %s", serve)
				}
				evs, err := c.Events(context.Background(), ns, "RayService", "x-pd")
				if err != nil {
					return err
				}
				for _, e := range evs {
					if strings.HasPrefix(e.Reason, "Invalid") {
						return fmt.Errorf("KubeRay rejected x-pd: %s %s", e.Reason, e.Message)
					}
				}
				_, err = c.WaitForEvent(context.Background(), ns, "Pod", pods[decode], "FailedScheduling", "Insufficient nvidia.com/gpu", 60*time.Second)
				return err
			},
		},
		resource.TestStep{
			// A refresh: what we report is what KubeRay reports, each from its own pods.
			Config:           acctest.Config(t, pd, x(noWait)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.Attr(X, "phase", knownvalue.StringExact("Deploying")),
				acctest.Attr(X, "desired", knownvalue.Int64Exact(1)),
				acctest.Attr(PD, "phase", knownvalue.StringExact("Deploying")),
				acctest.Attr(PD, "desired", knownvalue.Int64Exact(2)),
			},
			Check: func(s *terraform.State) error {
				for _, svc := range []struct{ addr, name string }{{X, "x"}, {PD, "x-pd"}} {
					rs, err := c.Dynamic.Resource(rayServiceGVR).Namespace(ns).Get(context.Background(), svc.name, metav1.GetOptions{})
					if err != nil {
						return err
					}
					status, reason := readyCondition(rs)
					msg := acctest.StateAttr(s, svc.addr, "status_message")
					if status != "False" || reason == "" || !strings.HasPrefix(msg, reason+": ") {
						return fmt.Errorf("%s: KubeRay says Ready=%s reason %q; we report %q", svc.name, status, reason, msg)
					}
				}
				if msg := acctest.StateAttr(s, X, "status_message"); strings.Contains(msg, "Insufficient") || strings.Contains(msg, "x-pd") {
					return fmt.Errorf("D10: x reports the pods of x-pd: %q", msg)
				}
				if msg := acctest.StateAttr(s, PD, "status_message"); !strings.Contains(msg, "Insufficient nvidia.com/gpu") {
					return fmt.Errorf("x-pd does not report its own unschedulable decode worker: %q", msg)
				}
				return nil
			},
		},
	))
}

// D5: KubeRay refuses RayService names over 47 characters (ray-operator v1.6.2
// controllers/ray/utils/validation.go ValidateRayServiceMetadata; operatorstest shows the
// operator's InvalidRayServiceMetadata for one made out of band). We refuse it at plan.
func TestAccRealKubeRay48CharacterNameRefusedAtPlan(t *testing.T) {
	t.Parallel()
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	name := strings.Repeat("a", 48)
	resource.Test(t, acctest.TestCase(t, nil, resource.TestStep{
		Config: acctest.Config(t, acctest.Deployment("r", fmt.Sprintf(`name = %q
namespace = %q
runtime = "kuberay"
model = "Qwen/Qwen3-0.6B"`, name, ns))),
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)name.*47`),
	}))
	l, err := c.Dynamic.Resource(rayServiceGVR).Namespace(ns).List(context.Background(), metav1.ListOptions{})
	if err != nil || len(l.Items) != 0 {
		t.Fatalf("a RayService exists after a refused plan: %v %v", l, err)
	}
}
