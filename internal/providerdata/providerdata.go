// Package providerdata carries what the provider's Configure hands to every resource,
// data source and function: the lazily connected Kubernetes client and settings.
package providerdata

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/cost"
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
	// OwnershipID is the provider's `ownership_id`: part of the marker by which an apply
	// recognises objects an interrupted apply of the same configuration created.
	OwnershipID string
	HuggingFace HuggingFace
	Version     string
	// Pricing is the provider's `pricing`: GPU-hour prices over the built-in table.
	Pricing cost.Pricing

	nsOnce          sync.Once
	nsFromConfigMap string
	nsWarning       string
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

// KubeFoundry's own settings, read for the default namespace (upstream notes §6).
const (
	kubefoundryConfigNamespace = "kubefoundry-system"
	kubefoundryConfigMap       = "kubefoundry-config"
)

// ResolveDefaultNamespace returns the provider's default_namespace, else the
// `defaultNamespace` of KubeFoundry's ConfigMap when a cluster is configured and has one,
// else "". The ConfigMap is read once per provider process.
func (d *Data) ResolveDefaultNamespace(ctx context.Context, diags *diag.Diagnostics) string {
	if d.DefaultNamespace != "" {
		return d.DefaultNamespace
	}
	if d.Kube == nil {
		return ""
	}
	d.nsOnce.Do(func() {
		c, err := d.Kube.Client(ctx)
		if err != nil {
			return // configuration errors surface where the cluster is needed
		}
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		cm, err := c.Typed.CoreV1().ConfigMaps(kubefoundryConfigNamespace).Get(ctx, kubefoundryConfigMap, metav1.GetOptions{})
		if err != nil {
			if !kube.IsNotFound(err) {
				d.nsWarning = fmt.Sprintf("Could not read ConfigMap %s/%s for the default namespace (%v); using the runtime's default namespace. "+
					"Set `namespace` or the provider's `default_namespace` to avoid this lookup.", kubefoundryConfigNamespace, kubefoundryConfigMap, err)
			}
			return
		}
		var settings struct {
			DefaultNamespace string `json:"defaultNamespace"`
		}
		if err := json.Unmarshal([]byte(cm.Data["config.json"]), &settings); err == nil {
			d.nsFromConfigMap = settings.DefaultNamespace
		}
	})
	if d.nsWarning != "" {
		diags.AddWarning("Default namespace not read from KubeFoundry", d.nsWarning)
	}
	return d.nsFromConfigMap
}
