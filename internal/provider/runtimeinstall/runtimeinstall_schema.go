package runtimeinstall

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/helminstall"
)

func (r *installResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	ids := helminstall.IDs()
	resp.Schema = schema.Schema{
		MarkdownDescription: "Installs a runtime's operator with the Helm SDK (no `helm` binary): the runtime's CRDs are server-side applied and " +
			"waited for first (also on upgrade, which Helm never does for CRDs), then each chart of the runtime is installed or upgraded in order. " +
			"A release left `failed` or `pending-*` by an interrupted run is recovered with a warning. Out-of-band changes to the chart version, " +
			"values, releases or CRDs show up as a diff. Destroying keeps the CRDs (and so every model deployment) unless `remove_crds_on_destroy` is set.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<namespace>/<runtime>`; also the import ID (`<runtime>` alone imports from the runtime's default namespace).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"runtime": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Runtime to install: one of " + code(ids) + ". Changing it replaces the installation. " + llmdDoc,
				Validators:          []validator.String{stringvalidator.OneOf(ids...)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"version": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Chart version (for Dynamo, of both its charts). Defaults to the version pinned in this provider release " +
					"(never looked up at run time). A version changed outside Terraform shows up as a diff.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"namespace": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Namespace of the operator. Defaults to the runtime's (`dynamo-system`, `kuberay-system`, `kaito-workspace`, " +
					"`gpu-operator`, `lws-system`, `kserve`; `default` for `llmd`, whose router only sees the model servers of its own namespace). Created when missing, and then deleted on destroy if no user workload is left in it. Changing it replaces the installation.",
				Validators:    []validator.String{stringvalidator.RegexMatches(dnsLabel, "must be a DNS-1123 label")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"values": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Helm values as a YAML mapping, deep-merged over the runtime's defaults (e.g. KAITO's `nodeProvisioner: byo` and, for 0.8, " +
					"`featureGates.disableNodeAutoProvisioning: true`) for the runtime's operator chart. Values changed outside Terraform show up as a diff.",
				Validators: []validator.String{yamlMapping{}},
			},
			"chart": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "Where to get the charts instead of the runtime's pinned upstream location, e.g. a mirror for an air-gapped cluster. " +
					"Set exactly one of `repository` and `path`. The chart names stay the runtime's (`dynamo-platform`, `kuberay-operator`, " +
					"`workspace`, `gpu-operator`, `llm-d-router-standalone`). Pinned CRDs that the charts do not bundle (KAITO's Karpenter CRDs, the llm-d router's " +
					"InferencePool and `llm-d.ai` CRDs, the `inference.networking.x-k8s.io` InferencePool CRD of Inference Extension v1.3.1 that KServe's " +
					"scheduler writes) are then not fetched, except from the `crds/` folder of a `path` directory.",
				Attributes: map[string]schema.Attribute{
					"repository": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "A Helm chart repository URL (`https://…`, serving `index.yaml`) or an OCI reference prefix (`oci://registry/path`; the chart is `<prefix>/<chart name>`).",
						Validators:          []validator.String{stringvalidator.RegexMatches(repoURL, "must start with http://, https:// or oci://")},
					},
					"path": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "A local chart: a chart directory or `.tgz` (single-chart runtimes), or a directory holding `<chart>-<version>.tgz` " +
							"files or `<chart>/` directories. In such a directory, `crds/*.yaml` may hold the runtime's pinned CRDs that no chart bundles " +
							"(an air-gapped install downloads nothing); they are applied first like the others.",
						Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
					},
					"plain_http": schema.BoolAttribute{
						Optional:            true,
						MarkdownDescription: "Reach the OCI registry over plain HTTP (a local mirror without TLS).",
					},
					"username": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "User name for the repository or registry.",
					},
					"password_wo": schema.StringAttribute{
						Optional:  true,
						Sensitive: true,
						WriteOnly: true,
						MarkdownDescription: "Password or token for the repository or registry, write-only: used while installing or upgrading and never " +
							"stored in plan or state (Terraform >= 1.11).",
					},
				},
			},
			"wait": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Wait with Helm's readiness checks until the operator's objects are ready. Default `true`. `atomic` implies waiting, as in Helm.",
			},
			"atomic": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Undo a failed operation: a failed install is uninstalled, a failed upgrade rolled back. Default `true`. " +
					"Without it a failed release is kept and recovered on the next apply.",
			},
			"remove_crds_on_destroy": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Delete the runtime's CRDs on destroy. Default `false`: deleting a CRD deletes every custom resource of that " +
					"kind, so all model deployments of the runtime would go with it.",
			},
			"releases": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The Helm releases, in install order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":      schema.StringAttribute{Computed: true, MarkdownDescription: "Release name."},
					"namespace": schema.StringAttribute{Computed: true, MarkdownDescription: "Release namespace."},
					"chart":     schema.StringAttribute{Computed: true, MarkdownDescription: "Chart name."},
					"version":   schema.StringAttribute{Computed: true, MarkdownDescription: "Chart version."},
					"revision":  schema.Int64Attribute{Computed: true, MarkdownDescription: "Release revision."},
					"status":    schema.StringAttribute{Computed: true, MarkdownDescription: "Release status (`deployed`, `failed`, `pending-install`, …)."},
				}},
			},
			"crds": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Names of the CRDs applied before the charts that exist and are Established, sorted. A missing one shows up as a diff.",
			},
			"operator_running": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "Whether a Running pod matches the operator's label selector. Refreshed on every read.",
			},
			"installed": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "Whether every release is `deployed` and every CRD is present. When it turns false the next plan reinstalls.",
			},
			"message": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Human-readable summary of the installation's state.",
			},
		},
		// A block, as on every other resource of this provider (`timeouts { ... }`). The
		// value in state is the same object either way, so states written when this was an
		// attribute still read.
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

// llmdDoc says what runtime "llmd" installs and why (internal/runtimes/llmd/install.go).
const llmdDoc = "`llmd` installs, first, the CRDs the llm-d router v0.10.0 reads (the Inference Extension v1.6.2 `InferencePool`, " +
	"`inference.networking.k8s.io/v1`, and the router's `llm-d.ai/v1alpha2` `InferenceObjective` and `InferenceModelRewrite`), then the router's " +
	"`llm-d-router-standalone` chart (`oci://ghcr.io/llm-d/charts`, version `v0.10.0`) with `router.inferencePool.create=false`: no InferencePool, " +
	"since every `llmd` model deployment renders its own pool and endpoint picker, but an endpoint picker in endpoint-selector mode behind an " +
	"Envoy proxy, a gateway-less entry point (port 8081 of Service `llm-d-router-epp`) over the pods labelled `llm-d.ai/inference-serving=true` " +
	"in its namespace. (The `llm-d-router-gateway` chart would render one more pool and picker per model.) The picker does not route by model name: " +
	"keep one model per namespace, or narrow `router.modelServers.matchLabels` in `values` (e.g. `llm-d.ai/model`). `llmd` model deployments " +
	"only need the CRDs."

func code(ids []string) string { return "`" + strings.Join(ids, "`, `") + "`" }
