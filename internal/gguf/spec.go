// Package gguf builds OCI images that hold a GGUF model on top of a llama.cpp runner image.
//
// Two methods produce the same image layout: "buildkit" drives a BuildKit daemon through its
// Go client, "direct" streams the file into a layer with go-containerregistry and pushes it
// from the provider process. Both verify the bytes against the Hub's LFS sha256 and never hold
// the model in memory.
package gguf

import (
	"context"
	"fmt"
	"path"
	"strings"
)

// Method names.
const (
	MethodBuildKit = "buildkit"
	MethodDirect   = "direct"
)

// DefaultBaseImage is a pinned llama.cpp server image (entrypoint /app/llama-server).
const DefaultBaseImage = "ghcr.io/ggml-org/llama.cpp:server-b6000"

// ModelDir is where the model file lands in the image.
const ModelDir = "/models"

// DefaultPort matches what KAITO's llama.cpp workspaces expose.
const DefaultPort = 5000

// Labels written into the image config.
const (
	LabelModel    = "io.kubefoundry.gguf.model"
	LabelRevision = "io.kubefoundry.gguf.revision"
	LabelFile     = "io.kubefoundry.gguf.file"
	LabelSHA256   = "io.kubefoundry.gguf.sha256"
	LabelMethod   = "io.kubefoundry.gguf.method"
	LabelBase     = "org.opencontainers.image.base.name"
)

// Spec describes one image build.
type Spec struct {
	Source     Source
	Repository string // e.g. "127.0.0.1:5000/llama"; no tag
	Tag        string // QuantizationTag(Source.File) when empty
	BaseImage  string // DefaultBaseImage when empty
	Platform   string // "linux/amd64" when empty
	Registry   Registry
	Method     string // MethodBuildKit (default) or MethodDirect
	Builder    string // BuildKit address for MethodBuildKit
	// KubePodDialer connects to kube-pod:// builder addresses; without it they are refused.
	KubePodDialer func(address string) (Dialer, error)
	// Progress receives human-readable progress lines; may be nil.
	Progress func(msg string)
}

// Result describes the pushed image.
type Result struct {
	Image         string // repository:tag
	Digest        string // manifest digest
	ImageByDigest string // repository@digest
	SizeBytes     int64  // config + layer bytes as stored in the registry (what a node pulls)
	ModelSHA256   string
}

func (s *Spec) defaults() error {
	if s.Tag == "" {
		s.Tag = QuantizationTag(s.Source.File)
	}
	if s.BaseImage == "" {
		s.BaseImage = DefaultBaseImage
	}
	if s.Platform == "" {
		s.Platform = "linux/amd64"
	}
	if s.Method == "" {
		s.Method = MethodBuildKit
	}
	if s.Method != MethodBuildKit && s.Method != MethodDirect {
		return fmt.Errorf("method %q: want %q or %q", s.Method, MethodBuildKit, MethodDirect)
	}
	if strings.Contains(path.Base(s.Repository), ":") || strings.Contains(s.Repository, "@") {
		return fmt.Errorf("repository %q: give the image name without tag or digest", s.Repository)
	}
	if _, err := s.Registry.tagRef(s.Repository, s.Tag); err != nil {
		return err
	}
	return s.Source.validate()
}

func (s *Spec) progress(format string, args ...any) {
	if s.Progress != nil {
		s.Progress(fmt.Sprintf(format, args...))
	}
}

// ModelPath is the model's path inside the image.
func (s *Spec) ModelPath() string { return path.Join(ModelDir, path.Base(s.Source.File)) }

// Build verifies the model's checksum source, builds the image and pushes it.
func Build(ctx context.Context, spec Spec) (*Result, error) {
	if err := spec.defaults(); err != nil {
		return nil, err
	}
	spec.progress("resolving %s/%s@%s on %s", spec.Source.Model, spec.Source.File, spec.Source.revision(), spec.Source.endpoint())
	info, err := spec.Source.Info(ctx)
	if err != nil {
		return nil, err
	}
	spec.progress("model is %d bytes, sha256 %s", info.Size, info.SHA256)
	var dgst string
	switch spec.Method {
	case MethodDirect:
		dgst, err = buildDirect(ctx, &spec, info)
	default:
		dgst, err = buildBuildKit(ctx, &spec, info)
	}
	if err != nil {
		return nil, err
	}
	return spec.Registry.describe(ctx, spec.Repository, spec.Tag, dgst, info.SHA256)
}

// imageRef returns repository:tag as a string.
func imageRef(repo, tag string) string { return repo + ":" + tag }

func parsePlatform(p string) (os, arch, variant string, err error) {
	parts := strings.Split(p, "/")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
		return "", "", "", fmt.Errorf("platform %q: want os/arch[/variant]", p)
	}
	if len(parts) == 3 {
		variant = parts[2]
	}
	return parts[0], parts[1], variant, nil
}
