package deploymentmetrics

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The measures every pod and the total report, with their descriptions.
var measures = []struct{ name, desc string }{
	{"running_requests", "Requests being processed (vLLM `num_requests_running`, SGLang `num_running_reqs`, llama.cpp `requests_processing`; a Dynamo frontend's in-flight requests)."},
	{"waiting_requests", "Requests queued (vLLM `num_requests_waiting`, SGLang `num_queue_reqs`, llama.cpp `requests_deferred`; a Dynamo frontend's queued requests)."},
	{"kv_cache_usage", "Share of the KV cache in use, 0 to 1 (vLLM `kv_cache_usage_perc`, SGLang `token_usage`, TRT-LLM `kv_cache_utilization`)."},
	{"prompt_tokens_per_second", "Prompt (prefill) tokens per second over the interval, from the counter's increase; null with a single scrape."},
	{"generation_tokens_per_second", "Generated tokens per second over the interval, from the counter's increase; null with a single scrape."},
	{"ttft_p50_ms", "Median time to first token, ms, from the engine's histogram (see `latency_window`)."},
	{"ttft_p90_ms", "90th percentile time to first token, ms."},
	{"ttft_p99_ms", "99th percentile time to first token, ms."},
	{"itl_p50_ms", "Median inter-token latency, ms (TRT-LLM: time per output token per request)."},
	{"itl_p90_ms", "90th percentile inter-token latency, ms."},
	{"itl_p99_ms", "99th percentile inter-token latency, ms."},
}

func measureAttrs() map[string]schema.Attribute {
	out := map[string]schema.Attribute{
		"latency_window": schema.StringAttribute{Computed: true, MarkdownDescription: "`interval` when the percentiles " +
			"are over the requests seen between the two scrapes, `since_start` when over everything since the engine " +
			"started (a single scrape, or no request in the interval), empty without latency histograms (llama.cpp)."},
	}
	for _, m := range measures {
		out[m.name] = schema.Float64Attribute{Computed: true, MarkdownDescription: m.desc + " Null when the engine does not expose it."}
	}
	return out
}

func measureTypes() map[string]attr.Type {
	out := map[string]attr.Type{"latency_window": types.StringType}
	for _, m := range measures {
		out[m.name] = types.Float64Type
	}
	return out
}

func podAttrTypes() map[string]attr.Type {
	out := measureTypes()
	for _, k := range []string{"name", "role", "engine", "error"} {
		out[k] = types.StringType
	}
	out["port"] = types.Int64Type
	return out
}

func totalAttrTypes() map[string]attr.Type {
	out := measureTypes()
	out["engine"] = types.StringType
	out["pods_scraped"] = types.Int64Type
	out["pods_failed"] = types.Int64Type
	return out
}

func dataSourceSchema() schema.Schema {
	pod := measureAttrs()
	pod["name"] = schema.StringAttribute{Computed: true, MarkdownDescription: "Pod name."}
	pod["role"] = schema.StringAttribute{Computed: true, MarkdownDescription: "The pod's part: `frontend`, `worker`, `prefill`, `decode` (Dynamo), `head`/`worker` (KubeRay), `worker` (vLLM, KAITO)."}
	pod["engine"] = schema.StringAttribute{Computed: true, MarkdownDescription: "Whose metrics the pod serves: `vllm`, `sglang`, `trtllm`, `dynamo_frontend`, `llamacpp` or `ray_vllm`; empty when the scrape failed."}
	pod["port"] = schema.Int64Attribute{Computed: true, MarkdownDescription: "Container port scraped."}
	pod["error"] = schema.StringAttribute{Computed: true, MarkdownDescription: "Why this pod could not be read; empty when it was."}

	total := measureAttrs()
	total["engine"] = schema.StringAttribute{Computed: true, MarkdownDescription: "The engines' metric family (the frontend's when there is no engine pod)."}
	total["pods_scraped"] = schema.Int64Attribute{Computed: true, MarkdownDescription: "Pods read."}
	total["pods_failed"] = schema.Int64Attribute{Computed: true, MarkdownDescription: "Pods that could not be read (see each pod's `error`)."}

	return schema.Schema{
		MarkdownDescription: "Live metrics of a model deployment, read from each engine's Prometheus endpoint **through the " +
			"Kubernetes API server** (`pods/proxy`: no route to the pod network needed, only RBAC `get` on `pods/proxy`). " +
			"Per pod and in total: running and waiting requests, KV-cache usage, prompt and generation tokens per second, " +
			"and time-to-first-token and inter-token latency percentiles from the engines' histograms. Understands vLLM, " +
			"SGLang, TensorRT-LLM and the frontend of NVIDIA Dynamo, vLLM in Ray Serve (KubeRay) and llama.cpp (KAITO; " +
			"needs `--metrics`). Token rates need two scrapes `interval_seconds` apart: reading it takes that long.",
		Attributes: map[string]schema.Attribute{
			"id":        schema.StringAttribute{Computed: true, MarkdownDescription: "`<namespace>/<name>`."},
			"namespace": schema.StringAttribute{Required: true, MarkdownDescription: "Namespace of the deployment."},
			"name":      schema.StringAttribute{Required: true, MarkdownDescription: "Name of the deployment (a `kubefoundry_model_deployment`, or one made by the KubeFoundry UI or kubectl)."},
			"runtime": schema.StringAttribute{Optional: true, Computed: true,
				MarkdownDescription: "`dynamo`, `kuberay`, `kaito` or `vllm`; found by looking when unset.",
				Validators:          []validator.String{stringvalidator.OneOf("dynamo", "kuberay", "kaito", "vllm")}},
			"interval_seconds": schema.Float64Attribute{Optional: true, Computed: true,
				MarkdownDescription: "Seconds between the two scrapes token rates are computed from (default 5). `0` scrapes " +
					"once: no token rates, and latency percentiles over everything since each engine started.",
				Validators: []validator.Float64{float64validator.Between(0, 300)}},
			"port": schema.Int64Attribute{Optional: true,
				MarkdownDescription: "Scrape this container port on every pod instead of the runtime's (Dynamo frontend 8000, " +
					"Dynamo workers 9090, Ray nodes 8080, vLLM 8000, KAITO the container's port).",
				Validators: []validator.Int64{int64validator.Between(1, 65535)}},
			"path": schema.StringAttribute{Optional: true, Computed: true,
				MarkdownDescription: "HTTP path of the metrics (default `/metrics`).",
				Validators: []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^/[^?#\s]*$`),
					"must be an absolute path such as /metrics, without query or fragment")}},
			"pods":  schema.ListNestedAttribute{Computed: true, MarkdownDescription: "One entry per pod that serves metrics, sorted by name.", NestedObject: schema.NestedAttributeObject{Attributes: pod}},
			"total": schema.SingleNestedAttribute{Computed: true, MarkdownDescription: "The deployment as a whole: requests and KV cache from the engines (summed; KV averaged); token rates and latency from the Dynamo frontend when there is one (what clients see), else from the engines (rates summed, histograms merged).", Attributes: total},
		},
	}
}
