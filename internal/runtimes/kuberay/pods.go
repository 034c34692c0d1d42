package kuberay

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// rayClusterLabel is the label KubeRay puts on every head and worker pod; its value is the
// RayCluster name, "<rayservice>-<random suffix>" (controllers/ray/common/pod.go labelPod,
// ray-project/kuberay v1.6.2), so a prefix match would also catch "<name>-pd"'s pods.
const rayClusterLabel = "ray.io/cluster"

var _ runtimes.PodOwner = Runtime{}

// OwnsPod matches a pod to the RayClusters the RayService status names (active and pending).
func (Runtime) OwnsPod(obj *unstructured.Unstructured, pod corev1.Pod) bool {
	cluster := pod.Labels[rayClusterLabel]
	if cluster == "" {
		return false
	}
	for _, side := range []string{"activeServiceStatus", "pendingServiceStatus"} {
		if runtimes.StringAt(obj.Object, "status", side, "rayClusterName") == cluster {
			return true
		}
	}
	return false
}
