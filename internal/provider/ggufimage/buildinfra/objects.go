package buildinfra

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Names of the objects; the same as KubeFoundry's so existing docs and habits carry over.
const (
	RegistryName  = "kubefoundry-registry"
	registryData  = "kubefoundry-registry-data"
	BuildKitName  = "buildkitd"
	buildkitCfg   = "buildkitd-config"
	registryPort  = 5000
	managedBy     = "app.kubernetes.io/managed-by"
	managedByKF   = "kubefoundry"
	componentName = "app.kubernetes.io/name"
)

// Defaults, pinned.
const (
	DefaultNamespace     = "kubefoundry-system"
	DefaultRegistryImage = "docker.io/library/registry:2.8.3"
	DefaultBuildKitImage = "docker.io/moby/buildkit:v0.34.2"
	DefaultStorageSize   = "10Gi"
	DefaultNodePort      = 30500
)

// Spec is the desired build infrastructure.
type Spec struct {
	Namespace     string
	RegistryImage string
	StorageSize   string
	StorageClass  string // "" = cluster default
	NodePort      int32  // 0 = ClusterIP Service only
	BuildKit      bool
	BuildKitImage string
}

type object struct {
	gvr schema.GroupVersionResource
	obj *unstructured.Unstructured
}

var (
	gvrNamespace   = schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	gvrPVC         = schema.GroupVersionResource{Version: "v1", Resource: "persistentvolumeclaims"}
	gvrService     = schema.GroupVersionResource{Version: "v1", Resource: "services"}
	gvrConfigMap   = schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
	gvrDeployment  = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}
	gvrStatefulSet = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "statefulsets"}
)

// PushAddress is where in-cluster builders push (the Service's DNS name).
func (s Spec) PushAddress() string {
	return fmt.Sprintf("%s.%s.svc:%d", RegistryName, s.Namespace, registryPort)
}

// PullAddress is what kubelets pull from: the NodePort on localhost, which containerd and
// CRI-O reach over plain HTTP without extra configuration.
func (s Spec) PullAddress() string {
	if s.NodePort == 0 {
		return s.PushAddress()
	}
	return fmt.Sprintf("localhost:%d", s.NodePort)
}

// BuilderAddress is the kube-pod:// address of the buildkitd StatefulSet's pod.
func (s Spec) BuilderAddress() string {
	return fmt.Sprintf("kube-pod://%s-0?namespace=%s", BuildKitName, s.Namespace)
}

func labels(name string) map[string]string {
	return map[string]string{"app": name, componentName: name, managedBy: managedByKF}
}

func meta(name, ns string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: ns, Labels: labels(name)}
}

// objects returns everything to apply, in order.
func (s Spec) objects() ([]object, error) {
	size, err := resource.ParseQuantity(s.StorageSize)
	if err != nil {
		return nil, fmt.Errorf("registry_storage_size %q: %w", s.StorageSize, err)
	}
	var out []object
	add := func(gvr schema.GroupVersionResource, kind, apiVersion string, o runtime.Object) error {
		m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
		if err != nil {
			return err
		}
		u := &unstructured.Unstructured{Object: m}
		u.SetKind(kind)
		u.SetAPIVersion(apiVersion)
		unstructured.RemoveNestedField(u.Object, "metadata", "creationTimestamp")
		unstructured.RemoveNestedField(u.Object, "status")
		unstructured.RemoveNestedField(u.Object, "spec", "template", "metadata", "creationTimestamp")
		out = append(out, object{gvr, u})
		return nil
	}
	ns := s.Namespace
	steps := []func() error{
		func() error {
			return add(gvrNamespace, "Namespace", "v1", &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns, Labels: map[string]string{managedBy: managedByKF}}})
		},
		func() error { return add(gvrPVC, "PersistentVolumeClaim", "v1", s.pvc(size)) },
		func() error { return add(gvrDeployment, "Deployment", "apps/v1", s.registryDeployment()) },
		func() error { return add(gvrService, "Service", "v1", s.registryService()) },
	}
	if s.BuildKit {
		steps = append(steps,
			func() error { return add(gvrConfigMap, "ConfigMap", "v1", s.buildkitConfig()) },
			func() error { return add(gvrService, "Service", "v1", s.buildkitService()) },
			func() error { return add(gvrStatefulSet, "StatefulSet", "apps/v1", s.buildkitStatefulSet()) },
		)
	}
	for _, f := range steps {
		if err := f(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s Spec) pvc(size resource.Quantity) *corev1.PersistentVolumeClaim {
	p := &corev1.PersistentVolumeClaim{
		ObjectMeta: meta(registryData, s.Namespace),
		Spec: corev1.PersistentVolumeClaimSpec{
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: size}},
		},
	}
	if s.StorageClass != "" {
		p.Spec.StorageClassName = &s.StorageClass
	}
	return p
}

func httpProbe(initial, period int32) *corev1.Probe {
	return &corev1.Probe{
		ProbeHandler:        corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/v2/", Port: intstr.FromInt32(registryPort)}},
		InitialDelaySeconds: initial, PeriodSeconds: period,
	}
}

func (s Spec) registryDeployment() *appsv1.Deployment {
	one := int32(1)
	return &appsv1.Deployment{
		ObjectMeta: meta(RegistryName, s.Namespace),
		Spec: appsv1.DeploymentSpec{
			Replicas: &one,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": RegistryName}},
			// A ReadWriteOnce volume cannot be mounted by old and new pod at once.
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels(RegistryName)},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{
						Name:  "registry",
						Image: s.RegistryImage,
						Ports: []corev1.ContainerPort{{Name: "registry", ContainerPort: registryPort, Protocol: corev1.ProtocolTCP}},
						Env:   []corev1.EnvVar{{Name: "REGISTRY_STORAGE_DELETE_ENABLED", Value: "true"}},
						Resources: corev1.ResourceRequirements{
							Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("256Mi")},
							Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m"), corev1.ResourceMemory: resource.MustParse("512Mi")},
						},
						LivenessProbe:  httpProbe(5, 10),
						ReadinessProbe: httpProbe(2, 5),
						VolumeMounts:   []corev1.VolumeMount{{Name: "registry-data", MountPath: "/var/lib/registry"}},
					}},
					Volumes: []corev1.Volume{{Name: "registry-data", VolumeSource: corev1.VolumeSource{
						PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: registryData},
					}}},
				},
			},
		},
	}
}

func (s Spec) registryService() *corev1.Service {
	svc := &corev1.Service{
		ObjectMeta: meta(RegistryName, s.Namespace),
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeClusterIP,
			Selector: map[string]string{"app": RegistryName},
			Ports:    []corev1.ServicePort{{Name: "registry", Port: registryPort, TargetPort: intstr.FromInt32(registryPort), Protocol: corev1.ProtocolTCP}},
		},
	}
	if s.NodePort != 0 {
		svc.Spec.Type = corev1.ServiceTypeNodePort
		svc.Spec.Ports[0].NodePort = s.NodePort
	}
	return svc
}

// buildkitConfig lets buildkitd pull base images from the in-cluster registry over HTTP.
func (s Spec) buildkitConfig() *corev1.ConfigMap {
	return &corev1.ConfigMap{
		ObjectMeta: meta(buildkitCfg, s.Namespace),
		Data: map[string]string{"buildkitd.toml": fmt.Sprintf("[registry.%q]\n  http = true\n  insecure = true\n[registry.%q]\n  http = true\n  insecure = true\n",
			s.PushAddress(), s.PullAddress())},
	}
}

func (s Spec) buildkitService() *corev1.Service {
	return &corev1.Service{
		ObjectMeta: meta(BuildKitName, s.Namespace),
		Spec: corev1.ServiceSpec{
			ClusterIP: corev1.ClusterIPNone, // headless, for the StatefulSet's stable pod name
			Selector:  map[string]string{"app": BuildKitName},
			Ports:     []corev1.ServicePort{{Name: "unused", Port: 1234, Protocol: corev1.ProtocolTCP}},
		},
	}
}

func (s Spec) buildkitStatefulSet() *appsv1.StatefulSet {
	one, privileged := int32(1), true
	probe := &corev1.Probe{
		ProbeHandler:        corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"buildctl", "debug", "workers"}}},
		InitialDelaySeconds: 5, PeriodSeconds: 30,
	}
	return &appsv1.StatefulSet{
		ObjectMeta: meta(BuildKitName, s.Namespace),
		Spec: appsv1.StatefulSetSpec{
			// A StatefulSet so the pod is always buildkitd-0, the kube-pod:// address.
			ServiceName: BuildKitName,
			Replicas:    &one,
			Selector:    &metav1.LabelSelector{MatchLabels: map[string]string{"app": BuildKitName}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels(BuildKitName)},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{
						Name:            "buildkitd",
						Image:           s.BuildKitImage,
						Args:            []string{"--addr", "unix:///run/buildkit/buildkitd.sock", "--config", "/etc/buildkit/buildkitd.toml"},
						SecurityContext: &corev1.SecurityContext{Privileged: &privileged},
						Resources: corev1.ResourceRequirements{
							Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m"), corev1.ResourceMemory: resource.MustParse("1Gi")},
						},
						ReadinessProbe: probe,
						LivenessProbe:  probe,
						VolumeMounts: []corev1.VolumeMount{
							{Name: "config", MountPath: "/etc/buildkit"},
							{Name: "state", MountPath: "/var/lib/buildkit"},
						},
					}},
					Volumes: []corev1.Volume{
						{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: buildkitCfg}}}},
						// Build cache only: losing it costs a re-download, nothing else.
						{Name: "state", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
					},
				},
			},
		},
	}
}
