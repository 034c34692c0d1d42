package modeldeployment

import (
	"strings"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo"
)

// The apply-time check names the attribute to set, in both directions; a CRD that serves
// the rendered version (also through conversion) passes.
func TestVersionMismatchNamesTheAttribute(t *testing.T) {
	crd := func(versions ...string) *apiextensionsv1.CustomResourceDefinition {
		c := &apiextensionsv1.CustomResourceDefinition{}
		c.Name = "dynamographdeployments.nvidia.com"
		for _, v := range versions {
			c.Spec.Versions = append(c.Spec.Versions, apiextensionsv1.CustomResourceDefinitionVersion{Name: v, Served: true})
		}
		return c
	}
	beta, alpha := rt.Runtime(dynamo.Runtime{}), rt.Runtime(dynamo.V1Alpha1{})
	if msg := versionMismatch(beta, crd("v1alpha1")); !strings.Contains(msg, `set `+"`"+`dynamo = { api_version = "v1alpha1" }`) {
		t.Errorf("0.x cluster, v1beta1 config: %q", msg)
	}
	if msg := versionMismatch(alpha, crd("v1beta1")); !strings.Contains(msg, `remove `+"`"+`dynamo = { api_version = "v1alpha1" }`) {
		t.Errorf("v1beta1-only cluster, v1alpha1 config: %q", msg)
	}
	for _, r := range []rt.Runtime{beta, alpha} {
		if msg := versionMismatch(r, crd("v1alpha1", "v1beta1")); msg != "" {
			t.Errorf("Dynamo 1.4 CRD serves both versions, got %q", msg)
		}
	}
	if got := versionAttribute(beta).String(); got != "dynamo.api_version" {
		t.Errorf("versionAttribute = %s", got)
	}
}
