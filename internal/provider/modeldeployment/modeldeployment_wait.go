package modeldeployment

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/podrefusal"
)

// podCheckInterval is how often pods and events are read while waiting: pod failures do
// not change the custom resource, so its watch alone would not see them.
const podCheckInterval = 3 * time.Second

// errSettled ends a wait successfully from the pod-check loop (see rt.Settler).
var errSettled = errors.New("running and settled")

// eventClockSlack lets an operator's rejection count when it was stamped just before the wait
// began (right after the apply, by the operator's clock, at one-second resolution).
const eventClockSlack = 2 * time.Second

// terminalReasons end a wait early: they need a human, waiting longer changes nothing.
var terminalReasons = []string{"ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CrashLoopBackOff",
	"CreateContainerConfigError", "Insufficient nvidia.com/gpu"}

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// waitForCRD waits until the runtime's CRD is Established (operator installed in the same apply).
func waitForCRD(ctx context.Context, c *kube.Client, runtime rt.Runtime) error {
	crd := runtime.CRD()
	tflog.Info(ctx, fmt.Sprintf("CRD %s is not served yet; waiting for it to be installed (e.g. by kubefoundry_runtime_install)", crd.Name()))
	_, err := c.Wait(ctx, crdGVR, "", crd.Name(), func(obj *unstructured.Unstructured) (bool, error) {
		if obj == nil {
			return false, nil
		}
		var got apiextensionsv1.CustomResourceDefinition
		if err := rt.FromMap(obj.Object, &got); err != nil {
			return false, nil //nolint:nilerr // not decodable (yet): keep waiting for an Established CRD
		}
		for _, cond := range got.Status.Conditions {
			if cond.Type == apiextensionsv1.Established && cond.Status == apiextensionsv1.ConditionTrue {
				// Installed, but perhaps for another release: waiting will not change that.
				if msg := versionMismatch(runtime, &got); msg != "" {
					return false, fmt.Errorf("%w: %s", errVersionNotServed, msg)
				}
				return true, nil
			}
		}
		return false, nil
	})
	if errors.Is(err, errVersionNotServed) {
		return err
	}
	if err != nil {
		return fmt.Errorf("the %s CRD %s is not installed (%v). Install the runtime first, e.g. with a "+
			"kubefoundry_runtime_install resource and depends_on, or raise the create timeout", runtime.DisplayName(), crd.Name(), err)
	}
	return nil
}

// podsAndEvents reads the deployment's pods and the warning events about them or the
// custom resource: two list calls in the namespace.
func podsAndEvents(ctx context.Context, c *kube.Client, runtime rt.Runtime, obj *unstructured.Unstructured) ([]corev1.Pod, []corev1.Event, error) {
	pods, events, _, err := podsEventsAndRefusals(ctx, c, runtime, obj)
	return pods, events, err
}

// podsEventsAndRefusals is podsAndEvents that also returns, from the same event list, the
// refused pod creates recorded about any object of the namespace (ReplicaSets,
// StatefulSets, RayClusters): whether they belong to this deployment is for
// podCreateRefusal to find out.
func podsEventsAndRefusals(ctx context.Context, c *kube.Client, runtime rt.Runtime, obj *unstructured.Unstructured) ([]corev1.Pod, []corev1.Event, []podrefusal.Refusal, error) {
	ns, name := obj.GetNamespace(), obj.GetName()
	podList, err := c.Typed.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, nil, nil, err
	}
	var pods []corev1.Pod
	involved := map[string]bool{name: true}
	for _, p := range podList.Items {
		if belongsTo(runtime, obj, p) {
			pods = append(pods, p)
			involved[p.Name] = true
		}
	}
	evList, err := c.Typed.CoreV1().Events(ns).List(ctx, metav1.ListOptions{FieldSelector: "type=Warning"})
	if err != nil {
		return pods, nil, nil, err
	}
	var events []corev1.Event
	for _, e := range evList.Items {
		if involved[e.InvolvedObject.Name] {
			events = append(events, e)
		}
	}
	// All of them: KAITO's StatefulSet has the Workspace's name, Dynamo's ReplicaSets and
	// KubeRay's RayClusters have names of their own.
	return pods, events, podrefusal.Candidates(evList.Items), nil
}

// belongsTo matches a pod to the deployment by the exact labels its operator sets: the
// runtime's own rule when it has one (KubeRay: the RayCluster names in the status; KAITO:
// kaito.sh/workspace), otherwise an exact owner label. Never by name prefix: KubeRay names
// clusters "<name>-<suffix>", so a prefix also matches "<name>-pd"'s pods (review D10).
func belongsTo(runtime rt.Runtime, obj *unstructured.Unstructured, p corev1.Pod) bool {
	if owner, ok := runtime.(rt.PodOwner); ok {
		return owner.OwnsPod(obj, p)
	}
	name, l := obj.GetName(), p.Labels
	return l[rt.LabelInstance] == name || l["nvidia.com/dynamo-graph-deployment-name"] == name
}

// failureClock tells a failure the operator retries (rt.Status.Transient, e.g. a Dynamo
// reconcile error, D6) from one that persists: a transient failure ends the wait only after
// rt.TransientFailureGrace without recovery. Not safe for concurrent use.
type failureClock struct{ since time.Time }

// fatal reports whether st (or a current event) ends the wait now, and why, recording when a
// transient failure began.
func (f *failureClock) fatal(st rt.Status, events []corev1.Event, now time.Time) (string, bool) {
	if st.Phase == rt.PhaseFailed && st.Transient {
		if f.since.IsZero() {
			f.since = now
		}
		if now.Sub(f.since) < rt.TransientFailureGrace {
			return "", false
		}
		return st.Message, true
	}
	f.since = time.Time{}
	return isTerminal(st, events)
}

// isTerminal reports a status or an event after which waiting changes nothing, and why.
// events must be current (rt.CurrentEvents): an operator's rejection of an earlier spec or of
// a deleted namesake must not end this wait.
func isTerminal(st rt.Status, events []corev1.Event) (string, bool) {
	if st.Phase == rt.PhaseFailed {
		return st.Message, true
	}
	if words := rt.NeverProgress(events); words != "" {
		return "the operator will not deploy this spec: " + words, true
	}
	for _, r := range terminalReasons {
		if strings.Contains(st.Message, r) {
			return st.Message, true
		}
	}
	return "", false
}

// waitReady watches the custom resource until the runtime reports Running for the current
// generation. It fails fast on a Failed phase or a pod state that needs a human.
// downloadJob, when set, is the model download Job: its progress is logged and its
// failure ends the wait.
func waitReady(ctx context.Context, c *kube.Client, runtime rt.Runtime, ns, name, downloadJob string) (rt.Status, error) {
	var (
		mu     sync.Mutex
		pods   []corev1.Pod
		events []corev1.Event
		last   rt.Status
		lastOb *unstructured.Unstructured
		clock  failureClock
	)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		settle       time.Duration // how long Running must hold after an update
		runningSince time.Time
	)
	if st, ok := runtime.(rt.Settler); ok {
		settle = st.SettleAfterUpdate()
	}
	// evaluate maps the latest object; fatal means the wait must end, for the reason why.
	evaluate := func() (st rt.Status, done bool, why string, fatal bool) {
		mu.Lock()
		defer mu.Unlock()
		if lastOb == nil {
			return last, false, "", false
		}
		st = runtime.Status(lastOb, pods, events)
		if st.Phase != last.Phase || st.Message != last.Message {
			tflog.Info(ctx, fmt.Sprintf("%s/%s: %s %d/%d ready %s", ns, name, st.Phase, st.Ready, st.Desired, st.Message))
		}
		last = st
		why, fatal = clock.fatal(st, events, time.Now())
		running := st.Phase == rt.PhaseRunning && st.Current
		switch {
		case !running:
			runningSince = time.Time{}
			return st, false, why, fatal
		case settle == 0 || lastOb.GetGeneration() <= 1:
			return st, true, why, fatal
		case runningSince.IsZero():
			runningSince = time.Now()
		}
		return st, time.Since(runningSince) >= settle, why, fatal
	}
	started := time.Now()
	go func() {
		t := time.NewTicker(podCheckInterval)
		defer t.Stop()
		for n := 1; ; n++ {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if n%10 == 0 { // a heartbeat every 30 s, phase changes are logged as they happen
				mu.Lock()
				st := last
				mu.Unlock()
				tflog.Info(ctx, fmt.Sprintf("%s/%s: still waiting after %s: %s %d/%d ready %s",
					ns, name, time.Since(started).Round(time.Second), st.Phase, st.Ready, st.Desired, st.Message))
			}
			if downloadJob != "" {
				msg, err := downloadProgress(ctx, c, ns, downloadJob)
				if err != nil {
					cancel(err)
					return
				}
				if msg != "" && (n%10 == 0 || n == 1) {
					tflog.Info(ctx, fmt.Sprintf("%s/%s: %s", ns, name, msg))
				}
			}
			mu.Lock()
			obj := lastOb
			mu.Unlock()
			if obj == nil {
				continue // nothing to match pods against yet
			}
			p, e, refusals, err := podsEventsAndRefusals(ctx, c, runtime, obj)
			if err != nil {
				continue
			}
			e = rt.CurrentEvents(e, obj.GetKind(), obj.GetUID(), started.Add(-eventClockSlack))
			mu.Lock()
			pods, events = p, e
			mu.Unlock()
			if st, done, why, fatal := evaluate(); fatal {
				cancel(errors.New(why))
			} else if done {
				cancel(errSettled) // Running held through the settle time: no watch event will say so
			} else if st.Phase != rt.PhaseRunning {
				if why := podCreateRefusal(ctx, c, runtime, obj, refusals, started.Add(-eventClockSlack)); why != "" {
					cancel(errors.New(why))
				}
			}
		}
	}()
	_, err := c.Wait(ctx, runtime.CRD().GVR(), ns, name, func(obj *unstructured.Unstructured) (bool, error) {
		if obj == nil {
			return false, kube.ErrGone
		}
		mu.Lock()
		lastOb = obj
		mu.Unlock()
		st, done, why, fatal := evaluate()
		if fatal && st.Phase == rt.PhaseFailed {
			return false, errors.New(why)
		}
		return done, nil
	})
	mu.Lock()
	defer mu.Unlock()
	if errors.Is(context.Cause(ctx), errSettled) {
		return last, nil
	}
	if cause := context.Cause(ctx); err != nil && cause != nil && !errors.Is(cause, context.Canceled) && !errors.Is(cause, context.DeadlineExceeded) {
		return last, fmt.Errorf("deployment failed: %w", cause)
	}
	if err != nil && ctx.Err() != nil {
		return last, fmt.Errorf("timed out waiting for %s/%s to be Running; last phase %s: %s", ns, name, last.Phase, last.Message)
	}
	if err != nil {
		return last, fmt.Errorf("deployment failed: %w", err)
	}
	return last, nil
}
