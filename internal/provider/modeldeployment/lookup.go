package modeldeployment

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/registry"
)

// FindDeployment looks up an existing model deployment for other data sources: the runtime
// named by runtimeID, or every runtime when it is empty. A nil object means none exists.
func FindDeployment(ctx context.Context, client *kube.Client, runtimeID, ns, name string) (rt.Runtime, *unstructured.Unstructured, error) {
	candidates := registry.All()
	if runtimeID != "" {
		r, err := runtimeFor(runtimeID)
		if err != nil {
			return nil, nil, err
		}
		candidates = []rt.Runtime{r}
	}
	for _, r := range candidates {
		v, obj, err := findObject(ctx, client, r, ns, name)
		if err != nil || obj != nil {
			return v, obj, err
		}
	}
	return nil, nil, nil
}

// DeploymentPods lists the pods of the deployment whose live primary object is obj, by the
// same exact labels the readiness wait uses.
func DeploymentPods(ctx context.Context, client *kube.Client, runtime rt.Runtime, obj *unstructured.Unstructured) ([]corev1.Pod, error) {
	list, err := client.Typed.CoreV1().Pods(obj.GetNamespace()).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	var pods []corev1.Pod
	for _, p := range list.Items {
		if belongsTo(runtime, obj, p) {
			pods = append(pods, p)
		}
	}
	return pods, nil
}
