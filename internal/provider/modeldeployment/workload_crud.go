package modeldeployment

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// renderCompanions renders the companion objects as one YAML stream; null when there are none.
func renderCompanions(objs []*unstructured.Unstructured) (types.String, error) {
	if len(objs) == 0 {
		return types.StringNull(), nil
	}
	docs := make([]string, 0, len(objs))
	for _, o := range objs {
		b, err := yaml.Marshal(o.Object)
		if err != nil {
			return types.StringNull(), fmt.Errorf("encoding %s %s: %w", o.GetKind(), o.GetName(), err)
		}
		docs = append(docs, string(b))
	}
	return types.StringValue(strings.Join(docs, "---\n")), nil
}

// projectCompanions reads the companions back, restricted to the fields the provider sets
// (as manifest does for the custom resource). A deleted companion drops out of the stream
// and an edited field shows its live value, so the next plan restores them.
func projectCompanions(ctx context.Context, c *kube.Client, want []*unstructured.Unstructured) (types.String, error) {
	if len(want) == 0 {
		return types.StringNull(), nil
	}
	var docs []string
	for _, w := range want {
		live, err := c.Dynamic.Resource(gvrOf(w)).Namespace(w.GetNamespace()).Get(ctx, w.GetName(), metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			continue
		}
		if err != nil {
			return types.StringNull(), fmt.Errorf("reading %s %s: %w", w.GetKind(), w.GetName(), err)
		}
		doc, err := projectYAML(live.Object, w.Object)
		if err != nil {
			return types.StringNull(), err
		}
		docs = append(docs, doc)
	}
	if len(docs) == 0 {
		return types.StringValue(""), nil
	}
	return types.StringValue(strings.Join(docs, "---\n")), nil
}

// warnOverrides flags an overrides patch that changes fields the provider renders.
func warnOverrides(runtime rt.Runtime, cfg rt.DeploymentConfig, diags *diag.Diagnostics) {
	fields := rt.OverriddenFields(runtime, cfg)
	if len(fields) == 0 {
		return
	}
	diags.AddAttributeWarning(path.Root("overrides"), "Overrides change fields the provider manages",
		fmt.Sprintf("The overrides patch replaces or deletes %s, which the provider renders from its attributes. The patch wins, "+
			"so those attributes no longer describe what runs; prefer the typed attribute where one exists.", strings.Join(fields, ", ")))
}

// downloadProgress reports the model download Job: a progress line, or an error once the
// Job has failed (its pods' reasons included).
func downloadProgress(ctx context.Context, c *kube.Client, ns, job string) (string, error) {
	j, err := c.Typed.BatchV1().Jobs(ns).Get(ctx, job, metav1.GetOptions{})
	if err != nil {
		return "", nil //nolint:nilerr // not created yet or unreadable: the runtime's status still counts
	}
	for _, cond := range j.Status.Conditions {
		switch {
		case cond.Type == batchv1.JobComplete && cond.Status == corev1.ConditionTrue:
			return fmt.Sprintf("model download Job %s complete", job), nil
		case cond.Type == batchv1.JobFailed && cond.Status == corev1.ConditionTrue:
			return "", fmt.Errorf("model download Job %s/%s failed: %s: %s%s (see kubectl logs job/%s)",
				ns, job, cond.Reason, cond.Message, jobPodReasons(ctx, c, ns, job), job)
		}
	}
	return fmt.Sprintf("model download Job %s: %d active, %d failed attempts%s", job, j.Status.Active, j.Status.Failed,
		jobPodReasons(ctx, c, ns, job)), nil
}

// jobPodReasons names why the Job's pods are stuck (ImagePullBackOff, Unschedulable, ...).
func jobPodReasons(ctx context.Context, c *kube.Client, ns, job string) string {
	pods, err := c.Typed.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "batch.kubernetes.io/job-name=" + job})
	if err != nil {
		return ""
	}
	var out []string
	for _, p := range pods.Items {
		for _, cs := range p.Status.ContainerStatuses {
			if w := cs.State.Waiting; w != nil && w.Reason != "" && w.Reason != "ContainerCreating" {
				out = append(out, p.Name+": "+w.Reason)
			}
		}
		for _, cond := range p.Status.Conditions {
			if cond.Type == corev1.PodScheduled && cond.Status == corev1.ConditionFalse && cond.Reason != "" {
				out = append(out, p.Name+": "+cond.Reason+" "+cond.Message)
			}
		}
	}
	if len(out) == 0 {
		return ""
	}
	return "; " + strings.Join(out, "; ")
}

// overridesMatch reports whether a deployment with overrides is exactly as rendered. Then
// the prior configuration describes it: parsing it would turn fields the patch changed
// (say a replica count) into attribute values that differ from the configuration.
func overridesMatch(prior rt.DeploymentConfig, want rt.Manifests, live string) bool {
	if prior.Workload == nil || prior.Workload.Overrides == "" || want.Primary == nil {
		return false
	}
	rendered, err := yaml.Marshal(want.Primary.Object)
	return err == nil && string(rendered) == live
}
