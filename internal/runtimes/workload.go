package runtimes

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Pod roles. A runtime renders one or more pod templates, each playing one role; the
// workload settings of a deployment are resolved per role (see Workload.For).
const (
	RoleFrontend = "frontend" // Dynamo frontend (HTTP, router)
	RoleWorker   = "worker"   // every GPU worker: Dynamo and KubeRay workers, the KAITO model pod
	RolePrefill  = "prefill"  // disaggregated prefill workers (inherit "worker")
	RoleDecode   = "decode"   // disaggregated decode workers (inherit "worker")
	RoleHead     = "head"     // KubeRay head
)

// Roles lists every role in a stable order.
var Roles = []string{RoleFrontend, RoleWorker, RolePrefill, RoleDecode, RoleHead}

// DefaultGPUResource is the extended resource GPUs are requested as unless overridden.
const DefaultGPUResource = "nvidia.com/gpu"

// Env variables the provider owns when the matching feature is used.
const (
	EnvHFHome     = "HF_HOME"
	EnvHFEndpoint = "HF_ENDPOINT"
	EnvHFToken    = "HF_TOKEN"
)

// Workload holds the settings of a deployment's pods and custom resource that are not
// engine flags: images, env, scheduling, resources, metadata, the model cache, the Hub
// mirror and the overrides patch. A nil *Workload renders today's manifests unchanged.
type Workload struct {
	// Pod applies to every pod of the deployment; Roles[role] is layered on top.
	Pod   PodSettings
	Roles map[string]PodSettings
	// Labels and Annotations go on the custom resource (and companions), not the pods.
	Labels      map[string]string
	Annotations map[string]string
	// HFEndpoint is the Hugging Face Hub (or mirror) the engines download from, as
	// HF_ENDPOINT. Empty, or the public Hub, renders nothing.
	HFEndpoint string
	ModelCache *ModelCache
	// Overrides is a JSON merge patch (RFC 7386; lists of named objects merge by name), as JSON or YAML, applied last to the
	// rendered custom resource.
	Overrides string
}

// PodSettings are the pod-level settings of one role. Empty fields inherit.
type PodSettings struct {
	Image              string
	Env                map[string]string
	EnvFrom            []EnvFrom
	NodeSelector       map[string]string
	Tolerations        []Toleration
	CPU                string
	ExtraResources     map[string]string
	GPUResourceName    string
	Labels             map[string]string // pod labels
	Annotations        map[string]string // pod annotations
	ServiceAccountName string
	ImagePullSecrets   []string
	PriorityClassName  string
}

// EnvFrom imports every key of one Secret or ConfigMap as env variables.
type EnvFrom struct {
	Secret    string
	ConfigMap string
	Prefix    string
}

// Toleration mirrors corev1.Toleration with the values as the user wrote them.
type Toleration struct {
	Key               string
	Operator          string // Exists | Equal (default Equal)
	Value             string
	Effect            string // NoSchedule | PreferNoSchedule | NoExecute | "" (all)
	TolerationSeconds *int64
}

// HasWorkload reports whether any workload setting is used.
func (c DeploymentConfig) HasWorkload() bool { return c.Workload != nil }

// For resolves the settings of one role: Pod, then Roles["worker"] for prefill and decode,
// then Roles[role]. env, labels and annotations merge (later keys win); everything else
// (node_selector, resources.extra, lists, scalars) replaces what is inherited when set.
func (w *Workload) For(role string) PodSettings {
	if w == nil {
		return PodSettings{}
	}
	out := w.Pod.clone()
	if role == RolePrefill || role == RoleDecode {
		out = out.overlay(w.Roles[RoleWorker])
	}
	return out.overlay(w.Roles[role])
}

func (p PodSettings) clone() PodSettings {
	p.Env = maps.Clone(p.Env)
	p.EnvFrom = slices.Clone(p.EnvFrom)
	p.NodeSelector = maps.Clone(p.NodeSelector)
	p.Tolerations = slices.Clone(p.Tolerations)
	p.ExtraResources = maps.Clone(p.ExtraResources)
	p.Labels = maps.Clone(p.Labels)
	p.Annotations = maps.Clone(p.Annotations)
	p.ImagePullSecrets = slices.Clone(p.ImagePullSecrets)
	return p
}

func (p PodSettings) overlay(o PodSettings) PodSettings {
	str := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	str(&p.Image, o.Image)
	str(&p.CPU, o.CPU)
	str(&p.GPUResourceName, o.GPUResourceName)
	str(&p.ServiceAccountName, o.ServiceAccountName)
	str(&p.PriorityClassName, o.PriorityClassName)
	p.Env = mergeMaps(p.Env, o.Env)
	p.Labels = mergeMaps(p.Labels, o.Labels)
	p.Annotations = mergeMaps(p.Annotations, o.Annotations)
	// A node selector or extra resources set for a role replace the inherited ones: a
	// frontend on the CPU pool must be able to drop the GPU pool's selector.
	if o.NodeSelector != nil {
		p.NodeSelector = maps.Clone(o.NodeSelector)
	}
	if o.ExtraResources != nil {
		p.ExtraResources = maps.Clone(o.ExtraResources)
	}
	if o.EnvFrom != nil {
		p.EnvFrom = slices.Clone(o.EnvFrom)
	}
	if o.Tolerations != nil {
		p.Tolerations = slices.Clone(o.Tolerations)
	}
	if o.ImagePullSecrets != nil {
		p.ImagePullSecrets = slices.Clone(o.ImagePullSecrets)
	}
	return p
}

func mergeMaps(a, b map[string]string) map[string]string {
	if len(b) == 0 {
		return a
	}
	out := maps.Clone(a)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, b)
	return out
}

// GPUResource is the extended resource name GPUs are requested as in this role.
func (p PodSettings) GPUResource() string {
	if p.GPUResourceName != "" {
		return p.GPUResourceName
	}
	return DefaultGPUResource
}

// IsGPUResource reports whether a container resource name is a GPU the provider may have
// rendered: the default, a NVIDIA MIG slice, or one of the other vendors' device plugins.
func IsGPUResource(name string) bool {
	switch name {
	case DefaultGPUResource, "amd.com/gpu", "gpu.intel.com/i915", "gpu.intel.com/xe":
		return true
	}
	return strings.HasPrefix(name, "nvidia.com/mig-")
}

// GPULimit finds the GPU count among container limits, whatever GPU resource it uses.
func GPULimit(limits map[string]string) (string, bool) {
	if v, ok := limits[DefaultGPUResource]; ok {
		return v, true
	}
	keys := slices.Sorted(maps.Keys(limits))
	for _, k := range keys {
		if IsGPUResource(k) {
			return limits[k], true
		}
	}
	return "", false
}

// ApplyPodTemplate applies the workload settings of role to a PodTemplateSpec in
// unstructured form ({metadata, spec}). The engine containers are those named in
// containers (every container when none is named); they get the image, env, envFrom,
// resources, the model cache mount, HF_HOME and HF_ENDPOINT. The renderer's own entries
// (env, tolerations, volumes) stay first, so defaults keep their order.
//
// It is the one entry point every renderer uses: KubeRay head and worker group templates,
// the KAITO inference template, the Dynamo v1alpha1 extraPodSpec (through a pod template
// view, see dynamo.applyWorkload) and Dynamo v1beta1 components[].podTemplate (container
// "main").
func ApplyPodTemplate(tpl map[string]any, cfg DeploymentConfig, role string, containers ...string) error {
	if cfg.Workload == nil {
		return nil
	}
	s := cfg.Workload.For(role)
	meta := childMap(tpl, "metadata")
	mergeStringMap(meta, "labels", s.Labels)
	mergeStringMap(meta, "annotations", s.Annotations)
	if len(meta) == 0 {
		delete(tpl, "metadata")
	}
	spec := childMap(tpl, "spec")
	mergeStringMap(spec, "nodeSelector", s.NodeSelector)
	for _, t := range s.Tolerations {
		// The renderer may tolerate the GPU taint already (KubeRay workers): no duplicate.
		if existing, _ := spec["tolerations"].([]any); !slices.ContainsFunc(existing, func(e any) bool { return reflect.DeepEqual(e, t.toMap()) }) {
			appendList(spec, "tolerations", t.toMap())
		}
	}
	setString(spec, "serviceAccountName", s.ServiceAccountName)
	setString(spec, "priorityClassName", s.PriorityClassName)
	for _, name := range s.ImagePullSecrets {
		appendList(spec, "imagePullSecrets", map[string]any{"name": name})
	}
	cache := cfg.Workload.ModelCache
	if cache != nil && cache.mountsOn(role) {
		appendList(spec, "volumes", cache.volume(cfg.Name))
	}
	list, _ := spec["containers"].([]any)
	found := false
	for _, item := range list {
		c, ok := item.(map[string]any)
		if !ok || (len(containers) > 0 && !slices.Contains(containers, fmt.Sprint(c["name"]))) {
			continue
		}
		found = true
		applyContainer(c, cfg, role, s)
	}
	if !found {
		return fmt.Errorf("pod template of role %s has no container %v", role, containers)
	}
	return nil
}

// applyContainer applies the settings of one engine container.
func applyContainer(c map[string]any, cfg DeploymentConfig, role string, s PodSettings) {
	setString(c, "image", s.Image)
	for _, kv := range EngineEnv(cfg, role) {
		appendList(c, "env", map[string]any{"name": kv[0], "value": kv[1]})
	}
	for _, e := range s.EnvFrom {
		appendList(c, "envFrom", e.toMap())
	}
	if cache := cfg.Workload.ModelCache; cache != nil && cache.mountsOn(role) {
		appendList(c, "volumeMounts", map[string]any{"name": ModelCacheVolume, "mountPath": cache.Path()})
	}
	if s.CPU == "" && len(s.ExtraResources) == 0 && s.GPUResource() == DefaultGPUResource {
		return
	}
	res := childMap(c, "resources")
	for _, kind := range []string{"limits", "requests"} {
		m := childMap(res, kind)
		if v, ok := m[DefaultGPUResource]; ok && s.GPUResource() != DefaultGPUResource {
			delete(m, DefaultGPUResource)
			m[s.GPUResource()] = v
		}
		setString(m, "cpu", s.CPU)
		for k, v := range s.ExtraResources {
			m[k] = v
		}
		if len(m) == 0 {
			delete(res, kind)
		}
	}
}

// EngineEnv is the env the workload adds to an engine container of role, sorted by name:
// the user's env, then HF_HOME (model cache) and HF_ENDPOINT (Hub mirror).
func EngineEnv(cfg DeploymentConfig, role string) [][2]string {
	if cfg.Workload == nil {
		return nil
	}
	s := cfg.Workload.For(role)
	var out [][2]string
	for _, k := range slices.Sorted(maps.Keys(s.Env)) {
		out = append(out, [2]string{k, s.Env[k]})
	}
	if c := cfg.Workload.ModelCache; c != nil && c.mountsOn(role) {
		out = append(out, [2]string{EnvHFHome, c.Path()})
	}
	if e := cfg.Workload.hubEndpoint(); e != "" {
		out = append(out, [2]string{EnvHFEndpoint, e})
	}
	return out
}

// hubEndpoint is the mirror to announce, or "" for the public Hub.
func (w *Workload) hubEndpoint() string {
	e := strings.TrimRight(w.HFEndpoint, "/")
	if e == "" || e == "https://huggingface.co" {
		return ""
	}
	return e
}

func (t Toleration) toMap() map[string]any {
	m := map[string]any{}
	setString(m, "key", t.Key)
	setString(m, "operator", t.Operator)
	setString(m, "value", t.Value)
	setString(m, "effect", t.Effect)
	if t.TolerationSeconds != nil {
		m["tolerationSeconds"] = *t.TolerationSeconds
	}
	return m
}

// toMap renders an envFrom entry. optional is always written (false): it tells the
// entries of the user apart from the HF token envFrom the renderers add without it.
func (e EnvFrom) toMap() map[string]any {
	m := map[string]any{}
	ref := map[string]any{"optional": false}
	if e.Secret != "" {
		ref["name"] = e.Secret
		m["secretRef"] = ref
	} else {
		ref["name"] = e.ConfigMap
		m["configMapRef"] = ref
	}
	setString(m, "prefix", e.Prefix)
	return m
}

// ApplyObjectMetadata adds the workload's labels and annotations to an object's metadata
// (the custom resource and the companions). Keys the renderer set win.
func ApplyObjectMetadata(obj map[string]any, w *Workload) {
	if w == nil {
		return
	}
	meta := childMap(obj, "metadata")
	for _, kv := range []struct {
		key string
		m   map[string]string
	}{{"labels", w.Labels}, {"annotations", w.Annotations}} {
		if len(kv.m) == 0 {
			continue
		}
		cur := childMap(meta, kv.key)
		for k, v := range kv.m {
			if _, set := cur[k]; !set {
				cur[k] = v
			}
		}
	}
}

// childMap returns m[key] as a map, creating it when missing.
func childMap(m map[string]any, key string) map[string]any {
	if c, ok := m[key].(map[string]any); ok {
		return c
	}
	c := map[string]any{}
	m[key] = c
	return c
}

func mergeStringMap(m map[string]any, key string, add map[string]string) {
	if len(add) == 0 {
		return
	}
	cur := childMap(m, key)
	for k, v := range add {
		cur[k] = v
	}
}

func appendList(m map[string]any, key string, v any) {
	list, _ := m[key].([]any)
	m[key] = append(list, v)
}

func setString(m map[string]any, key, v string) {
	if v != "" {
		m[key] = v
	}
}
