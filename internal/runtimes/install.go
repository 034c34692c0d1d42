package runtimes

import (
	"context"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
)

// InstallSpec is everything needed to install (and uninstall) a runtime's operator.
// Every version is pinned so plans are reproducible.
type InstallSpec struct {
	// Namespace is the operator's namespace (created by the chart install).
	Namespace string
	Charts    []Chart
	// PreCRDs are applied, in order, before the charts are installed.
	PreCRDs []CRDSource
	// CRDNames are the CRDs whose presence shows the runtime is installed (any one suffices).
	CRDNames []string
	// RemoveCRDsOnUninstall lists the CRDs deleted by an explicit CRD uninstall.
	RemoveCRDsOnUninstall []string
	OperatorNamespace     string
	// OperatorSelectors are pod label selectors tried in order to find the operator.
	OperatorSelectors []string
}

// Chart is one Helm release. Either RepoURL+Chart (a repository chart) or ChartURL (a
// tarball fetched by URL) is set.
type Chart struct {
	Release         string
	Chart           string
	RepoName        string
	RepoURL         string
	ChartURL        string
	Version         string
	Namespace       string
	CreateNamespace bool
	SkipCRDs        bool
	Values          map[string]any
}

// CRDSource is a CRD manifest fetched from a pinned URL.
type CRDSource struct {
	Name string
	URL  string
}

// InstallationStatus is the result of CheckInstallation.
type InstallationStatus struct {
	Installed       bool
	CRDFound        bool
	OperatorRunning bool
	// Version is the operator image tag when the operator pod was found.
	Version string
	Message string
}

// GPU operator facts. It is not a deployment runtime but a prerequisite for GPU nodes.
const (
	GPUOperatorVersion   = "v25.10.1"
	GPUOperatorNamespace = "gpu-operator"
)

// GPUOperatorInstall returns the install facts for the NVIDIA GPU operator.
func GPUOperatorInstall() InstallSpec {
	return InstallSpec{
		Namespace: GPUOperatorNamespace,
		Charts: []Chart{{
			Release:         "gpu-operator",
			Chart:           "nvidia/gpu-operator",
			RepoName:        "nvidia",
			RepoURL:         "https://helm.ngc.nvidia.com/nvidia",
			Version:         GPUOperatorVersion,
			Namespace:       GPUOperatorNamespace,
			CreateNamespace: true,
		}},
		CRDNames:          []string{"clusterpolicies.nvidia.com"},
		OperatorNamespace: GPUOperatorNamespace,
		OperatorSelectors: []string{"app=gpu-operator"},
	}
}

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// CheckInstallation is the shared implementation of Runtime.CheckInstallation: the runtime
// is installed when one of spec.CRDNames exists and a pod matching one of the operator
// selectors is Running. displayName is used in the messages.
func CheckInstallation(ctx context.Context, c kubernetes.Interface, d dynamic.Interface, displayName string, spec InstallSpec) (InstallationStatus, error) {
	var st InstallationStatus
	for _, name := range spec.CRDNames {
		_, err := d.Resource(crdGVR).Get(ctx, name, metav1.GetOptions{})
		if err == nil {
			st.CRDFound = true
			break
		}
		if !apierrors.IsNotFound(err) {
			return st, fmt.Errorf("looking up CRD %s: %w", name, err)
		}
	}
	pod, err := findRunningPod(ctx, c, spec.OperatorNamespace, spec.OperatorSelectors)
	if err != nil {
		return st, err
	}
	if pod != nil {
		st.OperatorRunning = true
		st.Version = imageTag(pod)
	}
	st.Installed = st.CRDFound && st.OperatorRunning
	switch {
	case st.Installed:
		st.Message = displayName + " is installed and running"
	case !st.CRDFound:
		st.Message = fmt.Sprintf("%s CRD not found (%s); install the %s operator", displayName, strings.Join(spec.CRDNames, ", "), displayName)
	default:
		st.Message = fmt.Sprintf("%s operator is not running: no Running pod in namespace %q matches %s", displayName, spec.OperatorNamespace, strings.Join(spec.OperatorSelectors, " or "))
	}
	return st, nil
}

func findRunningPod(ctx context.Context, c kubernetes.Interface, ns string, selectors []string) (*corev1.Pod, error) {
	for _, sel := range selectors {
		pods, err := c.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: sel})
		if apierrors.IsNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("listing operator pods in %s (%s): %w", ns, sel, err)
		}
		for i := range pods.Items {
			if pods.Items[i].Status.Phase == corev1.PodRunning {
				return &pods.Items[i], nil
			}
		}
	}
	return nil, nil
}

// imageTag returns the tag of the pod's first container image ("" when untagged).
func imageTag(pod *corev1.Pod) string {
	if len(pod.Spec.Containers) == 0 {
		return ""
	}
	image := pod.Spec.Containers[0].Image
	if i := strings.Index(image, "@"); i >= 0 {
		image = image[:i]
	}
	slash := strings.LastIndex(image, "/")
	if colon := strings.LastIndex(image, ":"); colon > slash {
		return strings.TrimPrefix(image[colon+1:], "v")
	}
	return ""
}
