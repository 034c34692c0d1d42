package helminstall

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/storage/driver"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/registry"
)

// Uninstall removes the releases in reverse order, then the operator namespace when the
// installer created it and no user workload is left in it. It returns warnings for what
// it deliberately kept.
func (in *Installer) Uninstall(ctx context.Context, req Request) ([]string, error) {
	plan := req.Charts()
	var warnings []string
	for i := len(plan) - 1; i >= 0; i-- {
		c := plan[i]
		cfg, err := in.config(c.Namespace)
		if err != nil {
			return warnings, err
		}
		act := action.NewUninstall(cfg)
		act.Wait = req.Wait
		act.Timeout = timeout(ctx)
		act.DeletionPropagation = "background"
		if _, err := act.Run(c.Release); err != nil && !errors.Is(err, driver.ErrReleaseNotFound) {
			return warnings, fmt.Errorf("uninstalling Helm release %s/%s: %w", c.Namespace, c.Release, err)
		}
	}
	ns := req.OperatorNamespace()
	obj, err := in.Kube.Typed.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return warnings, nil
	}
	if err != nil {
		return warnings, fmt.Errorf("reading namespace %s: %w", ns, err)
	}
	if obj.Annotations[CreatedByAnnotation] != createdByValue {
		return warnings, nil
	}
	left, err := in.userWorkloads(ctx, ns, plan)
	if err != nil {
		return warnings, err
	}
	if len(left) > 0 {
		return append(warnings, fmt.Sprintf("Namespace %s was kept because it still holds %v.", ns, left)), nil
	}
	if err := in.Kube.Typed.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		return warnings, fmt.Errorf("deleting namespace %s: %w", ns, err)
	}
	if _, err := in.Kube.WaitDeleted(ctx, schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}, "", ns); err != nil {
		return warnings, fmt.Errorf("waiting for namespace %s to be deleted: %w", ns, err)
	}
	return warnings, nil
}

// userWorkloads lists what in the namespace is not ours: model deployments of any
// runtime, and Deployments or StatefulSets no release of this installation owns.
func (in *Installer) userWorkloads(ctx context.Context, ns string, plan []runtimes.Chart) ([]string, error) {
	releases := make([]string, len(plan))
	for i, c := range plan {
		releases[i] = c.Release
	}
	var out []string
	deps, err := in.Kube.Typed.AppsV1().Deployments(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("listing Deployments in %s: %w", ns, err)
	}
	for _, d := range deps.Items {
		if !slices.Contains(releases, d.Annotations["meta.helm.sh/release-name"]) {
			out = append(out, "Deployment "+d.Name)
		}
	}
	sets, err := in.Kube.Typed.AppsV1().StatefulSets(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("listing StatefulSets in %s: %w", ns, err)
	}
	for _, s := range sets.Items {
		if !slices.Contains(releases, s.Annotations["meta.helm.sh/release-name"]) {
			out = append(out, "StatefulSet "+s.Name)
		}
	}
	for _, runtime := range registry.All() {
		listed := map[string]bool{}                    // CRD names: one served version lists every object
		for _, r := range runtimes.Versions(runtime) { // e.g. Dynamo v1beta1, else v1alpha1 (0.x); vLLM Deployment and LeaderWorkerSet
			if listed[r.CRD().Name()] {
				continue
			}
			list, err := in.Kube.Dynamic.Resource(r.CRD().GVR()).Namespace(ns).List(ctx, metav1.ListOptions{})
			if apierrors.IsNotFound(err) {
				continue // CRD (or this version of it) not served
			}
			if err != nil {
				return nil, fmt.Errorf("listing %s in %s: %w", r.CRD().Kind, ns, err)
			}
			listed[r.CRD().Name()] = true
			for i := range list.Items {
				item := &list.Items[i]
				if c, ok := r.(runtimes.Claimer); ok && !c.Claims(item) {
					continue // a Deployment that is not a vLLM model deployment (listed above if not ours)
				}
				if entry := r.CRD().Kind + " " + item.GetName(); !slices.Contains(out, entry) { // a vLLM Deployment is listed above
					out = append(out, entry)
				}
			}
		}
	}
	return out, nil
}
