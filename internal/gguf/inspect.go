package gguf

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Built describes an image this package built, read back from its labels (for imports).
type Built struct {
	Result
	Repository, Tag string
	Source          Source // Model, Revision, File
	BaseImage       string
	Method          string
	Platform        string // os/arch[/variant] from the image config
}

// Inspect reads repository:tag or repository@digest and recovers how it was built.
func (r Registry) Inspect(ctx context.Context, ref string) (*Built, error) {
	parsed, err := name.ParseReference(ref, name.StrictValidation)
	if err != nil {
		return nil, fmt.Errorf("%q: want repository:tag or repository@sha256:...: %w", ref, err)
	}
	// Keep the repository as written (ggcr would expand "ubuntu" to index.docker.io/library/ubuntu).
	repository := ref
	if i := strings.LastIndex(ref, "@"); i >= 0 {
		repository = ref[:i]
	} else if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		repository = ref[:i]
	}
	pushRepo, err := r.repo(repository)
	if err != nil {
		return nil, err
	}
	var target name.Reference = pushRepo.Tag(parsed.Identifier())
	tag := parsed.Identifier()
	if d, ok := parsed.(name.Digest); ok {
		target, tag = pushRepo.Digest(d.DigestStr()), ""
	}
	img, err := remote.Image(target, r.options(ctx)...)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", target, err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading %s config: %w", target, err)
	}
	l := cfg.Config.Labels
	if l[LabelModel] == "" || l[LabelFile] == "" || l[LabelSHA256] == "" {
		return nil, fmt.Errorf("%s was not built by kubefoundry_gguf_image (labels %s, %s, %s missing)", ref, LabelModel, LabelFile, LabelSHA256)
	}
	dgst, err := img.Digest()
	if err != nil {
		return nil, err
	}
	if tag == "" {
		tag = QuantizationTag(l[LabelFile])
	}
	res, err := r.describe(ctx, repository, tag, dgst.String(), l[LabelSHA256])
	if err != nil {
		return nil, err
	}
	return &Built{
		Result:     *res,
		Repository: repository,
		Tag:        tag,
		Source:     Source{Model: l[LabelModel], Revision: l[LabelRevision], File: l[LabelFile]},
		BaseImage:  l[LabelBase],
		Method:     l[LabelMethod],
		Platform:   strings.TrimSuffix(cfg.OS+"/"+cfg.Architecture+"/"+cfg.Variant, "/"),
	}, nil
}
