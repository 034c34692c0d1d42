package modeldeployment

import (
	"context"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// TestWaitFailsWhenTheDownloadJobFails: while the runtime is still Deploying, the real Job
// controller fails the download Job (activeDeadlineSeconds, as a stuck download would be
// failed); the wait ends at once with the Job's reason instead of running into its timeout.
func TestWaitFailsWhenTheDownloadJobFails(t *testing.T) {
	c := testcluster.Get(t)
	client, err := kube.NewClient(c.RESTConfig)
	if err != nil {
		t.Fatal(err)
	}
	runtime, _ := runtimeFor("dynamo")
	ns := c.Namespace(t)
	ctx := context.Background()
	name := "ready-download" // "ready-" names stay Deploying under the played operator
	cfg := rt.DeploymentConfig{Name: name, Namespace: ns, Runtime: "dynamo", Model: "Qwen/Qwen3-0.6B"}
	runtime.Defaults(&cfg)
	ms, err := runtime.Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Apply(ctx, runtime.CRD().GVR(), ms.Primary, kube.ApplyOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	deadline := int64(1)
	job := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: name + "-download-test"},
		Spec: batchv1.JobSpec{ActiveDeadlineSeconds: &deadline, Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			RestartPolicy: corev1.RestartPolicyNever,
			Containers:    []corev1.Container{{Name: "download", Image: "registry.test.example/vllm-runtime:0.7.1"}},
		}}},
	}
	if _, err := c.Clientset.BatchV1().Jobs(ns).Create(ctx, job, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	start := time.Now()
	_, err = waitReady(wctx, client, runtime, ns, name, job.Name)
	if err == nil || !strings.Contains(err.Error(), "model download Job "+ns+"/"+job.Name+" failed") || !strings.Contains(err.Error(), "DeadlineExceeded") {
		t.Fatalf("want the wait to fail with the Job's DeadlineExceeded, got %v", err)
	}
	if time.Since(start) > 60*time.Second {
		t.Errorf("the wait noticed the failed Job only after %s", time.Since(start))
	}
}
