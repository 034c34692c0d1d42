// Package providerdata carries what the provider's Configure hands to every resource,
// data source and function: the lazily connected Kubernetes client and settings.
package providerdata

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
)

// HuggingFace holds the Hub endpoint and token. The token is never logged or stored in state.
type HuggingFace struct {
	Endpoint string
	Token    string
}

// Data is the provider-level configuration shared with resources and data sources.
type Data struct {
	// Kube connects on first use; plan-only work never touches the cluster.
	Kube *kube.Lazy
	// DefaultNamespace is the provider's `default_namespace`, or "" when not set.
	DefaultNamespace string
	HuggingFace      HuggingFace
	Version          string
}

// DefaultHubEndpoint is the public Hugging Face Hub.
const DefaultHubEndpoint = "https://huggingface.co"

// From converts the framework's ProviderData. It returns nil without a diagnostic while
// the provider is not configured yet (the framework calls Configure early on purpose).
func From(providerData any, diags *diag.Diagnostics) *Data {
	if providerData == nil {
		return nil
	}
	d, ok := providerData.(*Data)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("expected *providerdata.Data, got %T; this is a bug in the provider, please report it", providerData))
		return nil
	}
	return d
}

// KubeClient returns the cluster client or adds a diagnostic saying how to configure one.
func (d *Data) KubeClient(ctx context.Context, diags *diag.Diagnostics) *kube.Client {
	if d == nil || d.Kube == nil {
		diags.AddError("Kubernetes cluster not configured", kube.ErrNotConfigured.Error())
		return nil
	}
	c, err := d.Kube.Client(ctx)
	if errors.Is(err, kube.ErrNotConfigured) {
		diags.AddError("Kubernetes cluster not configured", err.Error())
		return nil
	}
	if err != nil {
		diags.AddError("Cannot connect to the Kubernetes cluster", err.Error())
		return nil
	}
	return c
}
