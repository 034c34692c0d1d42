package modeldeployment

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// ownerAnnotation marks the custom resources this resource type creates with the
// Terraform resource they belong to. Terraform tells a provider nothing stable about the
// resource instance (no address, no state lineage) and an interrupted apply saves nothing,
// so the marker is derived from what the next apply sees again: the provider's
// `ownership_id`, the kind, the namespace and the name.
const ownerAnnotation = "kubefoundry.io/terraform-resource"

// ownerMarker is the annotation value for one deployment.
func ownerMarker(ownershipID, kind, namespace, name string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("kubefoundry_model_deployment\x00%s\x00%s\x00%s\x00%s", ownershipID, kind, namespace, name)))
	return "kubefoundry_model_deployment/" + hex.EncodeToString(sum[:12])
}

// markOwned adds the marker to the object about to be applied. It is applied with every
// create and update so server-side apply keeps owning it.
func markOwned(obj *unstructured.Unstructured, marker string) {
	ann := obj.GetAnnotations()
	if ann == nil {
		ann = map[string]string{}
	}
	ann[ownerAnnotation] = marker
	obj.SetAnnotations(ann)
}

// adoptable tells whether an existing object was created by this configuration's resource
// (an apply interrupted before its state was saved). A marker that does not match, or none,
// means someone else's object: refused, with the import hint.
func adoptable(existing *unstructured.Unstructured, marker string) bool {
	return existing.GetAnnotations()[ownerAnnotation] == marker && existing.GetDeletionTimestamp() == nil
}
