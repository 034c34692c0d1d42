package kaito

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

var _ runtimes.PodOwner = Runtime{}

// OwnsPod matches the label KAITO sets on every pod of a template Workspace,
// kaito.sh/workspace=<name> (manifests.go GenerateManifestWithPodTemplate, v0.8.0 and v0.12.0);
// Workspace names are unique in a namespace.
func (Runtime) OwnsPod(obj *unstructured.Unstructured, pod corev1.Pod) bool {
	return pod.Labels[workspaceKey] == obj.GetName()
}
