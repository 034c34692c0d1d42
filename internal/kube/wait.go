package kube

import (
	"context"
	"errors"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"
)

// ErrGone is returned by Wait when the object is deleted while waiting.
var ErrGone = errors.New("object was deleted")

// Condition inspects the latest version of the watched object (nil when it does not
// exist) and says whether waiting is over; an error ends the wait with that error.
type Condition func(obj *unstructured.Unstructured) (done bool, err error)

// Wait watches one object (a list to sync, then a watch from that resourceVersion) until
// cond is satisfied or ctx ends. It never polls, so a change is noticed as soon as the
// server sends it.
func (c *Client) Wait(ctx context.Context, gvr schema.GroupVersionResource, namespace, name string, cond Condition) (*unstructured.Unstructured, error) {
	ri := c.Dynamic.Resource(gvr).Namespace(namespace)
	selector := fields.OneTermEqualSelector("metadata.name", name).String()
	lw := &cache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, o metav1.ListOptions) (runtime.Object, error) {
			o.FieldSelector = selector
			return ri.List(ctx, o)
		},
		WatchFuncWithContext: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
			o.FieldSelector = selector
			return ri.Watch(ctx, o)
		},
	}
	var last *unstructured.Unstructured
	precondition := func(store cache.Store) (bool, error) {
		items := store.List()
		if len(items) == 0 {
			return cond(nil)
		}
		last = items[0].(*unstructured.Unstructured) //nolint:forcetypeassert // the dynamic client's store only holds *Unstructured
		return cond(last)
	}
	ev, err := watchtools.UntilWithSync(ctx, lw, &unstructured.Unstructured{}, precondition, func(e watch.Event) (bool, error) {
		switch e.Type {
		case watch.Deleted:
			last = nil
			return cond(nil)
		case watch.Added, watch.Modified:
			u, ok := e.Object.(*unstructured.Unstructured)
			if !ok {
				return false, fmt.Errorf("unexpected watch object %T", e.Object)
			}
			last = u
			return cond(u)
		}
		return false, nil
	})
	if ev != nil {
		if u, ok := ev.Object.(*unstructured.Unstructured); ok && ev.Type != watch.Deleted {
			last = u
		}
	}
	if errors.Is(err, watchtools.ErrWatchClosed) {
		err = fmt.Errorf("watch closed by the server: %w", err)
	}
	return last, err
}

// WaitDeleted waits until the object no longer exists.
func (c *Client) WaitDeleted(ctx context.Context, gvr schema.GroupVersionResource, namespace, name string) (*unstructured.Unstructured, error) {
	return c.Wait(ctx, gvr, namespace, name, func(obj *unstructured.Unstructured) (bool, error) {
		return obj == nil, nil
	})
}

// IsNotFound reports a 404 from the API server.
func IsNotFound(err error) bool { return apierrors.IsNotFound(err) }

// WaitNoPods waits until no pod in the namespace matches: after a background deletion, the
// owner is gone at once and the garbage collector removes its pods afterwards, so this is
// the wait that makes "nothing left behind" hold for what holds GPUs. It lists once and
// then watches, so each pod's removal is noticed as it happens.
func (c *Client) WaitNoPods(ctx context.Context, namespace string, match func(*corev1.Pod) bool) ([]string, error) {
	pods := c.Typed.CoreV1().Pods(namespace)
	lw := &cache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, o metav1.ListOptions) (runtime.Object, error) {
			return pods.List(ctx, o)
		},
		WatchFuncWithContext: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
			return pods.Watch(ctx, o)
		},
	}
	left := map[string]bool{}
	track := func(obj any, gone bool) {
		p, ok := obj.(*corev1.Pod)
		if !ok || !match(p) {
			return
		}
		if gone {
			delete(left, p.Name)
		} else {
			left[p.Name] = true
		}
	}
	precondition := func(store cache.Store) (bool, error) {
		for _, o := range store.List() {
			track(o, false)
		}
		return len(left) == 0, nil
	}
	_, err := watchtools.UntilWithSync(ctx, lw, &corev1.Pod{}, precondition, func(e watch.Event) (bool, error) {
		track(e.Object, e.Type == watch.Deleted)
		return len(left) == 0, nil
	})
	names := make([]string, 0, len(left))
	for n := range left {
		names = append(names, n)
	}
	return names, err
}
