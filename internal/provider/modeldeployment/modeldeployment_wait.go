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
)

// podCheckInterval is how often pods and events are read while waiting: pod failures do
// not change the custom resource, so its watch alone would not see them.
const podCheckInterval = 3 * time.Second

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
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("the %s CRD %s is not installed (%v). Install the runtime first, e.g. with a "+
			"kubefoundry_runtime_install resource and depends_on, or raise the create timeout", runtime.DisplayName(), crd.Name(), err)
	}
	return nil
}

// podsAndEvents reads the deployment's pods and the warning events about them or the
// custom resource: two list calls in the namespace.
func podsAndEvents(ctx context.Context, c *kube.Client, ns, name string) ([]corev1.Pod, []corev1.Event, error) {
	podList, err := c.Typed.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, nil, err
	}
	var pods []corev1.Pod
	involved := map[string]bool{name: true}
	for _, p := range podList.Items {
		if belongsTo(p, name) {
			pods = append(pods, p)
			involved[p.Name] = true
		}
	}
	evList, err := c.Typed.CoreV1().Events(ns).List(ctx, metav1.ListOptions{FieldSelector: "type=Warning"})
	if err != nil {
		return pods, nil, err
	}
	var events []corev1.Event
	for _, e := range evList.Items {
		if involved[e.InvolvedObject.Name] {
			events = append(events, e)
		}
	}
	return pods, events, nil
}

// belongsTo finds a deployment's pods the way KubeFoundry does: by instance label, KAITO
// workspace label, app label, or a Ray cluster named after the deployment.
func belongsTo(p corev1.Pod, name string) bool {
	l := p.Labels
	return l[rt.LabelInstance] == name || l["kaito.sh/workspace"] == name || l["app"] == name ||
		strings.HasPrefix(l["ray.io/cluster"], name) || l["nvidia.com/dynamo-graph-deployment-name"] == name
}

func isTerminal(st rt.Status) bool {
	if st.Phase == rt.PhaseFailed {
		return true
	}
	for _, r := range terminalReasons {
		if strings.Contains(st.Message, r) {
			return true
		}
	}
	return false
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
	)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	evaluate := func() (rt.Status, bool) {
		mu.Lock()
		defer mu.Unlock()
		if lastOb == nil {
			return last, false
		}
		st := runtime.Status(lastOb, pods, events)
		if st.Phase != last.Phase || st.Message != last.Message {
			tflog.Info(ctx, fmt.Sprintf("%s/%s: %s %d/%d ready %s", ns, name, st.Phase, st.Ready, st.Desired, st.Message))
		}
		last = st
		return st, st.Phase == rt.PhaseRunning && st.Current
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
			p, e, err := podsAndEvents(ctx, c, ns, name)
			if err != nil {
				continue
			}
			mu.Lock()
			pods, events = p, e
			mu.Unlock()
			if st, _ := evaluate(); isTerminal(st) {
				cancel(fmt.Errorf("%s", st.Message))
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
		st, done := evaluate()
		if st.Phase == rt.PhaseFailed {
			return false, errors.New(st.Message)
		}
		return done, nil
	})
	mu.Lock()
	defer mu.Unlock()
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
