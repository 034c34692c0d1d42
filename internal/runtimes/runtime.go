// Package runtimes describes the inference runtimes KubeFoundry deploys to (NVIDIA Dynamo,
// KubeRay, KAITO): the custom resource each one manages, how a DeploymentConfig becomes
// manifests, how those manifests are read back, and how a live object's status maps onto a
// small set of phases. It is pure Go on top of client-go types; it knows nothing about Terraform.
package runtimes

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
)

// Runtime is one inference runtime. Implementations live in the sub-packages dynamo,
// kuberay and kaito; the registry sub-package looks them up by ID.
type Runtime interface {
	ID() string
	DisplayName() string
	Description() string
	DefaultNamespace() string
	CRD() CRD

	// Defaults fills every unset field that has a runtime default. It is idempotent.
	Defaults(cfg *DeploymentConfig)
	// Validate checks a defaulted config without talking to a cluster.
	Validate(cfg DeploymentConfig) Problems
	// Manifests renders a valid, defaulted config. The output is deterministic.
	Manifests(cfg DeploymentConfig) (Manifests, error)
	// Parse is the inverse of Manifests for the primary object (import and drift detection).
	Parse(obj *unstructured.Unstructured) (DeploymentConfig, error)
	// Status maps a live object plus its pods and events onto a Status.
	Status(obj *unstructured.Unstructured, pods []corev1.Pod, events []corev1.Event) Status
	// Endpoint is the in-cluster "host:port" of the OpenAI-compatible API.
	Endpoint(cfg DeploymentConfig) string

	// Install describes how the runtime's operator is installed (pinned versions).
	Install() InstallSpec
	// CheckInstallation reports whether the CRD exists and the operator is running.
	CheckInstallation(ctx context.Context, c kubernetes.Interface, d dynamic.Interface) (InstallationStatus, error)
}

// Manifests are the objects one deployment consists of. Primary is the runtime's custom
// resource; Companions are extra objects applied next to it (the KAITO vLLM Service).
type Manifests struct {
	Primary    *unstructured.Unstructured
	Companions []*unstructured.Unstructured
}

// All returns the primary object followed by the companions.
func (m Manifests) All() []*unstructured.Unstructured {
	out := make([]*unstructured.Unstructured, 0, 1+len(m.Companions))
	if m.Primary != nil {
		out = append(out, m.Primary)
	}
	return append(out, m.Companions...)
}

// Versioned is implemented by a runtime that renders more than one API version of its
// custom resource: one Runtime value per version, behind the same interface.
type Versioned interface {
	// ForConfig returns the Runtime that renders the API version cfg selects.
	ForConfig(cfg DeploymentConfig) Runtime
	// Versions lists one Runtime per API version, the default first.
	Versions() []Runtime
}

// ForConfig returns the version-specific Runtime for cfg (r itself for single-version runtimes).
func ForConfig(r Runtime, cfg DeploymentConfig) Runtime {
	if v, ok := r.(Versioned); ok {
		return v.ForConfig(cfg)
	}
	return r
}

// Versions lists the Runtimes of every API version r renders (just r for most runtimes).
func Versions(r Runtime) []Runtime {
	if v, ok := r.(Versioned); ok {
		return v.Versions()
	}
	return []Runtime{r}
}

// VersionAdvisor is implemented by runtimes that can tell the user which attribute to set
// when the cluster serves their CRD, but not at the version they render.
type VersionAdvisor interface {
	// UnservedVersion explains the mismatch; served lists the versions the cluster serves.
	UnservedVersion(served []string) string
}

// AttributeReplacer is implemented by runtimes whose operator rejects some in-place changes:
// the top-level attributes whose change must replace the deployment instead of updating it.
type AttributeReplacer interface {
	ReplaceOnChange(cfg DeploymentConfig) []string
}

// PodOwner is implemented by runtimes that know the exact labels their operator puts on a
// deployment's pods, so a wait never reads a sibling deployment's pods.
type PodOwner interface {
	// OwnsPod reports whether pod belongs to the deployment whose live primary object is obj.
	OwnsPod(obj *unstructured.Unstructured, pod corev1.Pod) bool
}

// Replacer is implemented by runtimes whose operator rejects or never rolls out some
// in-place changes; such a change is planned as a replacement (delete, then create).
type Replacer interface {
	// ReplaceReasons compares the applied primary object with the planned one and says, per
	// changed field, why the operator cannot take the change in place. Empty: update in place.
	ReplaceReasons(prior, planned *unstructured.Unstructured) []string
}

// Settler is implemented by runtimes whose operator can report the previous spec's healthy
// status as current right after an update; the wait then needs Running to hold this long.
type Settler interface {
	SettleAfterUpdate() time.Duration
}

// Claimer is implemented by runtimes whose primary object is a built-in kind other tools
// create too (the vLLM runtime's Deployment): import and lookups by name only take an
// object the runtime rendered.
type Claimer interface {
	Claims(obj *unstructured.Unstructured) bool
}
