package modeldeployment

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

type podSettingsModel struct {
	Image              types.String    `tfsdk:"image"`
	Env                types.Map       `tfsdk:"env"`
	EnvFrom            types.List      `tfsdk:"env_from"`
	NodeSelector       types.Map       `tfsdk:"node_selector"`
	Tolerations        types.List      `tfsdk:"tolerations"`
	Resources          *resourcesModel `tfsdk:"resources"`
	Labels             types.Map       `tfsdk:"labels"`
	Annotations        types.Map       `tfsdk:"annotations"`
	ServiceAccountName types.String    `tfsdk:"service_account_name"`
	ImagePullSecrets   types.List      `tfsdk:"image_pull_secrets"`
	PriorityClassName  types.String    `tfsdk:"priority_class_name"`
}

type envFromModel struct {
	Secret    types.String `tfsdk:"secret"`
	ConfigMap types.String `tfsdk:"config_map"`
	Prefix    types.String `tfsdk:"prefix"`
}

type tolerationModel struct {
	Key               types.String `tfsdk:"key"`
	Operator          types.String `tfsdk:"operator"`
	Value             types.String `tfsdk:"value"`
	Effect            types.String `tfsdk:"effect"`
	TolerationSeconds types.Int64  `tfsdk:"toleration_seconds"`
}

type resourcesModel struct {
	CPU             types.String `tfsdk:"cpu"`
	Extra           types.Map    `tfsdk:"extra"`
	GPUResourceName types.String `tfsdk:"gpu_resource_name"`
}

type rolesModel struct {
	Frontend *podSettingsModel `tfsdk:"frontend"`
	Worker   *podSettingsModel `tfsdk:"worker"`
	Prefill  *podSettingsModel `tfsdk:"prefill"`
	Decode   *podSettingsModel `tfsdk:"decode"`
	Head     *podSettingsModel `tfsdk:"head"`
}

type modelCacheModel struct {
	ClaimName            types.String `tfsdk:"claim_name"`
	Size                 types.String `tfsdk:"size"`
	StorageClass         types.String `tfsdk:"storage_class"`
	AccessMode           types.String `tfsdk:"access_mode"`
	MountPath            types.String `tfsdk:"mount_path"`
	Download             types.Bool   `tfsdk:"download"`
	DeleteClaimOnDestroy types.Bool   `tfsdk:"delete_claim_on_destroy"`
}

// workload builds the runtime's workload settings; nil when none is used, so existing
// deployments render exactly as before. hub is the provider's Hub endpoint.
func (m model) workload(ctx context.Context, hub string, diags *diag.Diagnostics) *rt.Workload {
	w := &rt.Workload{
		Labels:      stringMap(m.Labels),
		Annotations: stringMap(m.Annotations),
		HFEndpoint:  strOf(m.HuggingFaceEndpoint),
		Overrides:   strOf(m.Overrides),
	}
	if p := objectAs[podSettingsModel](ctx, m.Pod, diags); p != nil {
		w.Pod = p.settings(ctx, diags)
	}
	if r := objectAs[rolesModel](ctx, m.Roles, diags); r != nil {
		for role, p := range map[string]*podSettingsModel{rt.RoleFrontend: r.Frontend, rt.RoleWorker: r.Worker,
			rt.RolePrefill: r.Prefill, rt.RoleDecode: r.Decode, rt.RoleHead: r.Head} {
			if p == nil {
				continue
			}
			if w.Roles == nil {
				w.Roles = map[string]rt.PodSettings{}
			}
			w.Roles[role] = p.settings(ctx, diags)
		}
	}
	if c := objectAs[modelCacheModel](ctx, m.ModelCache, diags); c != nil {
		w.ModelCache = &rt.ModelCache{ClaimName: strOf(c.ClaimName), Size: strOf(c.Size), StorageClass: strOf(c.StorageClass),
			AccessMode: strOf(c.AccessMode), MountPath: strOf(c.MountPath), Download: c.Download.ValueBool(),
			DeleteClaimOnDestroy: c.DeleteClaimOnDestroy.ValueBool()}
	}
	none := m.Pod.IsNull() && m.Roles.IsNull() && m.ModelCache.IsNull() && len(w.Labels) == 0 && len(w.Annotations) == 0 &&
		w.HFEndpoint == "" && w.Overrides == ""
	if w.HFEndpoint == "" && hub != providerdata.DefaultHubEndpoint {
		w.HFEndpoint = hub
	}
	if none && w.HFEndpoint == "" {
		return nil
	}
	return w
}

func (p podSettingsModel) settings(ctx context.Context, diags *diag.Diagnostics) rt.PodSettings {
	s := rt.PodSettings{
		Image:              strOf(p.Image),
		Env:                stringMap(p.Env),
		NodeSelector:       stringMap(p.NodeSelector),
		Labels:             stringMap(p.Labels),
		Annotations:        stringMap(p.Annotations),
		ServiceAccountName: strOf(p.ServiceAccountName),
		PriorityClassName:  strOf(p.PriorityClassName),
	}
	if items, ok := objectList[envFromModel](ctx, p.EnvFrom, diags); ok {
		s.EnvFrom = []rt.EnvFrom{}
		for _, e := range items {
			s.EnvFrom = append(s.EnvFrom, rt.EnvFrom{Secret: strOf(e.Secret), ConfigMap: strOf(e.ConfigMap), Prefix: strOf(e.Prefix)})
		}
	}
	if items, ok := objectList[tolerationModel](ctx, p.Tolerations, diags); ok {
		s.Tolerations = []rt.Toleration{} // [] clears the inherited tolerations
		for _, t := range items {
			s.Tolerations = append(s.Tolerations, rt.Toleration{Key: strOf(t.Key), Operator: strOf(t.Operator), Value: strOf(t.Value),
				Effect: strOf(t.Effect), TolerationSeconds: intPtr(t.TolerationSeconds)})
		}
	}
	if !p.ImagePullSecrets.IsNull() && !p.ImagePullSecrets.IsUnknown() {
		s.ImagePullSecrets = []string{}
		for _, v := range p.ImagePullSecrets.Elements() {
			if str, ok := v.(types.String); ok && !str.IsUnknown() && !str.IsNull() {
				s.ImagePullSecrets = append(s.ImagePullSecrets, str.ValueString())
			}
		}
	}
	if r := p.Resources; r != nil {
		s.CPU = strOf(r.CPU)
		s.GPUResourceName = strOf(r.GPUResourceName)
		if !r.Extra.IsNull() && !r.Extra.IsUnknown() {
			s.ExtraResources = stringMap(r.Extra)
		}
	}
	if !p.NodeSelector.IsNull() && s.NodeSelector == nil {
		s.NodeSelector = map[string]string{} // {} clears the inherited selector
	}
	return s
}

// hubEndpoint is the provider's Hugging Face endpoint (the public Hub when unconfigured).
func hubEndpoint(d *providerdata.Data) string {
	if d == nil || d.HuggingFace.Endpoint == "" {
		return providerdata.DefaultHubEndpoint
	}
	return d.HuggingFace.Endpoint
}

// objectList decodes a list of nested objects. Unknown elements (a variable not known at
// validation) are skipped: ValidateConfig ignores problems of unknown attributes anyway.
func objectList[T any](ctx context.Context, l types.List, diags *diag.Diagnostics) ([]T, bool) {
	if l.IsNull() || l.IsUnknown() {
		return nil, false
	}
	var out []T
	for _, v := range l.Elements() {
		o, ok := v.(types.Object)
		if !ok {
			continue
		}
		if item := objectAs[T](ctx, o, diags); item != nil {
			out = append(out, *item)
		}
	}
	return out, true
}
