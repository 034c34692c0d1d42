package modeldeployment

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/podrefusal"
)

// podCreateRefusal returns why the deployment's pods cannot be created ("" when nothing
// says so): the newest refusal recorded since the wait began by a controller that belongs
// to the deployment and, read now, still misses pods. A missing service account counts only
// while it is still missing (created meanwhile, the controller's next retry succeeds).
// Only runs when such events exist: one or two GETs per candidate.
func podCreateRefusal(ctx context.Context, c *kube.Client, runtime rt.Runtime, owner *unstructured.Unstructured, refusals []podrefusal.Refusal, since time.Time) string {
	checked := map[string]bool{}
	for _, r := range refusals {
		e := r.Event
		if len(rt.CurrentEvents([]corev1.Event{e}, "", "", since)) == 0 { // from before this wait
			continue
		}
		key := e.InvolvedObject.Kind + "/" + e.InvolvedObject.Name
		if checked[key] {
			continue
		}
		checked[key] = true
		ctrl, err := getInvolved(ctx, c, e.InvolvedObject)
		if err != nil {
			continue
		}
		owns := func(labels map[string]string) bool {
			return belongsTo(runtime, owner, corev1.Pod{ObjectMeta: metav1.ObjectMeta{Labels: labels}})
		}
		if !podrefusal.Owned(ctrl, owner, owns) || !podrefusal.StillFailing(ctrl) {
			continue
		}
		if r.Cause == podrefusal.CauseServiceAccount && r.ServiceAccount != "" {
			_, err := c.Typed.CoreV1().ServiceAccounts(owner.GetNamespace()).Get(ctx, r.ServiceAccount, metav1.GetOptions{})
			if !apierrors.IsNotFound(err) {
				continue // exists now (or unknown): the next retry decides
			}
		}
		return "the pods cannot be created: " + r.Describe()
	}
	return ""
}

// getInvolved reads the object an event is about, resolving its kind through discovery.
func getInvolved(ctx context.Context, c *kube.Client, ref corev1.ObjectReference) (*unstructured.Unstructured, error) {
	gv, err := schema.ParseGroupVersion(ref.APIVersion)
	if err != nil {
		return nil, err
	}
	m, err := c.Mapper.RESTMapping(schema.GroupKind{Group: gv.Group, Kind: ref.Kind}, gv.Version)
	if err != nil {
		return nil, err
	}
	return c.Dynamic.Resource(m.Resource).Namespace(ref.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
}
