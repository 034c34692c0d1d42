package gguf

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// Registry says how to reach the registry images are pushed to.
//
// Address, when set, replaces the repository's host for every registry call the provider and
// the builder make; the repository's own host stays in the outputs. That covers in-cluster
// registries that are pushed to at one address (a port-forward, a Service name) and pulled by
// kubelets at another (a NodePort on localhost).
type Registry struct {
	Address  string // host[:port]; empty means the repository's host
	Insecure bool   // plain HTTP, or HTTPS without certificate verification
	Username string
	Password string
}

// ErrDeleteUnsupported is returned when the registry refuses manifest deletes.
var ErrDeleteUnsupported = errors.New("registry does not allow deleting images")

// repo parses repository and swaps in the push address.
func (r Registry) repo(repository string) (name.Repository, error) {
	var opts []name.Option
	if r.Insecure {
		opts = append(opts, name.Insecure)
	}
	ref, err := name.NewRepository(repository, opts...)
	if err != nil {
		return name.Repository{}, fmt.Errorf("repository %q: %w", repository, err)
	}
	if r.Address == "" {
		return ref, nil
	}
	addr := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(r.Address, "https://"), "http://"), "/")
	reg, err := name.NewRegistry(addr, opts...)
	if err != nil {
		return name.Repository{}, fmt.Errorf("registry address %q: %w", r.Address, err)
	}
	ref.Registry = reg
	return ref, nil
}

func (r Registry) tagRef(repository, tag string) (name.Tag, error) {
	repo, err := r.repo(repository)
	if err != nil {
		return name.Tag{}, err
	}
	t := repo.Tag(tag)
	if _, err := name.NewTag(t.String()); err != nil {
		return name.Tag{}, fmt.Errorf("tag %q: %w", tag, err)
	}
	return t, nil
}

func (r Registry) digestRef(repository, dgst string) (name.Digest, error) {
	repo, err := r.repo(repository)
	if err != nil {
		return name.Digest{}, err
	}
	return repo.Digest(dgst), nil
}

// PushHost is the host[:port] the builder pushes to.
func (r Registry) PushHost(repository string) (string, error) {
	repo, err := r.repo(repository)
	if err != nil {
		return "", err
	}
	return repo.RegistryStr(), nil
}

func (r Registry) authenticator() authn.Authenticator {
	if r.Username == "" && r.Password == "" {
		return nil
	}
	return authn.FromConfig(authn.AuthConfig{Username: r.Username, Password: r.Password})
}

func (r Registry) transport() http.RoundTripper {
	t := remote.DefaultTransport.(*http.Transport).Clone() //nolint:forcetypeassert // remote.DefaultTransport is an *http.Transport by definition
	if r.Insecure {
		t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // asked for by registry.insecure
	}
	return t
}

func (r Registry) options(ctx context.Context) []remote.Option {
	opts := []remote.Option{remote.WithContext(ctx), remote.WithTransport(r.transport())}
	if a := r.authenticator(); a != nil {
		opts = append(opts, remote.WithAuth(a))
	} else {
		opts = append(opts, remote.WithAuthFromKeychain(authn.DefaultKeychain))
	}
	return opts
}

func isNotFound(err error) bool {
	var te *transport.Error
	return errors.As(err, &te) && te.StatusCode == http.StatusNotFound
}

// Exists reports whether repository@digest is still in the registry.
func (r Registry) Exists(ctx context.Context, repository, dgst string) (bool, error) {
	ref, err := r.digestRef(repository, dgst)
	if err != nil {
		return false, err
	}
	return r.exists(ctx, ref)
}

// exists asks the registry for ref's manifest: false when it answers 404.
func (r Registry) exists(ctx context.Context, ref name.Reference) (bool, error) {
	if _, err := remote.Head(ref, r.options(ctx)...); err != nil {
		if isNotFound(err) {
			return false, nil
		}
		return false, fmt.Errorf("checking %s: %w", ref, err)
	}
	return true, nil
}

// DeleteTag removes repository:tag if it still points at dgst (so an image someone else
// pushed under the same tag survives). A missing tag or image is not an error.
func (r Registry) DeleteTag(ctx context.Context, repository, tag, dgst string) error {
	tagRef, err := r.tagRef(repository, tag)
	if err != nil {
		return err
	}
	opts := r.options(ctx)
	desc, err := remote.Head(tagRef, opts...)
	switch {
	case isNotFound(err):
		return r.deleteDigest(ctx, repository, dgst)
	case err != nil:
		return fmt.Errorf("checking %s: %w", tagRef, err)
	case dgst != "" && desc.Digest.String() != dgst:
		return nil // re-tagged by someone else; leave it alone
	}
	err = remote.Delete(tagRef, opts...)
	if err == nil || isNotFound(err) {
		// Registries keep the manifest after a tag delete; drop it too when it is ours.
		return r.deleteDigest(ctx, repository, desc.Digest.String())
	}
	// Distribution refuses deletes by tag; delete the manifest by digest instead.
	return r.deleteDigest(ctx, repository, desc.Digest.String())
}

func (r Registry) deleteDigest(ctx context.Context, repository, dgst string) error {
	if dgst == "" {
		return nil
	}
	ref, err := r.digestRef(repository, dgst)
	if err != nil {
		return err
	}
	err = remote.Delete(ref, r.options(ctx)...)
	var te *transport.Error
	switch {
	case err == nil || isNotFound(err):
		return nil
	case errors.As(err, &te) && (te.StatusCode == http.StatusMethodNotAllowed || te.StatusCode == http.StatusUnauthorized || te.StatusCode == http.StatusForbidden):
		return fmt.Errorf("%w: %s: %v", ErrDeleteUnsupported, ref, err)
	default:
		return fmt.Errorf("deleting %s: %w", ref, err)
	}
}

// describe reads the pushed manifest back and fills the result.
func (r Registry) describe(ctx context.Context, repository, tag, dgst, modelSHA string) (*Result, error) {
	ref, err := r.digestRef(repository, dgst)
	if err != nil {
		return nil, err
	}
	desc, err := remote.Get(ref, r.options(ctx)...)
	if err != nil {
		return nil, fmt.Errorf("reading back %s: %w", ref, err)
	}
	m, err := v1.ParseManifest(strings.NewReader(string(desc.Manifest)))
	if err != nil {
		return nil, fmt.Errorf("reading back %s: %w", ref, err)
	}
	size := m.Config.Size
	for _, l := range m.Layers {
		size += l.Size
	}
	return &Result{
		Image:         imageRef(repository, tag),
		Digest:        dgst,
		ImageByDigest: repository + "@" + dgst,
		SizeBytes:     size,
		ModelSHA256:   modelSHA,
	}, nil
}

type nameRef = name.Reference

// parseBase parses the base image; when it lives in the push registry it gets the same
// address override and insecure setting as the pushed image.
func parseBase(base string, r Registry, repository string) (name.Reference, error) {
	ref, err := name.ParseReference(base)
	if err != nil {
		return nil, fmt.Errorf("base image %q: %w", base, err)
	}
	target, err := name.NewRepository(repository)
	if err != nil {
		return nil, fmt.Errorf("repository %q: %w", repository, err)
	}
	if ref.Context().RegistryStr() != target.RegistryStr() {
		return ref, nil
	}
	repo, err := r.repo(ref.Context().String())
	if err != nil {
		return nil, err
	}
	if d, ok := ref.(name.Digest); ok {
		return repo.Digest(d.DigestStr()), nil
	}
	return repo.Tag(ref.Identifier()), nil
}

// baseOptions are the remote options for reading the base image: the registry's
// credentials only go to the push registry, everything else uses the local keychain.
func (r Registry) baseOptions(ctx context.Context, base name.Reference, repository string) []remote.Option {
	if host, err := r.PushHost(repository); err == nil && base.Context().RegistryStr() == host {
		return r.options(ctx)
	}
	return Registry{Insecure: false}.options(ctx)
}

// TagExists reports whether repository:tag resolves in the registry.
func (r Registry) TagExists(ctx context.Context, repository, tag string) (bool, error) {
	ref, err := r.tagRef(repository, tag)
	if err != nil {
		return false, err
	}
	return r.exists(ctx, ref)
}
