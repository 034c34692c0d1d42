package buildinfra

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

type infraModel struct {
	ID                   types.String   `tfsdk:"id"`
	Namespace            types.String   `tfsdk:"namespace"`
	RegistryImage        types.String   `tfsdk:"registry_image"`
	RegistryStorageSize  types.String   `tfsdk:"registry_storage_size"`
	RegistryStorageClass types.String   `tfsdk:"registry_storage_class"`
	RegistryNodePort     types.Int64    `tfsdk:"registry_node_port"`
	RetainRegistryData   types.Bool     `tfsdk:"retain_registry_data"`
	BuildKit             types.Bool     `tfsdk:"buildkit"`
	BuildKitImage        types.String   `tfsdk:"buildkit_image"`
	Wait                 types.Bool     `tfsdk:"wait"`
	RegistryPushAddress  types.String   `tfsdk:"registry_push_address"`
	RegistryPullAddress  types.String   `tfsdk:"registry_pull_address"`
	BuilderAddress       types.String   `tfsdk:"builder_address"`
	Timeouts             timeouts.Value `tfsdk:"timeouts"`
}

func (m *infraModel) spec() Spec {
	return Spec{
		Namespace:     m.Namespace.ValueString(),
		RegistryImage: m.RegistryImage.ValueString(),
		StorageSize:   m.RegistryStorageSize.ValueString(),
		StorageClass:  m.RegistryStorageClass.ValueString(),
		NodePort:      int32(m.RegistryNodePort.ValueInt64()),
		BuildKit:      m.BuildKit.ValueBool(),
		BuildKitImage: m.BuildKitImage.ValueString(),
	}
}

func (m *infraModel) setComputed() {
	s := m.spec()
	m.ID = types.StringValue(s.Namespace)
	m.RegistryPushAddress = types.StringValue(s.PushAddress())
	m.RegistryPullAddress = types.StringValue(s.PullAddress())
	m.BuilderAddress = types.StringNull()
	if s.BuildKit {
		m.BuilderAddress = types.StringValue(s.BuilderAddress())
	}
}

func (r *infraResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "In-cluster build infrastructure for `kubefoundry_gguf_image`: a registry (`registry:2`) Deployment whose " +
			"storage is a PersistentVolumeClaim, its Service, and a buildkitd StatefulSet, all in `namespace`.\n\n" +
			"**How nodes pull.** The registry Service is a NodePort (default 30500), so kubelets pull `localhost:30500/<name>`: " +
			"containerd and CRI-O use plain HTTP for `localhost` without configuration. This relies on kube-proxy answering " +
			"NodePorts on 127.0.0.1, which iptables mode does; with IPVS or nftables mode, or no kube-proxy, add a registry mirror " +
			"for `localhost:30500` on each node pointing at the Service's ClusterIP (containerd `hosts.toml`), or set " +
			"`registry_node_port = 0` and use a registry the nodes trust. Builds push to `registry_push_address` from inside the " +
			"cluster (the buildkitd pod, via `builder_address`); the `direct` method pushes from where Terraform runs, so it needs " +
			"a port-forward to the registry (`registry.address` on the image).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The namespace.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"namespace": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(DefaultNamespace),
				MarkdownDescription: "Namespace for everything; created if missing and left in place on destroy. Defaults to `kubefoundry-system`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"registry_image": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(DefaultRegistryImage),
				MarkdownDescription: "Registry image (CNCF Distribution). Defaults to `" + DefaultRegistryImage + "`.",
			},
			"registry_storage_size": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(DefaultStorageSize),
				MarkdownDescription: "Size of the registry's PersistentVolumeClaim. Can grow if the storage class allows expansion. Defaults to `10Gi`.",
			},
			"registry_storage_class": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Storage class of the registry's volume; the cluster default when unset. Changing it replaces the registry and its images.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"registry_node_port": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(DefaultNodePort),
				MarkdownDescription: "NodePort kubelets pull through (`localhost:<port>`). `0` makes the Service ClusterIP only. Defaults to `30500`.",
				Validators:          []validator.Int64{int64validator.Any(int64validator.OneOf(0), int64validator.Between(30000, 32767))},
			},
			"retain_registry_data": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Keep the registry's PersistentVolumeClaim (and so its images) on destroy.",
			},
			"buildkit": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Run a buildkitd StatefulSet (privileged pod) for the `buildkit` method.",
			},
			"buildkit_image": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(DefaultBuildKitImage),
				MarkdownDescription: "buildkitd image; it must contain `buildctl` for `kube-pod://` connections. Defaults to `" + DefaultBuildKitImage + "`.",
			},
			"wait": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Wait until the registry Deployment is available and buildkitd is ready.",
			},
			"registry_push_address": schema.StringAttribute{
				Computed: true, MarkdownDescription: "In-cluster address builds push to: use it as `registry.address` of `kubefoundry_gguf_image` (with `insecure = true`).",
			},
			"registry_pull_address": schema.StringAttribute{
				Computed: true, MarkdownDescription: "Registry host nodes pull from: prefix `repository` of `kubefoundry_gguf_image` with it.",
			},
			"builder_address": schema.StringAttribute{
				Computed: true, MarkdownDescription: "`kube-pod://` address of buildkitd for `builder.address`; null when `buildkit = false`.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}
