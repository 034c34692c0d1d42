package kube

import (
	"context"
	"encoding/json"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

// ApplyOptions tunes a server-side apply.
type ApplyOptions struct {
	// Force takes ownership of fields another manager owns.
	Force bool
	// DryRun asks the server to validate and default without persisting.
	DryRun bool
}

// Apply server-side applies obj with the kubefoundry field manager and strict field
// validation, so a field the server does not know is an error rather than silently pruned.
func (c *Client) Apply(ctx context.Context, gvr schema.GroupVersionResource, obj *unstructured.Unstructured, opts ApplyOptions) (*unstructured.Unstructured, error) {
	body, err := json.Marshal(obj.Object)
	if err != nil {
		return nil, fmt.Errorf("encoding %s %s: %w", obj.GetKind(), obj.GetName(), err)
	}
	po := metav1.PatchOptions{FieldManager: FieldManager, FieldValidation: "Strict", Force: &opts.Force}
	if opts.DryRun {
		po.DryRun = []string{metav1.DryRunAll}
	}
	return c.Dynamic.Resource(gvr).Namespace(obj.GetNamespace()).Patch(ctx, obj.GetName(), types.ApplyPatchType, body, po)
}
