package helminstall

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/version"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
)

// bundleVersionAnnotation is the release an Inference Extension CRD comes from
// (gateway-api-inference-extension config/crd/bases, every release).
const bundleVersionAnnotation = "inference.networking.k8s.io/bundle-version"

// keepInstalled reports whether the cluster's CRD of the same name comes from a newer
// Inference Extension release than the one we would apply: applying ours would downgrade it
// for whoever installed it (a newer router or gateway), so it is left alone.
func keepInstalled(installed, ours *unstructured.Unstructured) bool {
	if installed == nil {
		return false
	}
	have, err := version.ParseGeneric(installed.GetAnnotations()[bundleVersionAnnotation])
	if err != nil {
		return false
	}
	want, err := version.ParseGeneric(ours.GetAnnotations()[bundleVersionAnnotation])
	if err != nil {
		return false
	}
	return want.LessThan(have)
}

// newerInstalled returns a warning when the cluster already holds a newer release of crd.
func newerInstalled(ctx context.Context, c *kube.Client, crd *unstructured.Unstructured) (string, error) {
	if crd.GetAnnotations()[bundleVersionAnnotation] == "" {
		return "", nil
	}
	installed, err := c.Dynamic.Resource(crdGVR).Get(ctx, crd.GetName(), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("looking up CRD %s: %w", crd.GetName(), err)
	}
	if !keepInstalled(installed, crd) {
		return "", nil
	}
	return fmt.Sprintf("CRD %s from Inference Extension %s is already installed and was kept: it is newer than %s, which this runtime pins",
		crd.GetName(), installed.GetAnnotations()[bundleVersionAnnotation], crd.GetAnnotations()[bundleVersionAnnotation]), nil
}
