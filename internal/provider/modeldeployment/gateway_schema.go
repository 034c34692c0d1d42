package modeldeployment

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// gatewayInputs are the gateway's user attributes (the resource and kubefoundry_manifest).
// Like the workload attributes they are plain Optional: the plan shows what the user wrote,
// and the objects they render are in companion_manifests (and manifest, for Dynamo's epp).
var gatewayInputs = []string{"gateway"}

func gatewayAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"gateway": schema.SingleNestedAttribute{
			Optional: true,
			MarkdownDescription: "Serve the model through an existing Gateway API `Gateway`: an `HTTPRoute` (`gateway.networking.k8s.io/v1`) " +
				"attached to it and, by default, an `InferencePool` (`inference.networking.k8s.io/v1`, Gateway API Inference Extension " +
				"v1.6) whose endpoint picker chooses the worker per request. Dynamo (v1beta1) adds its own `epp` component and " +
				"direct-mode frontend sidecars to the graph and its operator creates the pool `<name>-pool` (adding or removing the " +
				"pool replaces a Dynamo deployment: its webhook refuses new components); KubeRay gets a pool over its Serve pods " +
				"and an endpoint picker (Deployment, Service, ConfigMap, ServiceAccount, Role) rendered by the provider; KAITO " +
				"supports only `inference_pool = false`. Needs the Gateway API CRDs, and the Inference Extension CRDs for the pool. " +
				"Removing the block removes what it created. See the [serving traffic guide](../guides/serving-traffic.md).",
			Attributes: map[string]schema.Attribute{
				"parent_refs": schema.ListNestedAttribute{
					Required:            true,
					MarkdownDescription: "The Gateways (and optionally their listeners) the route attaches to; at least one.",
					NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
						"name": schema.StringAttribute{Required: true, MarkdownDescription: "Gateway name."},
						"namespace": optionalString("Gateway namespace; default: the deployment's. A Gateway in another namespace must " +
							"allow routes from this one (`allowedRoutes.namespaces`)."),
						"section_name": optionalString("Listener name on the Gateway; default: every listener that allows the route."),
					}},
				},
				"hostnames": schema.ListAttribute{ElementType: types.StringType, Optional: true,
					MarkdownDescription: "Host names the route matches, e.g. `[\"models.example.com\"]` (`*.` wildcards allowed). Default: the listener's."},
				"path": optionalString("Path prefix the route matches. Default `/`."),
				"match_model_header": schema.BoolAttribute{Optional: true,
					MarkdownDescription: "Also require the header `" + gateway.ModelHeader + "` to equal the served model name, so " +
						"several models share one host and path (the Inference Extension's body-based router sets it from the request). Default `false`."},
				"inference_pool": schema.BoolAttribute{Optional: true,
					MarkdownDescription: "Route to an `InferencePool` with an endpoint picker (default `true`); `false` routes to the " +
						"deployment's Service (round-robin by the Gateway, no Inference Extension needed)."},
				"request_timeout": optionalString("Route request timeout, a Gateway API duration. Default `300s` (long generations)."),
				"epp_image": optionalString("KubeRay only: endpoint picker image. Default `" + gateway.EPPImage + "` (the llm-d router's, " +
					"which Inference Extension v1.6 points to)."),
			},
		},
		"url": computedString("Where clients reach the model through the Gateway (scheme, host and port from the listener, " +
			"the route's host name or the Gateway's address, and `gateway.path`); empty until the Gateway reports an address, null without `gateway`."),
	}
}

type gatewayModel struct {
	ParentRefs       []gatewayParentModel `tfsdk:"parent_refs"`
	Hostnames        []types.String       `tfsdk:"hostnames"`
	Path             types.String         `tfsdk:"path"`
	MatchModelHeader types.Bool           `tfsdk:"match_model_header"`
	InferencePool    types.Bool           `tfsdk:"inference_pool"`
	RequestTimeout   types.String         `tfsdk:"request_timeout"`
	EPPImage         types.String         `tfsdk:"epp_image"`
}

type gatewayParentModel struct {
	Name        types.String `tfsdk:"name"`
	Namespace   types.String `tfsdk:"namespace"`
	SectionName types.String `tfsdk:"section_name"`
}

// gatewayConfig builds the runtime's gateway settings; nil without the block, so a
// deployment without it renders exactly as before.
func (m model) gatewayConfig(ctx context.Context, diags *diag.Diagnostics) *rt.Gateway {
	g := objectAs[gatewayModel](ctx, m.Gateway, diags)
	if g == nil {
		return nil
	}
	out := &rt.Gateway{
		Path:             strOf(g.Path),
		MatchModelHeader: g.MatchModelHeader.ValueBool(),
		InferencePool:    boolPtr(g.InferencePool),
		RequestTimeout:   strOf(g.RequestTimeout),
		EPPImage:         strOf(g.EPPImage),
	}
	for _, p := range g.ParentRefs {
		out.ParentRefs = append(out.ParentRefs, rt.GatewayParent{Name: strOf(p.Name), Namespace: strOf(p.Namespace), SectionName: strOf(p.SectionName)})
	}
	for _, h := range g.Hostnames {
		if !h.IsNull() && !h.IsUnknown() {
			out.Hostnames = append(out.Hostnames, h.ValueString())
		}
	}
	return out
}
