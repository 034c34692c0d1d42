package modeldeployment

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/llmd"
)

// requiredCRD is a Gateway API type the gateway block needs, with how to install it.
type requiredCRD struct {
	gvr     schema.GroupVersionResource
	name    string
	install string
}

func requiredCRDs(g *rt.Gateway) []requiredCRD {
	out := []requiredCRD{{gateway.HTTPRouteGVR, gateway.HTTPRouteCRD, "install the Gateway API standard channel CRDs (e.g. " +
		"kubectl apply -f https://github.com/kubernetes-sigs/gateway-api/releases/download/" + gateway.GatewayAPIVersion + "/standard-install.yaml) " +
		"and a Gateway controller"}}
	if g.PoolEnabled() {
		out = append(out, requiredCRD{gateway.PoolGVR, gateway.PoolCRD, "install the Gateway API Inference Extension CRDs (e.g. " +
			"kubectl apply -f https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/" +
			gateway.InferenceExtensionVersion + "/manifests.yaml), or set gateway.inference_pool = false to route to the deployment's Service"})
	}
	return out
}

// checkGatewayCRDs fails the apply before anything is written when the cluster does not
// serve a type the gateway block needs (the plan stays offline, so this is the first chance).
func checkGatewayCRDs(ctx context.Context, c *kube.Client, cfg rt.DeploymentConfig, diags *diag.Diagnostics) bool {
	crds, attr := []requiredCRD(nil), path.Root("gateway")
	switch {
	case cfg.Gateway != nil:
		crds = requiredCRDs(cfg.Gateway)
	case cfg.Runtime == llmd.ID: // its InferencePool, with or without a route
		crds, attr = []requiredCRD{{gateway.PoolGVR, gateway.PoolCRD, "llm-d serves through an InferencePool: install the Gateway API Inference Extension CRDs " +
			"(kubectl apply -f https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/" +
			gateway.InferenceExtensionVersion + "/manifests.yaml)"}}, path.Root("runtime")
	}
	ok := true
	for _, crd := range crds {
		_, err := c.Dynamic.Resource(crd.gvr).Namespace(cfg.Namespace).List(ctx, metav1.ListOptions{Limit: 1})
		if typeNotServed(err) {
			diags.AddAttributeError(attr, "Gateway API CRD not installed",
				fmt.Sprintf("gateway: the cluster does not serve %s (CRD %s): %s.", crd.gvr.GroupResource(), crd.name, crd.install))
			ok = false
		}
	}
	return ok
}

// gatewayObjects reads the route, the pool (ours or, for Dynamo, the operator's) and the
// first parent Gateway; a missing or unreadable one is nil.
func gatewayObjects(ctx context.Context, c *kube.Client, cfg rt.DeploymentConfig) (route, pool, gw *unstructured.Unstructured) {
	get := func(gvr schema.GroupVersionResource, ns, name string) *unstructured.Unstructured {
		o, err := c.Dynamic.Resource(gvr).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return nil
		}
		return o
	}
	g := cfg.Gateway
	route = get(gateway.HTTPRouteGVR, cfg.Namespace, gateway.RouteName(cfg.Name))
	if g.PoolEnabled() {
		pool = get(gateway.PoolGVR, cfg.Namespace, gateway.PoolName(cfg.Name))
	}
	if len(g.ParentRefs) > 0 {
		ns := g.ParentRefs[0].Namespace
		if ns == "" {
			ns = cfg.Namespace
		}
		gw = get(gateway.GatewayGVR, ns, g.ParentRefs[0].Name)
	}
	return route, pool, gw
}

// setGatewayStatus sets url and appends what the Gateway controllers report about the
// route and pool to status_message; without the block url is null.
func setGatewayStatus(ctx context.Context, c *kube.Client, cfg rt.DeploymentConfig, m *model) {
	if cfg.Gateway == nil {
		m.URL = types.StringNull()
		return
	}
	route, pool, gw := gatewayObjects(ctx, c, cfg)
	m.URL = types.StringValue(gateway.URL(cfg.Gateway, gw))
	poolName := ""
	if cfg.Gateway.PoolEnabled() {
		poolName = gateway.PoolName(cfg.Name)
	}
	summary := gatewayMarker + gateway.Summary(route, pool, gateway.RouteName(cfg.Name), poolName)
	msg := m.StatusMessage.ValueString()
	if i := strings.Index(msg, gatewayMarker); i >= 0 { // an earlier summary of this apply
		msg = strings.TrimSuffix(msg[:i], "; ")
	}
	if msg != "" && !m.StatusMessage.IsUnknown() {
		summary = msg + "; " + summary
	}
	m.StatusMessage = types.StringValue(summary)
}

// gatewayMarker starts the gateway's part of status_message.
const gatewayMarker = "gateway: "

// planURL: null without the block; otherwise known only after apply (it comes from the Gateway).
func planURL(config model, plan *model) {
	if config.Gateway.IsNull() {
		plan.URL = types.StringNull()
	}
}
