package operatorstest

import (
	"context"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// The cluster admits pods as a real one does: the ServiceAccount admission plugin is on and
// kube-controller-manager's serviceaccount controller gives every namespace its "default"
// account. A pod naming no account runs as "default" (with the projected token volume the
// plugin adds); a Deployment whose pods name a missing account gets no pod, and its
// ReplicaSet reports FailedCreate with the API server's words and a ReplicaFailure condition.
func TestServiceAccountAdmission(t *testing.T) {
	c := testcluster.Get(t)
	if !c.AdmitsServiceAccounts() {
		t.Fatal("the operator cluster runs without the ServiceAccount admission plugin")
	}
	ctx := context.Background()
	ns := c.Namespace(t) // waits for the default account
	pod, err := c.Clientset.CoreV1().Pods(ns).Create(ctx, &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "plain"},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "busybox"}}},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("a pod in a fresh namespace: %v", err)
	}
	if pod.Spec.ServiceAccountName != "default" || !hasProjectedToken(pod) {
		t.Errorf("admitted pod: serviceAccountName %q, projected token volume %v; want default and true", pod.Spec.ServiceAccountName, hasProjectedToken(pod))
	}

	labels, one := map[string]string{"app": "nosa"}, int32(1)
	if _, err := c.Clientset.AppsV1().Deployments(ns).Create(ctx, &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "nosa"},
		Spec: appsv1.DeploymentSpec{Replicas: &one, Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: corev1.PodSpec{
				ServiceAccountName: "missing-sa", Containers: []corev1.Container{{Name: "c", Image: "busybox"}}}}},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	var rs *appsv1.ReplicaSet
	deadline := time.Now().Add(60 * time.Second)
	for rs == nil && time.Now().Before(deadline) {
		list, err := c.Clientset.AppsV1().ReplicaSets(ns).List(ctx, metav1.ListOptions{LabelSelector: "app=nosa"})
		if err == nil && len(list.Items) == 1 {
			rs = &list.Items[0]
		} else {
			time.Sleep(250 * time.Millisecond)
		}
	}
	if rs == nil {
		t.Fatal("no ReplicaSet for Deployment nosa")
	}
	ev, err := c.WaitForEvent(ctx, ns, "ReplicaSet", rs.Name, "FailedCreate", `serviceaccount "missing-sa" not found`, 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ReplicaSet %s: %s", rs.Name, ev.Message)
	for time.Now().Before(deadline) {
		got, err := c.Clientset.AppsV1().ReplicaSets(ns).Get(ctx, rs.Name, metav1.GetOptions{})
		if err == nil {
			for _, cond := range got.Status.Conditions {
				if cond.Type == appsv1.ReplicaSetReplicaFailure && cond.Status == corev1.ConditionTrue && strings.Contains(cond.Message, "missing-sa") {
					return
				}
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Error("the ReplicaSet has no ReplicaFailure condition naming missing-sa")
}

func hasProjectedToken(p *corev1.Pod) bool {
	for _, v := range p.Spec.Volumes {
		if v.Projected != nil {
			for _, s := range v.Projected.Sources {
				if s.ServiceAccountToken != nil {
					return true
				}
			}
		}
	}
	return false
}
