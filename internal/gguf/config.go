package gguf

import (
	"maps"
	"strconv"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// defaultEntrypoint is used when the base image has none.
var defaultEntrypoint = []string{"llama-server"}

// modelConfig merges the model's runtime settings over the base image's config.
// The result only depends on its inputs (Created is the epoch), so rebuilds are reproducible.
func modelConfig(base *v1.ConfigFile, spec *Spec, info *ModelInfo) *v1.ConfigFile {
	cfg := base.DeepCopy()
	c := &cfg.Config
	if len(c.Entrypoint) == 0 {
		c.Entrypoint = defaultEntrypoint
	}
	modelPath := spec.ModelPath()
	port := strconv.Itoa(DefaultPort)
	c.Cmd = []string{"--model", modelPath, "--host", "0.0.0.0", "--port", port}
	// llama-server also reads these, so the model is found when a deployment replaces the args.
	c.Env = setEnv(c.Env, map[string]string{
		"LLAMA_ARG_MODEL": modelPath,
		"LLAMA_ARG_HOST":  "0.0.0.0",
		"LLAMA_ARG_PORT":  port,
	})
	// The base's own ports (often 8080) are not what the server listens on any more.
	c.ExposedPorts = map[string]struct{}{port + "/tcp": {}}
	labels := map[string]string{}
	maps.Copy(labels, c.Labels)
	maps.Copy(labels, map[string]string{
		LabelModel:    spec.Source.Model,
		LabelRevision: spec.Source.revision(),
		LabelFile:     spec.Source.File,
		LabelSHA256:   info.SHA256,
		LabelMethod:   spec.Method,
		LabelBase:     spec.BaseImage,
	})
	c.Labels = labels
	cfg.Created = v1.Time{Time: time.Unix(0, 0).UTC()}
	return cfg
}

// setEnv replaces or appends KEY=value entries, keeping the base order.
func setEnv(env []string, set map[string]string) []string {
	out := make([]string, 0, len(env)+len(set))
	seen := map[string]bool{}
	for _, kv := range env {
		k := kv
		for i := 0; i < len(kv); i++ {
			if kv[i] == '=' {
				k = kv[:i]
				break
			}
		}
		if v, ok := set[k]; ok {
			out = append(out, k+"="+v)
			seen[k] = true
			continue
		}
		out = append(out, kv)
	}
	for _, k := range []string{"LLAMA_ARG_MODEL", "LLAMA_ARG_HOST", "LLAMA_ARG_PORT"} {
		if v, ok := set[k]; ok && !seen[k] {
			out = append(out, k+"="+v)
		}
	}
	return out
}
