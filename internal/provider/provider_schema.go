package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func providerSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Declare LLM inference on Kubernetes: deploy models through NVIDIA Dynamo, KubeRay or KAITO, " +
			"install their operators, build llama.cpp images with GGUF models, and size GPUs from the model catalog.\n\n" +
			"The cluster connection mirrors kubectl: a kubeconfig (`config_path`, `config_paths`, `config_context`, else " +
			"`KUBECONFIG`, else `~/.kube/config`) and/or explicit settings (`host`, `token`, certificates, `exec`), which " +
			"override the kubeconfig. The provider never falls back to localhost or in-cluster credentials.",
		Attributes: map[string]schema.Attribute{
			"config_path": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Path to a kubeconfig file. Defaults to `KUBECONFIG`, then `~/.kube/config`.",
				Validators:          []validator.String{stringvalidator.ConflictsWith(path.MatchRoot("config_paths"))},
			},
			"config_paths": schema.ListAttribute{
				ElementType:         types.StringType,
				Optional:            true,
				MarkdownDescription: "Kubeconfig files merged in order, like a `KUBECONFIG` list.",
				Validators:          []validator.List{listvalidator.SizeAtLeast(1)},
			},
			"config_context": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Context of the kubeconfig to use. Defaults to the kubeconfig's current context.",
			},
			"host": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "API server URL, e.g. `https://1.2.3.4:6443`. Overrides the kubeconfig's server.",
			},
			"token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Bearer token for the API server.",
			},
			"cluster_ca_certificate": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "PEM-encoded CA certificate of the API server.",
			},
			"client_certificate": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "PEM-encoded client certificate for TLS authentication.",
				Validators:          []validator.String{stringvalidator.AlsoRequires(path.MatchRoot("client_key"))},
			},
			"client_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "PEM-encoded private key of `client_certificate`.",
				Validators:          []validator.String{stringvalidator.AlsoRequires(path.MatchRoot("client_certificate"))},
			},
			"insecure": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Skip verification of the API server's certificate. For test clusters only.",
			},
			"api_qps": schema.Float64Attribute{
				Optional: true,
				MarkdownDescription: "Requests per second this provider process sends to the API server, shared by all resources " +
					"and data sources of a run (a client-side token bucket). Defaults to `50`. Lower it on a busy or throttled " +
					"cluster; raise it with `api_burst` for large `-parallelism`.",
				Validators: []validator.Float64{float64validator.AtLeast(0.1)},
			},
			"api_burst": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "Requests that may be sent at once above `api_qps` before the rate limit applies. Defaults to `100`.",
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"api_max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "How often one request is sent again after a transient failure: HTTP 429 (honouring " +
					"`Retry-After`), 500/502/503/504, a reset or dropped connection, or a refused connection while the API server " +
					"restarts. Only requests that are safe to repeat are retried after they may have reached the server (reads, " +
					"server-side apply, delete). Backoff is exponential with jitter (0.25 s doubling to 8 s; about 15 s in all by " +
					"default). Defaults to `6`; `0` turns retries off.",
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"ownership_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Distinguishes Terraform states that create model deployments in the same cluster, e.g. the " +
					"workspace or pipeline name. Each deployment is annotated `kubefoundry.io/terraform-resource` with a digest of " +
					"this value, the kind, the namespace and the name. When an apply is interrupted after the object was created " +
					"but before Terraform saved the state, the next apply finds the annotation, recomputes the same digest from " +
					"the configuration and adopts the object instead of failing; an object without a matching annotation is still " +
					"refused with an import hint. Defaults to empty. Changing it does not touch existing deployments.",
			},
			"pricing": pricingAttribute(),
			"default_namespace": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Namespace for deployments that set none. Unset: the `defaultNamespace` of the KubeFoundry " +
					"ConfigMap `kubefoundry-system/kubefoundry-config` if present, else the runtime's default namespace.",
			},
		},
		Blocks: map[string]schema.Block{
			"exec": schema.SingleNestedBlock{
				MarkdownDescription: "A client-go credential plugin that prints an ExecCredential, e.g. `aws eks get-token`, " +
					"`gke-gcloud-auth-plugin` or `kubelogin`.",
				Attributes: map[string]schema.Attribute{
					"api_version": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "ExecCredential API version, e.g. `client.authentication.k8s.io/v1beta1`.",
					},
					"command": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "Command to run. Required when the block is present.",
					},
					"args": schema.ListAttribute{
						ElementType:         types.StringType,
						Optional:            true,
						MarkdownDescription: "Arguments of the command.",
					},
					"env": schema.MapAttribute{
						ElementType:         types.StringType,
						Optional:            true,
						MarkdownDescription: "Extra environment variables of the command.",
					},
				},
			},
			"huggingface": schema.SingleNestedBlock{
				MarkdownDescription: "Access to the Hugging Face Hub, for the model catalog, GGUF images and gated models.",
				Attributes: map[string]schema.Attribute{
					"endpoint": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "Hub URL, for mirrors. Defaults to `https://huggingface.co`. A mirror is also passed to every model deployment's engines as `HF_ENDPOINT` (unless the deployment sets `huggingface_endpoint`).",
					},
					"token": schema.StringAttribute{
						Optional:            true,
						Sensitive:           true,
						MarkdownDescription: "Hub access token for gated models. Defaults to the `HF_TOKEN` environment variable.",
					},
				},
			},
		},
	}
}
