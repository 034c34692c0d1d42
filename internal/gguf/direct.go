package gguf

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/stream"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// buildDirect streams the model from the Hub into a gzip (level 1) layer on top of the base
// image and pushes it; the provider holds no more than a few buffers of the file at a time.
func buildDirect(ctx context.Context, spec *Spec, info *ModelInfo) (string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	osName, arch, variant, err := parsePlatform(spec.Platform)
	if err != nil {
		return "", err
	}
	baseRef, err := spec.baseRef()
	if err != nil {
		return "", err
	}
	opts := spec.Registry.options(ctx)
	spec.progress("resolving base image %s", spec.BaseImage)
	baseOpts := spec.Registry.baseOptions(ctx, baseRef, spec.Repository)
	base, err := remote.Image(baseRef, append(baseOpts, remote.WithPlatform(v1.Platform{OS: osName, Architecture: arch, Variant: variant}))...)
	if err != nil {
		return "", fmt.Errorf("base image %s: %w", spec.BaseImage, err)
	}
	baseCfg, err := base.ConfigFile()
	if err != nil {
		return "", fmt.Errorf("base image %s config: %w", spec.BaseImage, err)
	}
	img, err := mutate.ConfigFile(base, modelConfig(baseCfg, spec, info))
	if err != nil {
		return "", err
	}

	layerType := types.DockerLayer
	if mt, err := base.MediaType(); err == nil && mt == types.OCIManifestSchema1 {
		layerType = types.OCILayer
	}
	tarStream := newModelTar(ctx, spec, info)
	layer := stream.NewLayer(tarStream, stream.WithCompressionLevel(gzip.BestSpeed), stream.WithMediaType(layerType))
	img, err = mutate.Append(img, mutate.Addendum{
		Layer: layer,
		History: v1.History{
			Created:   v1.Time{Time: time.Unix(0, 0).UTC()},
			CreatedBy: fmt.Sprintf("kubefoundry: ADD %s %s", spec.Source.ResolveURL(), spec.ModelPath()),
			Comment:   "sha256:" + info.SHA256,
		},
	})
	if err != nil {
		return "", err
	}

	dst, err := spec.Registry.tagRef(spec.Repository, spec.Tag)
	if err != nil {
		return "", err
	}
	spec.progress("pushing %s (direct)", dst)
	werr := remote.Write(dst, img, opts...)
	// The tar goroutine's error explains a failed upload better than the upload error does.
	if serr := tarStream.wait(werr); serr != nil {
		return "", serr
	}
	if werr != nil {
		return "", fmt.Errorf("pushing %s: %w", dst, werr)
	}
	dgst, err := img.Digest()
	if err != nil {
		return "", err
	}
	spec.progress("pushed %s@%s", dst, dgst)
	return dgst.String(), nil
}

func (s *Spec) baseRef() (nameRef, error) { return parseBase(s.BaseImage, s.Registry, s.Repository) }

// modelTar produces a tar stream holding /models/<file>, hashing the bytes as they pass.
type modelTar struct {
	pr   *io.PipeReader
	done chan struct{}
	err  error // set before done is closed
}

func newModelTar(ctx context.Context, spec *Spec, info *ModelInfo) *modelTar {
	pr, pw := io.Pipe()
	m := &modelTar{pr: pr, done: make(chan struct{})}
	go func() {
		defer close(m.done)
		m.err = writeModelTar(ctx, pw, spec, info)
		pw.CloseWithError(m.err) // nil closes cleanly
	}()
	return m
}

func (m *modelTar) Read(p []byte) (int, error) { return m.pr.Read(p) }
func (m *modelTar) Close() error               { return m.pr.Close() }

// wait stops the producer (if the consumer gave up early) and returns its error.
func (m *modelTar) wait(consumerErr error) error {
	if consumerErr != nil {
		m.pr.CloseWithError(consumerErr)
	}
	<-m.done
	if m.err != nil && !errors.Is(m.err, io.ErrClosedPipe) && !errors.Is(m.err, consumerErr) {
		return m.err
	}
	return nil
}

func writeModelTar(ctx context.Context, w io.Writer, spec *Spec, info *ModelInfo) error {
	body, _, err := spec.Source.Open(ctx)
	if err != nil {
		return err
	}
	defer body.Close()
	epoch := time.Unix(0, 0).UTC()
	tw := tar.NewWriter(w)
	dir := path.Clean(ModelDir)[1:] + "/"
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: dir, Mode: 0o755, ModTime: epoch, Format: tar.FormatPAX}); err != nil {
		return err
	}
	file := spec.ModelPath()[1:]
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: file, Size: info.Size, Mode: 0o644, ModTime: epoch, Format: tar.FormatPAX}); err != nil {
		return err
	}
	h := sha256.New()
	pr := newProgressReader(body, info.Size, spec.progress)
	n, err := io.Copy(tw, io.TeeReader(pr, h))
	if errors.Is(err, tar.ErrWriteTooLong) {
		return fmt.Errorf("%w: %s/%s: the Hub served more than the %d bytes its LFS metadata lists", ErrChecksumMismatch, spec.Source.Model, spec.Source.File, info.Size)
	}
	if err != nil {
		return fmt.Errorf("downloading %s/%s: %w", spec.Source.Model, spec.Source.File, err)
	}
	if n != info.Size {
		return fmt.Errorf("%w: %s/%s: got %d bytes, the Hub's LFS metadata lists %d", ErrChecksumMismatch, spec.Source.Model, spec.Source.File, n, info.Size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != info.SHA256 {
		return fmt.Errorf("%w: %s/%s: downloaded bytes have sha256 %s, the Hub's LFS metadata says %s", ErrChecksumMismatch, spec.Source.Model, spec.Source.File, got, info.SHA256)
	}
	// Only now is the archive completed, so a bad download never becomes a valid layer.
	return tw.Close()
}

// progressReader reports download progress every 10% or 10 seconds.
type progressReader struct {
	r        io.Reader
	total, n int64
	next     int64
	last     time.Time
	report   func(string, ...any)
}

func newProgressReader(r io.Reader, total int64, report func(string, ...any)) *progressReader {
	return &progressReader{r: r, total: total, next: total / 10, last: time.Now(), report: report}
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if p.n >= p.next || time.Since(p.last) > 10*time.Second || err == io.EOF {
		if p.total > 0 {
			p.report("model download: %d/%d MiB (%d%%)", p.n>>20, p.total>>20, p.n*100/p.total)
		}
		p.next = p.n + p.total/10
		p.last = time.Now()
	}
	return n, err
}
