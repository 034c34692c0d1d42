package modeldeployment

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Workload attributes are plain Optional (not Computed): the plan shows exactly what the
// user wrote, and their effect on the cluster is visible (and drift-checked) in manifest
// and companion_manifests.

func strMap(desc string) schema.MapAttribute {
	return schema.MapAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: desc}
}

func optionalString(desc string, v ...validator.String) schema.StringAttribute {
	return schema.StringAttribute{Optional: true, MarkdownDescription: desc, Validators: v}
}

// podSettingsAttributes are the settings of one role (also of the `pod` block, all roles).
func podSettingsAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"image": optionalString("Engine container image, e.g. a copy of the default image in a private registry. Dynamo (any role) and " +
			"KAITO `vllm` only; KubeRay uses `kuberay.image` (head and workers must match) and other KAITO sources `kaito.image_ref`."),
		"env": strMap("Environment variables of the engine containers. Merged with the inherited ones (a role's value wins). `HF_TOKEN`, " +
			"`HF_ENDPOINT` and, with `model_cache`, `HF_HOME` are set from their own attributes and refused here."),
		"env_from": schema.ListNestedAttribute{
			Optional:            true,
			MarkdownDescription: "Import every key of a Secret or ConfigMap in the namespace as environment variables. Replaces the inherited list.",
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"secret":     optionalString("Secret name. Exactly one of `secret` and `config_map`."),
				"config_map": optionalString("ConfigMap name. Exactly one of `secret` and `config_map`."),
				"prefix":     optionalString("Prefix prepended to every imported variable name."),
			}},
		},
		"node_selector": strMap("Node labels the pods must match, e.g. `{ \"nvidia.com/gpu.product\" = \"NVIDIA-A100-SXM4-80GB\" }`. " +
			"Replaces the inherited selector. KAITO also keeps selecting nodes with `kaito.label_selector`."),
		"tolerations": schema.ListNestedAttribute{
			Optional: true,
			MarkdownDescription: "Taints the pods tolerate, e.g. a tainted GPU pool. Appended after the runtime's own (KubeRay workers " +
				"tolerate `nvidia.com/gpu`, and the KAITO operator appends its GPU tolerations). Replaces the inherited list; `[]` clears it for a role.",
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"key":                optionalString("Taint key; empty with `operator = \"Exists\"` tolerates every taint."),
				"operator":           optionalString("`Equal` (default) or `Exists`.", stringvalidator.OneOf("Equal", "Exists")),
				"value":              optionalString("Taint value for `operator = \"Equal\"`."),
				"effect":             optionalString("`NoSchedule`, `PreferNoSchedule` or `NoExecute`; empty matches all.", stringvalidator.OneOf("NoSchedule", "PreferNoSchedule", "NoExecute")),
				"toleration_seconds": schema.Int64Attribute{Optional: true, MarkdownDescription: "How long a `NoExecute` taint is tolerated before eviction."},
			}},
		},
		"resources": schema.SingleNestedAttribute{
			Optional:            true,
			MarkdownDescription: "Container resources beyond `gpus` and `memory`.",
			Attributes: map[string]schema.Attribute{
				"cpu": optionalString("CPU request and limit, e.g. `8`. Dynamo only: KubeRay uses `kuberay.head_cpu`/`worker_cpu`, KAITO `kaito.cpu`."),
				"extra": strMap("Extra extended resources, request and limit, e.g. `{ \"rdma/hca\" = \"1\" }`. Replaces the inherited map. " +
					"On Dynamo v1alpha1 they go to the service's `resources.custom`."),
				"gpu_resource_name": optionalString("Resource the GPUs are requested as. Default `nvidia.com/gpu`; also `nvidia.com/mig-<profile>`, " +
					"`amd.com/gpu`, `gpu.intel.com/i915`, `gpu.intel.com/xe`. KubeRay, KAITO and Dynamo v1beta1; Dynamo v1alpha1 (0.7.1) always requests `nvidia.com/gpu`. " +
					"On KubeRay a name not ending in `gpu` also sets the group's `num-gpus`, which KubeRay would not derive."),
			},
		},
		"labels":               strMap("Pod labels. Merged with the inherited ones. Provider keys (`app.kubernetes.io/instance`, `kubefoundry.io/*`) are refused."),
		"annotations":          strMap("Pod annotations, e.g. `prometheus.io/scrape`. Merged with the inherited ones."),
		"service_account_name": optionalString("Service account the pods run as (e.g. one bound to a cloud identity for model storage)."),
		"image_pull_secrets": schema.ListAttribute{ElementType: types.StringType, Optional: true,
			MarkdownDescription: "Secrets (type `kubernetes.io/dockerconfigjson`) for pulling from a private registry. Replaces the inherited list."},
		"priority_class_name": optionalString("PriorityClass of the pods."),
	}
}

func roleBlock(desc string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{Optional: true, MarkdownDescription: desc, Attributes: podSettingsAttributes()}
}

// workloadAttributes are the top-level workload attributes of the resource (and the
// manifest data source).
func workloadAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"labels":      strMap("Labels of the custom resource and its companion objects (not the pods: see `pod.labels`)."),
		"annotations": strMap("Annotations of the custom resource and its companion objects (not the pods: see `pod.annotations`)."),
		"pod": schema.SingleNestedAttribute{
			Optional: true,
			MarkdownDescription: "Pod settings for every role of the deployment (Dynamo frontend and workers, KubeRay head and workers, the " +
				"KAITO model pod). `roles` refines them per role. Unset, the manifests are exactly as without this block.",
			Attributes: podSettingsAttributes(),
		},
		"roles": schema.SingleNestedAttribute{
			Optional: true,
			MarkdownDescription: "Per-role settings layered over `pod`: `env`, `labels` and `annotations` merge, everything else replaces. " +
				"`prefill` and `decode` inherit from `worker` first.",
			Attributes: map[string]schema.Attribute{
				"frontend": roleBlock("The Dynamo frontend (HTTP server and router; needs no GPU)."),
				"worker":   roleBlock("Every GPU worker: Dynamo workers, KubeRay worker groups, the KAITO model pod."),
				"prefill":  roleBlock("Disaggregated prefill workers (Dynamo, KubeRay), over `worker`."),
				"decode":   roleBlock("Disaggregated decode workers (Dynamo, KubeRay), over `worker`."),
				"head":     roleBlock("The KubeRay head (runs Serve's controller and proxy; no GPU)."),
			},
		},
		"model_cache": schema.SingleNestedAttribute{
			Optional: true,
			MarkdownDescription: "A PersistentVolumeClaim mounted at the Hugging Face cache (`HF_HOME`) of every engine container, so restarts " +
				"and new replicas load the weights from disk. Either `claim_name` (an existing claim, never deleted) or `size` (the provider " +
				"creates `<name>-model-cache`). Dynamo, KubeRay and KAITO `vllm`.",
			Attributes: map[string]schema.Attribute{
				"claim_name":    optionalString("An existing claim to mount. The provider never modifies or deletes it."),
				"size":          optionalString("Size of the claim the provider creates, e.g. `200Gi`. It can grow later if the storage class allows expansion."),
				"storage_class": optionalString("Storage class of the created claim. Default: the cluster's default class."),
				"access_mode": optionalString("Access mode of the created claim: `ReadWriteMany` (default: every replica and the download Job share it), "+
					"`ReadWriteOnce` (one node: only for single-replica deployments), `ReadWriteOncePod` or `ReadOnlyMany`.",
					stringvalidator.OneOf("ReadWriteOnce", "ReadWriteMany", "ReadWriteOncePod", "ReadOnlyMany")),
				"mount_path": optionalString("Mount path, and the value of `HF_HOME`. Default `/var/cache/huggingface`."),
				"download": schema.BoolAttribute{Optional: true,
					MarkdownDescription: "Run a one-shot Job `<name>-download-<hash>` (the engine image, the worker role's scheduling and pull secrets, " +
						"no GPU) that fills the cache with `snapshot_download` while the runtime starts. The wait reports its progress and fails " +
						"when it fails. A new model gets a new Job; the previous one is removed."},
				"delete_claim_on_destroy": schema.BoolAttribute{Optional: true,
					MarkdownDescription: "Delete the claim the provider created when the deployment is destroyed or `model_cache` is removed. " +
						"Default `false`: the downloaded weights survive a re-create."},
			},
		},
		"huggingface_endpoint": optionalString("Hugging Face Hub or mirror the engines download from, rendered as `HF_ENDPOINT` on every engine " +
			"container and the download Job. Default: the provider's `huggingface.endpoint` when it is not the public Hub."),
		"overrides": optionalString("Escape hatch: a JSON merge patch (RFC 7386) as YAML or JSON (use `yamlencode`/`jsonencode`) applied last " +
			"to the rendered custom resource. Objects merge key by key, `null` deletes a key, lists are replaced whole. The result is in " +
			"`manifest` at plan and validated by the API server with strict field validation at apply. Patching a field the provider renders " +
			"is allowed and flagged with a plan warning. May not change `apiVersion`, `kind`, `metadata.name` or `metadata.namespace`."),
		"companion_manifests": schema.StringAttribute{Computed: true,
			MarkdownDescription: "The companion objects (KAITO vLLM Service, model cache claim, download Job) as multi-document YAML: rendered at " +
				"plan and read back from the cluster (the fields this provider sets) on refresh, so a deleted or edited companion shows as a diff. " +
				"Null when there are none."},
	}
}

// workloadInputs are the workload attributes a user sets (companion_manifests is output).
var workloadInputs = []string{"labels", "annotations", "pod", "roles", "model_cache", "huggingface_endpoint", "overrides"}
