package modeldeployment

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// errVersionNotServed: the runtime's CRD exists but does not serve the API version we render.
var errVersionNotServed = errors.New("API version not served")

// servedVersions lists the versions a CRD serves.
func servedVersions(crd *apiextensionsv1.CustomResourceDefinition) []string {
	var out []string
	for _, v := range crd.Spec.Versions {
		if v.Served {
			out = append(out, v.Name)
		}
	}
	return out
}

// versionMismatch explains, naming the attribute to set, that crd does not serve the
// version runtime renders; "" when it does.
func versionMismatch(runtime rt.Runtime, crd *apiextensionsv1.CustomResourceDefinition) string {
	served := servedVersions(crd)
	if slices.Contains(served, runtime.CRD().Version) {
		return ""
	}
	if a, ok := runtime.(rt.VersionAdvisor); ok {
		return a.UnservedVersion(served)
	}
	return fmt.Sprintf("the cluster's %s CRD serves %v, not %s", crd.Name, served, runtime.CRD().Version)
}

// unservedVersion reads the runtime's CRD after a "resource type not found" and reports a
// version mismatch (ok) rather than a missing CRD.
func unservedVersion(ctx context.Context, c *kube.Client, runtime rt.Runtime) (string, bool) {
	obj, err := c.Dynamic.Resource(crdGVR).Get(ctx, runtime.CRD().Name(), metav1.GetOptions{})
	if err != nil {
		return "", false
	}
	var crd apiextensionsv1.CustomResourceDefinition
	if err := rt.FromMap(obj.Object, &crd); err != nil {
		return "", false
	}
	msg := versionMismatch(runtime, &crd)
	return msg, msg != ""
}

// requireReplace marks the attributes the runtime's operator will not change in place
// (rt.AttributeReplacer) as requiring replacement when the plan changes them.
func (r *deploymentResource) requireReplace(_ context.Context, runtime rt.Runtime, cfg rt.DeploymentConfig, state tfsdk.State, resp *resource.ModifyPlanResponse) {
	rep, ok := runtime.(rt.AttributeReplacer)
	if !ok {
		return
	}
	for _, attr := range rep.ReplaceOnChange(cfg) {
		p := tftypes.NewAttributePath().WithAttributeName(attr)
		before, _, err1 := tftypes.WalkAttributePath(state.Raw, p)
		after, _, err2 := tftypes.WalkAttributePath(resp.Plan.Raw, p)
		b, okB := before.(tftypes.Value)
		a, okA := after.(tftypes.Value)
		if err1 != nil || err2 != nil || !okA || !okB || b.IsNull() || !a.IsKnown() {
			continue
		}
		if !a.Equal(b) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root(attr))
		}
	}
}
