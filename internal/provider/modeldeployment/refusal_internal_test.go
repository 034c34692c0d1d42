package modeldeployment

import (
	"context"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/registry"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// The real kube-controller-manager and ServiceAccount admission plugin: a Deployment whose
// pods name a missing account gets a ReplicaSet that reports FailedCreate. podCreateRefusal
// finds it for the graph whose label the pods carry (the way the Dynamo operator's component
// Deployments carry nvidia.com/dynamo-graph-deployment-name), not for a sibling graph, and
// no longer once the account exists.
func TestPodCreateRefusalFromTheReplicaSetController(t *testing.T) {
	c := testcluster.Get(t)
	if !c.AdmitsServiceAccounts() {
		t.Fatal("the test cluster runs without the ServiceAccount admission plugin")
	}
	ctx := context.Background()
	ns := c.Namespace(t)
	client, err := kube.NewClient(c.RESTConfig)
	if err != nil {
		t.Fatal(err)
	}
	runtime, _ := registry.Get("dynamo")
	labels, one := map[string]string{"nvidia.com/dynamo-graph-deployment-name": "g", "app": "g"}, int32(1)
	if _, err := c.Clientset.AppsV1().Deployments(ns).Create(ctx, &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "g-frontend"},
		Spec: appsv1.DeploymentSpec{Replicas: &one, Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: corev1.PodSpec{
				ServiceAccountName: "missing-sa", Containers: []corev1.Container{{Name: "main", Image: "busybox"}}}}},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	graph := func(name string) *unstructured.Unstructured {
		u := &unstructured.Unstructured{}
		u.SetAPIVersion("nvidia.com/v1beta1")
		u.SetKind("DynamoGraphDeployment")
		u.SetNamespace(ns)
		u.SetName(name)
		u.SetUID(types.UID("uid-" + name))
		return u
	}
	since := time.Now().Add(-time.Minute)
	refused := func(owner *unstructured.Unstructured) string {
		_, _, refusals, err := podsEventsAndRefusals(ctx, client, runtime, owner)
		if err != nil {
			t.Fatal(err)
		}
		return podCreateRefusal(ctx, client, runtime, owner, refusals, since)
	}
	var why string
	for deadline := time.Now().Add(90 * time.Second); why == "" && time.Now().Before(deadline); {
		if why = refused(graph("g")); why == "" {
			time.Sleep(500 * time.Millisecond)
		}
	}
	for _, want := range []string{"the pods cannot be created: replicaset g-frontend-", "FailedCreate", `serviceaccount "missing-sa" not found`,
		`Create service account "missing-sa" in namespace "` + ns + `"`} {
		if !strings.Contains(why, want) {
			t.Errorf("podCreateRefusal = %q; want it to contain %q", why, want)
		}
	}
	if got := refused(graph("h")); got != "" {
		t.Errorf("a sibling graph's wait sees %q", got)
	}
	if _, err := c.Clientset.CoreV1().ServiceAccounts(ns).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "missing-sa"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := refused(graph("g")); got != "" {
		t.Errorf("after the account was created the wait still ends with %q", got)
	}
}
