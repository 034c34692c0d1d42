package kservetest

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kserve"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// workloadPods is the selector KServe's controller gives the main workload's pods
// (pkg/controller/v1alpha2/llmisvc/workload.go GetWorkloadLabelSelector).
const workloadPods = "app.kubernetes.io/name=qwen,app.kubernetes.io/part-of=llminferenceservice,kserve.io/component=workload"

// checkWorkload waits until n pods of the controller's Deployment "qwen-kserve" run on the
// kwok nodes and checks what the controller merged: the preset's image and `vllm serve`
// command, our flags after its "--", one GPU, the storage initializer for hf://, and our
// instance label.
func checkWorkload(c *testcluster.Cluster, ns string, n int, flag ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		pods, err := acctest.WaitRunningPods(c, ns, workloadPods, n, 90*time.Second)
		if err != nil {
			return err
		}
		for i := range pods {
			p := &pods[i]
			ctr, err := testcluster.Container(p, "main")
			if err != nil {
				return err
			}
			if ctr.Image != kserve.PresetImage || !slices.Contains(ctr.Command, "--") || !acctest.Contiguous(ctr.Args, flag...) {
				return fmt.Errorf("pod %s: image %s, command %q, args %q; want the preset's image and command and %q", p.Name, ctr.Image, ctr.Command, ctr.Args, flag)
			}
			if q := ctr.Resources.Limits["nvidia.com/gpu"]; q.Value() != 1 {
				return fmt.Errorf("pod %s: %d GPUs, want 1", p.Name, q.Value())
			}
			if !slices.ContainsFunc(p.Spec.InitContainers, func(c2 corev1.Container) bool { return c2.Name == "storage-initializer" }) {
				return fmt.Errorf("pod %s has no storage-initializer init container for hf://Qwen/Qwen3-0.6B", p.Name)
			}
			if p.Labels["app.kubernetes.io/instance"] != "qwen" || p.Labels["kubefoundry.io/provider"] != "kserve" {
				return fmt.Errorf("pod %s labels %v lack the spec.labels we render", p.Name, p.Labels)
			}
		}
		return nil
	}
}

// runtime = "kserve" end to end against KServe's controller: create waits until the
// LLMInferenceService is Ready (the controller's Deployment rolled out on kwok GPU nodes),
// a scale and an engine flag change roll out, an out-of-band scale of the
// LLMInferenceService is drift the next apply reverts, import reads back the same
// attributes, and destroy leaves nothing (the controller's children are garbage collected).
func TestAccKServeDeploymentLifecycle(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	ns := c.ShortNamespace(t, "kserve")
	c.KwokGPUNodes(t, ns, 3, 1, map[string]string{"pool": ns})
	body := func(replicas int, maxSeqs string) string {
		return fmt.Sprintf(`name      = "qwen"
namespace = %q
runtime   = "kserve"
model     = "Qwen/Qwen3-0.6B"
replicas  = %d
engine_args = { "max-num-seqs" = %q }
`, ns, replicas, maxSeqs)
	}
	resource.Test(t, acctest.TestCase(t, nothingLeft(c, ns),
		resource.TestStep{
			Config: cfg(t, body(1, "32")),
			ConfigStateChecks: []statecheck.StateCheck{
				attr("phase", knownvalue.StringExact("Running")),
				attr("ready", knownvalue.Int64Exact(1)),
				attr("endpoint", knownvalue.StringExact("qwen-kserve-workload-svc."+ns+".svc.cluster.local:8000")),
				attr("kserve", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"api_version": knownvalue.StringExact("v1alpha2"), "tensor_parallel": knownvalue.Int64Exact(1),
					"pipeline_parallel": knownvalue.Null(), "data_parallel": knownvalue.Null(), "data_local_parallel": knownvalue.Null(),
					"expert_parallel": knownvalue.Bool(false), "scheduler": knownvalue.Bool(false)})),
			},
			Check: checkWorkload(c, ns, 1, "--max-num-seqs", "32"),
		},
		resource.TestStep{ // scale
			Config: cfg(t, body(2, "32")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
			ConfigStateChecks: []statecheck.StateCheck{attr("phase", knownvalue.StringExact("Running"))},
			Check:             checkWorkload(c, ns, 2, "--max-num-seqs", "32"),
		},
		resource.TestStep{ // a flag change: the controller rolls its Deployment
			Config: cfg(t, body(2, "64")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
			ConfigStateChecks: []statecheck.StateCheck{attr("phase", knownvalue.StringExact("Running"))},
			Check:             checkWorkload(c, ns, 2, "--max-num-seqs", "64"),
		},
		resource.TestStep{ // drift: someone scales the LLMInferenceService down
			PreConfig: func() {
				patch := []byte(`{"spec":{"replicas":1}}`)
				if _, err := c.Dynamic.Resource(llmisvcGVR).Namespace(ns).Patch(context.Background(), "qwen", types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
					t.Fatal(err)
				}
			},
			Config:             cfg(t, body(2, "64")),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		},
		resource.TestStep{ // the apply reverts it
			Config:            cfg(t, body(2, "64")),
			ConfigStateChecks: []statecheck.StateCheck{attr("replicas", knownvalue.Int64Exact(2)), attr("phase", knownvalue.StringExact("Running"))},
			Check:             checkWorkload(c, ns, 2, "--max-num-seqs", "64"),
		},
		resource.TestStep{
			ResourceName: addr, ImportState: true, ImportStateId: ns + "/qwen", ImportStateVerify: true,
			ImportStateVerifyIgnore: []string{"timeouts", "status_message"},
		},
	))
}

// Plan-time diagnostics name the attribute and KServe's rule (no cluster object is made).
func TestAccKServePlanRefusals(t *testing.T) {
	base := `name    = "bad"
runtime = "kserve"
model   = "Qwen/Qwen3-0.6B"
`
	resource.Test(t, acctest.TestCase(t, nil,
		resource.TestStep{
			Config: cfg(t, base+"gpus = 2\nkserve = { data_parallel = 4, data_local_parallel = 2, pipeline_parallel = 2 }"), PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)kserve\.pipeline_parallel.*cannot\s+combine\s+pipeline\s+and\s+data`),
		},
		resource.TestStep{
			Config: cfg(t, base+`mode = "disaggregated"`), PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)kserve\.scheduler.*llm-d\s+scheduler`),
		},
		resource.TestStep{
			Config: cfg(t, base+"gpus = 4\nkserve = { tensor_parallel = 2 }"), PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)kserve\.tensor_parallel.*GPUs\s+per\s+pod`),
		},
	))
}
