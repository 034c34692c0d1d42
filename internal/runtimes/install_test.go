package runtimes

import (
	"context"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes/fake"
)

func operatorPod(phase corev1.PodPhase) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "op", Namespace: "op-system", Labels: map[string]string{"app.kubernetes.io/name": "op"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "manager", Image: "ghcr.io/example/operator:v1.5.1"}}},
		Status:     corev1.PodStatus{Phase: phase},
	}
}

func crdObject(name string) *unstructured.Unstructured {
	u := &unstructured.Unstructured{}
	u.SetAPIVersion("apiextensions.k8s.io/v1")
	u.SetKind("CustomResourceDefinition")
	u.SetName(name)
	return u
}

func TestCheckInstallation(t *testing.T) {
	spec := InstallSpec{
		CRDNames:          []string{"things.example.com"},
		OperatorNamespace: "op-system",
		OperatorSelectors: []string{"app=missing", "app.kubernetes.io/name=op"},
	}
	scheme := runtime.NewScheme()
	listKinds := map[schema.GroupVersionResource]string{crdGVR: "CustomResourceDefinitionList"}
	for _, tc := range []struct {
		name    string
		crd     bool
		pod     *corev1.Pod
		want    InstallationStatus
		message string
	}{
		{"nothing", false, nil, InstallationStatus{}, "CRD not found"},
		{"crd only", true, nil, InstallationStatus{CRDFound: true}, "operator is not running"},
		{"pending operator", true, operatorPod(corev1.PodPending), InstallationStatus{CRDFound: true}, "operator is not running"},
		{"installed", true, operatorPod(corev1.PodRunning), InstallationStatus{Installed: true, CRDFound: true, OperatorRunning: true, Version: "1.5.1"}, "installed and running"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var objs []runtime.Object
			if tc.crd {
				objs = append(objs, crdObject("things.example.com"))
			}
			d := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(scheme, listKinds, objs...)
			c := fake.NewClientset()
			if tc.pod != nil {
				c = fake.NewClientset(tc.pod)
			}
			got, err := CheckInstallation(context.Background(), c, d, "Example", spec)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got.Message, tc.message) {
				t.Errorf("message %q lacks %q", got.Message, tc.message)
			}
			got.Message = ""
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestGPUOperatorInstallIsPinned(t *testing.T) {
	spec := GPUOperatorInstall()
	if len(spec.Charts) != 1 || spec.Charts[0].Version == "" || spec.Charts[0].Version == "latest" {
		t.Fatalf("GPU operator chart not pinned: %+v", spec.Charts)
	}
}
