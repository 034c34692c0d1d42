package modeldeployment

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/registry"
)

// Attributes that are optional for the user and filled with the runtime's defaults at plan.
func optString(desc string, v ...validator.String) schema.StringAttribute {
	return schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: desc, Validators: v}
}

func optInt(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{Optional: true, Computed: true, MarkdownDescription: desc}
}

func optBool(desc string) schema.BoolAttribute {
	return schema.BoolAttribute{Optional: true, Computed: true, MarkdownDescription: desc}
}

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

func computedInt(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
}

func resourceSchema(ctx context.Context) schema.Schema {
	s := schema.Schema{
		MarkdownDescription: "One model served by one runtime: an NVIDIA Dynamo `DynamoGraphDeployment`, a KubeRay `RayService` " +
			"or a KAITO `Workspace`. Plans offline (no cluster or CRD needed; the rendered `manifest` is shown in the plan), " +
			"applies with server-side apply (field manager `kubefoundry`), waits with a watch until the runtime reports the model " +
			"Running for the current spec, fails fast with the real cause, and detects out-of-band changes on refresh. " +
			"Dynamo defaults to 1.4 (`nvidia.com/v1beta1`); see the [NVIDIA Dynamo guide](../guides/dynamo.md) for the version matrix " +
			"and which attribute changes force replacement.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<namespace>/<name>`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Name of the custom resource: a DNS label (lower-case letters, digits, `-`; at most 63). The operators need less: KubeRay at most 47 characters starting with a letter, KAITO at most 52 starting with a letter (their Services and StatefulSet pod labels must fit), vLLM at most 59 (50 across nodes) and llm-d at most 44 starting with a letter. Changing it replaces the deployment.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"namespace": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Namespace (must exist). Defaults to the provider's `default_namespace`, else KubeFoundry's configured " +
					"default, else the runtime's namespace (`dynamo-system`, `kuberay-system`, `kaito-workspace`). Changing it replaces the deployment.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"runtime": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Runtime serving the model: `dynamo`, `kuberay`, `kaito`, `vllm` (the upstream vLLM server in a Deployment, or a LeaderWorkerSet across nodes), `llmd` (llm-d's well-lit paths: vLLM behind an InferencePool and the llm-d router's endpoint picker; see the [llm-d guide](../guides/llmd.md)) or `kserve` (a KServe LLMInferenceService; see the [KServe guide](../guides/kserve.md)). Changing it replaces the deployment.",
				Validators:          []validator.String{stringvalidator.OneOf(registry.IDs()...)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"model": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Hugging Face model id (e.g. `Qwen/Qwen3-0.6B`), or for KAITO premade models the catalog id " +
					"(e.g. `kaito/llama3.2-1b`).",
			},
			"engine": optString("Inference engine: `vllm`, `sglang`, `trtllm` (Dynamo), `vllm` (KubeRay, vLLM and KServe), `llamacpp` or `vllm` (KAITO). "+
				"Defaults to `vllm`, or `llamacpp` for KAITO GGUF and premade models. With Dynamo `v1beta1` a change replaces the deployment "+
				"(the operator's webhook makes `backendFramework` immutable).",
				stringvalidator.OneOf("vllm", "sglang", "trtllm", "llamacpp")),
			"mode": optString("`aggregated` (one worker type) or `disaggregated` (separate prefill and decode workers; Dynamo, KubeRay and llm-d). Default `aggregated`. "+
				"With Dynamo `v1beta1` a change replaces the deployment (the operator's webhook forbids adding or removing components).",
				stringvalidator.OneOf("aggregated", "disaggregated")),
			"served_model_name": optString("Model name clients send in OpenAI API requests. Defaults to `model`."),
			"router_mode": optString("Dynamo frontend routing: `none`, `kv` (KV-cache aware) or `round-robin`. Default `none` "+
				"(`round-robin` in disaggregated mode). `none` sets no mode, so the frontend uses its own default, which is round-robin in Dynamo 1.4 (frontend_args.py).", stringvalidator.OneOf("none", "kv", "round-robin")),
			"replicas":              optInt("Worker replicas, 1 to 10. Default 1. For KAITO a change replaces the Workspace (KAITO makes `resource.count` immutable)."),
			"gpus":                  optInt("GPUs per worker. Default 1 (0 for KAITO CPU models)."),
			"memory":                optString("Memory per worker as a Kubernetes quantity, e.g. `64Gi`. Default: unset (the runtime's default)."),
			"context_length":        optInt("Maximum context length in tokens (`--max-model-len`). Default: the model's own."),
			"enforce_eager":         optBool("Disable CUDA graphs (vLLM `--enforce-eager`): faster start, slower serving. Default `true` for Dynamo and KubeRay."),
			"enable_prefix_caching": optBool("Reuse the KV cache of shared prompt prefixes. Default: `true` for Dynamo and plain vLLM (what the engines do on their own; `false` renders vLLM `--no-enable-prefix-caching`, SGLang `--disable-radix-cache`, TensorRT-LLM `kv_cache_config.enable_block_reuse = false`; `router_mode = \"kv\"` needs it on), `false` for KubeRay and KAITO."),
			"trust_remote_code":     optBool("Allow model repositories to run their own code. Default `false`."),
			"engine_args": schema.MapAttribute{
				ElementType: types.StringType, Optional: true, Computed: true,
				MarkdownDescription: "Extra engine flags without leading dashes: `\"true\"` renders a bare switch, anything else renders `--key value` " +
					"(`\"false\"` is refused: use the `no-<flag>` form or drop the entry). Passed as separate arguments, never through a shell. " +
					"Checked at plan against the flags of the pinned engine images (unknown flags, value types, `\"true\"` on a flag that takes a value, " +
					"flags the provider renders from other attributes). Dynamo TensorRT-LLM: LLM arguments as `\"trtllm.<path>\" = \"<value>\"`.",
			},
			"disaggregated": schema.SingleNestedAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Prefill and decode worker sizes when `mode = \"disaggregated\"`.",
				Attributes: map[string]schema.Attribute{
					"prefill_replicas": optInt("Prefill worker replicas. Default 1."),
					"prefill_gpus":     optInt("GPUs per prefill worker. Default: `gpus`."),
					"decode_replicas":  optInt("Decode worker replicas. Default 1."),
					"decode_gpus":      optInt("GPUs per decode worker. Default: `gpus`."),
				},
			},
			"kuberay": schema.SingleNestedAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "KubeRay settings; only with `runtime = \"kuberay\"`.",
				Attributes: map[string]schema.Attribute{
					"image":                  optString("Ray image with vLLM, e.g. `rayproject/ray-llm:2.52.0-py311-cu128` (the default)."),
					"head_cpu":               optString("Head CPU. Default `4`."),
					"head_memory":            optString("Head memory. Default `32Gi`."),
					"worker_cpu":             optString("Worker CPU. Default `8`."),
					"worker_memory":          optString("Worker memory. Default `64Gi`."),
					"tensor_parallel":        optInt("Tensor parallel size. Default 1."),
					"pipeline_parallel":      optInt("Pipeline parallel size. Default 1."),
					"gpu_memory_utilization": schema.Float64Attribute{Optional: true, Computed: true, MarkdownDescription: "Fraction of GPU memory vLLM may use, 0.1 to 1. Default 0.9."},
					"max_num_seqs":           optInt("Maximum concurrent sequences. Default 40."),
					"min_replicas":           optInt("Ray Serve autoscaling minimum (model replicas). Default 1."),
					"max_replicas":           optInt("Ray Serve autoscaling maximum (model replicas). The Ray worker groups are a fixed pool, so it may not exceed the replicas that fit in it: worker GPUs / (`tensor_parallel` x `pipeline_parallel`), per group in disaggregated mode. Default: exactly that."),
					"enable_chunked_prefill": optBool("Chunked prefill. Default `true`."),
					"kv_connector":           optString("KV transfer connector in disaggregated mode: `NixlConnector` (the default and only value; both halves use `kv_role = kv_both`). `SimpleConnector` was removed from vLLM (>= 0.11) and is rejected."),
					"accelerator_type":       optString("Ray accelerator type, e.g. `A10G`. Default: any."),
				},
			},
			"kaito": schema.SingleNestedAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "KAITO settings; only with `runtime = \"kaito\"`.",
				Attributes: map[string]schema.Attribute{
					"model_source":  optString("`premade` (AIKit image), `huggingface` (a GGUF file run by llama.cpp) or `vllm`."),
					"premade_model": optString("Premade model id, e.g. `llama3.2:1b`. Derived from `model` (`kaito/llama3.2-1b`) when unset."),
					"gguf_file":     optString("GGUF file in the Hugging Face repository, e.g. `Qwen2.5-1.5B-Instruct-Q4_K_M.gguf`."),
					"run_mode":      optString("For GGUF models: `direct` (the runner downloads the file at start) or `build` (run `image_ref`, e.g. from `kubefoundry_gguf_image`). Default `direct`."),
					"image_ref":     optString("Image to run in `build` mode (or to override a premade image). Use `kubefoundry_gguf_image.<x>.image_by_digest`."),
					"compute_type":  optString("`cpu` or `gpu`. Default `cpu` (`gpu` for vLLM)."),
					"label_selector": schema.MapAttribute{ElementType: types.StringType, Optional: true, Computed: true,
						MarkdownDescription: "Node labels the workspace must run on. Default `kubernetes.io/os = linux` (CPU) or `nvidia.com/gpu.present = true` (GPU)."},
					"cpu": optString("CPU request of the model container, e.g. `4`."),
					"inference_set": optBool("Deploy a KAITO `InferenceSet` (KAITO 0.12) instead of one `Workspace`: `replicas` Workspaces of one " +
						"replica each, created by KAITO's InferenceSet controller. Required for `autoscaling` (the InferenceSet has a scale " +
						"subresource, a Workspace none); `replicas` then changes in place. Default `false`. Changing it replaces the deployment."),
				},
			},
			"vllm": schema.SingleNestedAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "vLLM settings of `runtime = \"vllm\"` and `runtime = \"llmd\"` (which takes `nodes = 1` only, and in disaggregated mode no `tensor_parallel`: each role runs tensor parallel over its own GPUs). See the [vLLM guide](../guides/vllm.md).",
				Attributes: map[string]schema.Attribute{
					"nodes": optInt("Pods (hosts) one replica spans, each with `gpus` GPUs, 1 to 16. Default 1: a Deployment. More than 1 renders a " +
						"LeaderWorkerSet (sigs.k8s.io/lws 0.9; install it with `kubefoundry_runtime_install` and `runtime = \"vllm\"`) whose leader " +
						"starts a Ray head and `vllm serve --distributed-executor-backend ray` and whose workers join it. Changing between 1 and more replaces the deployment."),
					"tensor_parallel":   optInt("`--tensor-parallel-size`. `tensor_parallel` x `pipeline_parallel` must equal `gpus` x `nodes` (one engine worker per GPU). Default: `gpus` x `nodes` / `pipeline_parallel`."),
					"pipeline_parallel": optInt("`--pipeline-parallel-size`. Default 1."),
					"shared_memory":     optString("Size of the in-memory `/dev/shm` volume (NCCL and the engine's workers use it; it counts against the pod's memory). Default `2Gi`."),
				},
			},
			"dynamo": schema.SingleNestedAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "NVIDIA Dynamo settings; only with `runtime = \"dynamo\"`. Supported Dynamo versions and the changes that " +
					"replace a deployment: [NVIDIA Dynamo guide](../guides/dynamo.md).",
				Attributes: map[string]schema.Attribute{
					"api_version": optString("DynamoGraphDeployment API version: `v1beta1` (default; Dynamo 1.2 and later, pinned 1.4.0) or "+
						"`v1alpha1` for Dynamo 0.x clusters (pinned 0.7.1 images and flags). Checked against the cluster at apply: "+
						"when the cluster serves only the other version, apply fails naming this attribute.",
						stringvalidator.OneOf("v1beta1", "v1alpha1")),
				},
			},
			"hf_token_secret": optString("Name of an existing Secret in the namespace with key `HF_TOKEN`, for gated models. Public models need none. "+
				"Conflicts with `hf_token_wo`.", stringvalidator.ConflictsWith(path.MatchRoot("hf_token_wo"))),
			"hf_token_wo": schema.StringAttribute{
				Optional: true, Sensitive: true, WriteOnly: true,
				MarkdownDescription: "Hugging Face token (write-only, Terraform 1.11+): the provider stores it in Secret `<name>-hf-token` " +
					"and never in state or plan. Change `hf_token_wo_version` to rotate it.",
				Validators: []validator.String{stringvalidator.AlsoRequires(path.MatchRoot("hf_token_wo_version"))},
			},
			"hf_token_wo_version": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "Version of `hf_token_wo`; the Secret is rewritten when it changes.",
			},
			"wait_for_ready": schema.BoolAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Wait after create and update until the runtime reports the model Running for the current spec. Default `true`.",
			},
			"gpu_fit_check": optString("Check at plan, when the cluster is reachable, that the workers fit the free GPUs: `warn` (default), `error` or `off`.",
				stringvalidator.OneOf("warn", "error", "off")),
			"phase":          computedString("`Pending`, `Deploying`, `Running`, `Failed` or `Terminating`."),
			"status_message": computedString("Why the deployment is not Running: condition messages, pod states (e.g. `ImagePullBackOff`) and scheduling events."),
			"desired":        computedInt("Desired worker replicas."),
			"ready":          computedInt("Ready worker replicas."),
			"available":      computedInt("Available worker replicas."),
			"endpoint":       computedString("In-cluster `host:port` of the OpenAI-compatible API."),
			"manifest": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The custom resource as YAML: rendered from the configuration at plan, read back from the cluster " +
					"(the fields this provider sets) on refresh, so out-of-band edits show as a diff.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
	for name, a := range workloadAttributes() {
		s.Attributes[name] = a
	}
	for name, a := range gatewayAttributes() {
		s.Attributes[name] = a
	}
	for name, a := range autoscalingAttributes() {
		s.Attributes[name] = a
	}
	for name, a := range costAttributes() {
		s.Attributes[name] = a
	}
	s.Attributes["kserve"] = kserveAttribute()
	return s
}
