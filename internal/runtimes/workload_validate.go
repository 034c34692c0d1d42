package runtimes

import (
	"maps"
	"net/url"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// WorkloadSupport says which workload settings a runtime (or a KAITO model source) can
// render. A non-empty hint means "not here" and tells the user what to use instead.
type WorkloadSupport struct {
	Roles           []string
	ImageHint       string
	CPUHint         string
	GPUResourceHint string
	ModelCacheHint  string
}

// ValidateWorkload checks the workload settings of cfg against what the runtime supports.
func ValidateWorkload(ps *Problems, cfg DeploymentConfig, sup WorkloadSupport) {
	w := cfg.Workload
	if w == nil {
		return
	}
	validatePod(ps, "pod", w.Pod, sup, w)
	for _, role := range slices.Sorted(maps.Keys(w.Roles)) {
		p := "roles." + role
		switch {
		case !slices.Contains(Roles, role):
			ps.Add("roles", "unknown role %q: use one of %s", role, strings.Join(sup.Roles, ", "))
			continue
		case !slices.Contains(sup.Roles, role):
			ps.Add(p, "runtime %s has no %s pods (its roles are %s): remove the block", cfg.Runtime, role, strings.Join(sup.Roles, ", "))
			continue
		case (role == RolePrefill || role == RoleDecode) && cfg.Mode != ModeDisaggregated:
			ps.Add(p, "only applies with mode = \"disaggregated\": use roles.worker for aggregated workers")
			continue
		}
		validatePod(ps, p, w.Roles[role], sup, w)
	}
	checkMetadata(ps, "labels", w.Labels, true)
	checkMetadata(ps, "annotations", w.Annotations, false)
	if w.HFEndpoint != "" {
		u, err := url.Parse(w.HFEndpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			ps.Add("huggingface_endpoint", "%q is not an http(s) URL such as \"https://hf-mirror.internal.example\"", w.HFEndpoint)
		}
	}
	if c := w.ModelCache; c != nil {
		if sup.ModelCacheHint != "" {
			ps.Add("model_cache", "%s", sup.ModelCacheHint)
		} else {
			validateModelCache(ps, c)
		}
	}
	if w.Overrides != "" {
		if _, err := parseOverrides(w.Overrides); err != nil {
			ps.Add("overrides", "%v", err)
		}
	}
}

func validatePod(ps *Problems, p string, s PodSettings, sup WorkloadSupport, w *Workload) {
	if s.Image != "" {
		if sup.ImageHint != "" {
			ps.Add(p+".image", "%s", sup.ImageHint)
		}
		CheckToken(ps, p+".image", s.Image)
	}
	for _, k := range slices.Sorted(maps.Keys(s.Env)) {
		switch {
		case len(validation.IsEnvVarName(k)) > 0:
			ps.AddKey(p+".env", k, "is not a valid environment variable name (letters, digits, '_', '-', '.'; not starting with a digit)")
		case k == EnvHFToken:
			ps.AddKey(p+".env", k, "is set from hf_token_secret or hf_token_wo: use those so the token stays in a Secret")
		case k == EnvHFEndpoint:
			ps.AddKey(p+".env", k, "is set from huggingface_endpoint (or the provider's huggingface.endpoint): use that")
		case k == EnvHFHome && w.ModelCache != nil:
			ps.AddKey(p+".env", k, "points at model_cache.mount_path while a model cache is mounted: set the mount path instead")
		}
	}
	for _, e := range s.EnvFrom {
		switch {
		case (e.Secret == "") == (e.ConfigMap == ""):
			ps.Add(p+".env_from", "each entry sets exactly one of secret or config_map")
		case e.Secret != "":
			CheckDNSSubdomain(ps, p+".env_from", e.Secret)
		default:
			CheckDNSSubdomain(ps, p+".env_from", e.ConfigMap)
		}
		if e.Prefix != "" && len(validation.IsEnvVarName(e.Prefix)) > 0 {
			ps.Add(p+".env_from", "prefix %q is not a valid environment variable prefix", e.Prefix)
		}
	}
	checkLabelMap(ps, p+".node_selector", s.NodeSelector)
	for i, t := range s.Tolerations {
		validateToleration(ps, p+".tolerations", i, t)
	}
	if s.CPU != "" {
		if sup.CPUHint != "" {
			ps.Add(p+".resources.cpu", "%s", sup.CPUHint)
		}
		CheckQuantity(ps, p+".resources.cpu", s.CPU)
	}
	for _, k := range slices.Sorted(maps.Keys(s.ExtraResources)) {
		switch {
		case k == "cpu" || k == "memory":
			ps.AddKey(p+".resources.extra", k, "is not an extra resource: use resources.cpu or memory")
		case IsGPUResource(k):
			ps.AddKey(p+".resources.extra", k, "is the GPU resource: set the count with gpus and the name with resources.gpu_resource_name")
		case len(validation.IsQualifiedName(k)) > 0:
			ps.AddKey(p+".resources.extra", k, "is not a valid resource name such as \"rdma/hca\"")
		default:
			CheckQuantity(ps, p+".resources.extra", s.ExtraResources[k])
		}
	}
	if s.GPUResourceName != "" {
		switch {
		case sup.GPUResourceHint != "":
			ps.Add(p+".resources.gpu_resource_name", "%s", sup.GPUResourceHint)
		case !IsGPUResource(s.GPUResourceName):
			ps.Add(p+".resources.gpu_resource_name", "%q is not a GPU device-plugin resource: use nvidia.com/gpu, nvidia.com/mig-<profile>, amd.com/gpu, gpu.intel.com/i915 or gpu.intel.com/xe", s.GPUResourceName)
		}
	}
	checkMetadata(ps, p+".labels", s.Labels, true)
	checkMetadata(ps, p+".annotations", s.Annotations, false)
	if s.ServiceAccountName != "" {
		CheckDNSSubdomain(ps, p+".service_account_name", s.ServiceAccountName)
	}
	if s.PriorityClassName != "" {
		CheckDNSSubdomain(ps, p+".priority_class_name", s.PriorityClassName)
	}
	for _, n := range s.ImagePullSecrets {
		CheckDNSSubdomain(ps, p+".image_pull_secrets", n)
	}
}

func validateToleration(ps *Problems, p string, i int, t Toleration) {
	CheckOneOf(ps, p, orDefault(t.Operator, "Equal"), "Exists", "Equal")
	if t.Effect != "" {
		CheckOneOf(ps, p, t.Effect, "NoSchedule", "PreferNoSchedule", "NoExecute")
	}
	switch {
	case t.Operator == "Exists" && t.Value != "":
		ps.Add(p, "entry %d: operator \"Exists\" matches any value: remove value, or use operator \"Equal\"", i)
	case t.Key == "" && t.Operator != "Exists":
		ps.Add(p, "entry %d: an empty key matches every taint only with operator = \"Exists\"", i)
	case t.Key != "" && len(validation.IsQualifiedName(t.Key)) > 0:
		ps.Add(p, "entry %d: key %q is not a valid taint key such as \"nvidia.com/gpu\"", i, t.Key)
	}
	if t.TolerationSeconds != nil && t.Effect != "NoExecute" {
		ps.Add(p, "entry %d: toleration_seconds only applies to effect = \"NoExecute\"", i)
	}
}

// checkMetadata validates label or annotation keys (and label values). Keys the provider
// sets itself are refused: changing them would break drift detection and the UI.
func checkMetadata(ps *Problems, p string, m map[string]string, labels bool) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		switch {
		case len(validation.IsQualifiedName(k)) > 0:
			ps.AddKey(p, k, "is not a valid key (an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_', '.')")
		case reservedKey(k):
			ps.AddKey(p, k, "is set by the provider or the runtime operator and cannot be overridden")
		case labels && len(validation.IsValidLabelValue(m[k])) > 0:
			ps.AddKey(p, k, "value %q is not a valid label value (at most 63 letters, digits, '-', '_', '.')", m[k])
		}
	}
}

func checkLabelMap(ps *Problems, p string, m map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if len(validation.IsQualifiedName(k)) > 0 {
			ps.AddKey(p, k, "is not a valid node label key")
		} else if len(validation.IsValidLabelValue(m[k])) > 0 {
			ps.AddKey(p, k, "value %q is not a valid label value", m[k])
		}
	}
}

func reservedKey(k string) bool {
	switch k {
	case LabelName, LabelInstance, LabelManagedBy, LabelComponent, "kaito.sh/workspace":
		return true
	}
	return strings.HasPrefix(k, "kubefoundry.io/")
}

// CheckDNSSubdomain reports a Kubernetes object name that is not a DNS subdomain.
func CheckDNSSubdomain(ps *Problems, path, v string) {
	if len(validation.IsDNS1123Subdomain(v)) > 0 {
		ps.Add(path, "%q is not a valid object name: use lower-case letters, digits, '-' and '.'", v)
	}
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}
