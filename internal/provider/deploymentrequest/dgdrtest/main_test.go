package dgdrtest

import (
	"context"
	"fmt"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo/dgdr"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) {
	acctest.MainWithOptions(m, testcluster.Options{Operators: []testcluster.Operator{testcluster.OperatorDynamo}}, nil)
}

// profilerGraph is the graph the stand-in profiler "selects": aggregated vLLM, one worker
// with gpus GPUs, rendered by the provider's Dynamo runtime under the profiler's
// topology-derived name (the operator renames it <request>-dgd, computeDGDName).
func profilerGraph(model string, gpus int64) (string, error) {
	cfg := rt.DeploymentConfig{Name: "vllm-agg", Namespace: "profiler", Model: model, GPUs: &gpus}
	r := dynamo.New()
	r.Defaults(&cfg)
	m, err := rt.ForConfig(r, cfg).Manifests(cfg)
	if err != nil {
		return "", err
	}
	obj := m.Primary.DeepCopy()
	obj.SetLabels(nil)
	obj.SetAnnotations(nil)
	obj.SetNamespace("")
	b, err := yaml.Marshal(obj.Object)
	return string(b), err
}

// standInProfiler plays the profiling Job's output-copier sidecar for a state kwok cannot
// reach: once the operator's profiling Job has completed (kwok completes its pod without
// running the profiler), it writes the output ConfigMap the sidecar would write on success,
// labelled and owned by the request as the sidecar's script does, holding graph as
// final_config.yaml. The real operator then reads it, generates the graph and, with
// autoApply, creates it. It returns a channel that yields the outcome.
func standInProfiler(ctx context.Context, c *testcluster.Cluster, ns, name, graph string) <-chan error {
	out := make(chan error, 1)
	go func() {
		out <- func() error {
			var cm *corev1.ConfigMap
			err := testcluster.Eventually(ctx, 10*time.Minute, func() error {
				req, err := c.Dynamic.Resource(dgdr.GVR).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
				if err != nil {
					return err
				}
				// A request of the same name that is past profiling (an earlier one, failed) is
				// not the one to answer.
				if phase, _, _ := unstructured.NestedString(req.Object, "status", "phase"); phase != dgdr.PhaseProfiling {
					return fmt.Errorf("request in phase %q, not Profiling", phase)
				}
				j, err := c.Clientset.BatchV1().Jobs(ns).Get(ctx, dgdr.ProfilingJobName(name), metav1.GetOptions{})
				if err != nil {
					return err
				}
				// A Job left from an earlier request of the same name does not count.
				if owner := metav1.GetControllerOf(j); owner == nil || owner.UID != req.GetUID() {
					return fmt.Errorf("job %s belongs to another request", j.Name)
				}
				if !jobComplete(j) {
					return fmt.Errorf("job %s not complete yet", j.Name)
				}
				yes := true
				cm = &corev1.ConfigMap{
					ObjectMeta: metav1.ObjectMeta{
						Name: dgdr.OutputConfigMapName(name), Namespace: ns,
						Labels: map[string]string{dgdr.LabelName: name, dgdr.LabelNamespace: ns, dgdr.LabelManagedBy: dgdr.ManagedByOperator},
						OwnerReferences: []metav1.OwnerReference{{APIVersion: dgdr.APIVersion, Kind: dgdr.Kind, Name: name,
							UID: req.GetUID(), Controller: &yes, BlockOwnerDeletion: &yes}},
					},
					Data: map[string]string{
						"phase": "Done", "message": "stand-in profiler: selected vllm-agg", "profiler_status": "success",
						dgdr.OutputFile:        graph,
						"profiler_status.yaml": "status: success\nphase: Done\nmessage: stand-in profiler (job " + j.Name + ")\n",
					},
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("stand-in profiler: the operator's profiling Job never completed: %w", err)
			}
			_, err = c.Clientset.CoreV1().ConfigMaps(ns).Create(ctx, cm, metav1.CreateOptions{})
			return err
		}()
	}()
	return out
}

func jobComplete(j *batchv1.Job) bool {
	for _, cond := range j.Status.Conditions {
		if cond.Type == batchv1.JobComplete && cond.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}
